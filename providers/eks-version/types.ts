/** Inputs and outputs of the EKS version guard (it keeps its inputs as its outputs). */
import type { VersionSubject } from "../../core/eks/version-step";

export interface EksVersionGuardInputs extends VersionSubject {
  /** The EKS cluster's name: another name is another cluster, created at whatever version. */
  clusterName: string;
  /** The Kubernetes minor the control plane runs after this `pulumi up`. */
  version: string;
}
