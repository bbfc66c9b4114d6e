/** The EKS platform built by the real program for stack prod-eu-west-1, under mocks. */
import { eksProgramSuite } from "./support/eks-plan";

eksProgramSuite("prod-eu-west-1");
