/**
 * A first control plane where `kubeadm init` started but never finished (no admin.conf, yet
 * kubeadm's files are there) is reset before init runs again. Nothing can have joined a cluster
 * whose init never finished, unless another control plane holds an admin kubeconfig: then the
 * cluster exists and this host is refused rather than initialised a second time.
 */
import { ClusterkitError } from "../../../core/errors";
import type { Phase } from "../phase";
import { resetHost } from "../teardown/reset";
import { facts, invalidate, peerAdmin, where, type NodeContext } from "./node-context";

export async function refuseIfClusterExists(ctx: NodeContext, step: string): Promise<void> {
  const other = await peerAdmin(ctx, step);
  if (other) {
    throw ClusterkitError.failure(
      where(ctx),
      step,
      `the cluster already exists (control plane ${other.name} holds its admin kubeconfig), but this first control plane has none; refusing to run kubeadm init a second time`,
      `this host was reset outside clusterkit. Make another control plane the first one in the inventory, or remove this host from it, then run again`,
    );
  }
}

export const cleanPartialInit: Phase<NodeContext> = {
  name: "clean-partial-init",
  async needed(ctx) {
    const f = await facts(ctx, this.name);
    return ctx.inputs.init && !f.adminConf && f.traces;
  },
  async run(ctx) {
    await refuseIfClusterExists(ctx, this.name);
    await resetHost(ctx.host, this.name);
    invalidate(ctx);
  },
};
