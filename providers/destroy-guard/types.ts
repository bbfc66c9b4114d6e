export interface ClusterDestroyGuardInputs {
  /** The cluster's name: what CLUSTERKIT_DESTROY_CLUSTER must hold to let it go. */
  cluster: string;
  /** The stack file, named in the refusal. */
  stack: string;
}
