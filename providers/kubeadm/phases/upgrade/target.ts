/** The version an update moves the node to, and whether the node still has a part of it to do. */
import type { HostFacts } from "../../probe";
import { kubeadmDone } from "../../probe";
import type { NodeContext } from "../node-context";

export const targetOf = (ctx: NodeContext) => `v${ctx.inputs.kubernetesVersion.replace(/^v/, "")}`;

/** A node in the cluster whose kubelet (the last thing an upgrade moves) is not at the target, or one mid-upgrade. */
export function upgradePending(ctx: NodeContext, f: HostFacts): boolean {
  if (!kubeadmDone(f, ctx.inputs.init) || !f.kubeletVersion) return false;
  return f.kubeletVersion !== targetOf(ctx) || f.upgradeTarget !== null;
}

/** How long an upgrade waits for what it waits on; tests shorten the intervals. */
export const upgradeWait = {
  /** A worker waits for every control plane to be at the target (they go first). */
  controlPlanesMs: 60 * 60_000,
  /** A control plane's own API server at the target version after kubeadm upgrade. */
  apiServerMs: 10 * 60_000,
  /** The node Ready at the target after its kubelet restarted. */
  nodeReadyMs: 5 * 60_000,
  intervalMs: 2_000,
};
