/** The vSphere PlatformBuilder: VMs on vCenter, bootstrapped with kubeadm. */
import type { PlatformBuilder } from "../platform";
import { VsphereCluster } from "./vsphere-cluster";

export const buildVspherePlatform: PlatformBuilder = (spec, secrets, parent) => new VsphereCluster(spec.name, { spec, secrets }, { parent }).platformResult();
