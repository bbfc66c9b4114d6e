/** The vSphere platform built by the real program for stack vsphere-ams1, under mocks. */
import { vsphereProgramSuite } from "./support/vsphere-plan";

vsphereProgramSuite("vsphere-ams1");
