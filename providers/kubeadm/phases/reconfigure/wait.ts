/** How long a reconfiguration waits for what it restarted; tests shorten the interval. */
export const reconfigureWait = {
  /** A regenerated static pod's new container running, with /readyz and etcd healthy. */
  staticPodMs: 5 * 60_000,
  /** The node Ready again after its kubelet restarted. */
  nodeReadyMs: 5 * 60_000,
  /** kube-proxy's DaemonSet rolled out after its restart. */
  rolloutSeconds: 300,
  intervalMs: 2_000,
};
