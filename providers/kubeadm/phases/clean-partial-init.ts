/**
 * A first control plane where `kubeadm init` started but never completed is reset before init
 * runs again. "Completed" is clusterkit's marker (or the kubeadm-config ConfigMap), never
 * admin.conf: the most common failure, an API server that never becomes healthy, leaves admin.conf
 * behind. Nothing can have joined a cluster whose init never completed, unless another control
 * plane holds an admin kubeconfig: then the cluster exists and this host is refused rather than
 * initialised a second time. An admin.conf clusterkit did not see being made (no markers) whose
 * API does not answer is refused too: it may be a running cluster whose API is down right now.
 */
import { ClusterkitError } from "../../../core/errors";
import { initCompletePath, initStartedPath } from "../paths";
import type { Phase } from "../phase";
import { partialInit } from "../probe";
import { resetHost } from "../teardown/reset";
import { facts, invalidate, peerAdmin, where, type NodeContext } from "./node-context";

export async function refuseIfClusterExists(ctx: NodeContext, step: string): Promise<void> {
  const other = await peerAdmin(ctx, step);
  if (other) {
    throw ClusterkitError.failure(
      where(ctx),
      step,
      `the cluster already exists (control plane ${other.name} holds its admin kubeconfig), but this host has not completed kubeadm init; refusing to run kubeadm init a second time`,
      `if this host was reset outside clusterkit, remove it from the inventory (pulumi up), then add it back after a control plane that is in the cluster, so it joins`,
    );
  }
}

export const cleanPartialInit: Phase<NodeContext> = {
  name: "clean-partial-init",
  async needed(ctx) {
    return ctx.inputs.init && partialInit(await facts(ctx, this.name)) !== "none";
  },
  async run(ctx) {
    await refuseIfClusterExists(ctx, this.name);
    const verdict = partialInit(await facts(ctx, this.name));
    if (verdict === "seeded") {
      throw ClusterkitError.failure(
        where(ctx),
        this.name,
        "kubeadm init over the etcd data and CAs `clusterkit etcd restore` put here started and did not complete; clusterkit never resets a host holding restored data",
        "see why in the output above (`journalctl -u kubelet`, `crictl ps -a`), fix it and run pulumi up again; to start over, run `kubeadm reset -f` on this host, then `clusterkit etcd restore` with the same bundle (it seeds the host again), then pulumi up",
      );
    }
    if (verdict === "ambiguous") {
      throw ClusterkitError.failure(
        where(ctx),
        this.name,
        `kubeadm init left /etc/kubernetes/admin.conf here, but clusterkit has no record of it completing (${initCompletePath}) or of starting it (${initStartedPath}), and the kubeadm-config ConfigMap cannot be read through the API; refusing to reset a control plane that may belong to a running cluster`,
        "if the API server is down, bring it back and run again; if kubeadm init never completed on this host, run `kubeadm reset -f` on it, then run again",
      );
    }
    await resetHost(ctx.host, this.name, { unlessExists: initCompletePath });
    invalidate(ctx);
  },
};
