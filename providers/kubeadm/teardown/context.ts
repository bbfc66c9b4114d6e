/** What the removal steps work with: the node as last applied, and a control plane to act from. */
import type { RemoteHost } from "../../ssh";
import type { NodeStatus } from "../cluster/kubectl";
import type { NodeOutputs } from "../types";

export interface TeardownContext {
  label: string;
  inputs: NodeOutputs;
  host: RemoteHost;
  /** Another control plane holding the admin kubeconfig; null when none answers. */
  admin: RemoteHost | null;
  /** The node object, null when not registered. */
  node: NodeStatus | null;
  /** Set by the guard: the whole cluster is being destroyed on purpose. */
  destroyingCluster: boolean;
}

/** Confirms a `pulumi destroy` of the whole cluster: `CLUSTERKIT_DESTROY_CLUSTER=<cluster name>`. */
export const destroyConfirmation = "CLUSTERKIT_DESTROY_CLUSTER";

export function destroyConfirmed(cluster: string): boolean {
  return (process.env[destroyConfirmation] ?? "").split(",").map((s) => s.trim()).includes(cluster);
}
