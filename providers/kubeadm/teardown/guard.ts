/**
 * Refuses removals that would break the cluster: the last control plane (that destroys the
 * cluster, which needs an explicit confirmation), and any control-plane removal after which etcd
 * would lack a quorum of healthy members, or after etcd has lost its quorum already (then only a
 * restore helps, and the refusal says how). Read-only.
 */
import { ClusterkitError } from "../../../core/errors";
import { isControlPlaneNode, listNodes } from "../cluster/kubectl";
import { memberAt, quorumAfterRemoval, quorumLostProblem, quorumState } from "../cluster/etcd";
import type { Phase } from "../phase";
import { destroyConfirmation, destroyConfirmed, type TeardownContext } from "./context";

const refuse = (ctx: TeardownContext, message: string, hint: string) => ClusterkitError.failure(`host ${ctx.host.name} (${ctx.host.address})`, "delete", message, hint);

export const guardRemoval: Phase<TeardownContext> = {
  name: "guard",
  async needed() {
    return true;
  },
  async run(ctx) {
    const cluster = ctx.inputs.cluster;
    const confirm = `if you mean to destroy cluster ${cluster}, confirm it: ${destroyConfirmation}=${cluster} pulumi destroy`;
    if (!ctx.admin) {
      if (destroyConfirmed(cluster)) return void (ctx.destroyingCluster = true);
      const what = ctx.inputs.role === "control-plane" ? "this is the last control plane, or no other one answers" : "no control plane answers, so the node cannot be drained";
      throw refuse(ctx, `refusing to remove ${ctx.host.name}: ${what}`, confirm);
    }
    if (ctx.inputs.role !== "control-plane") return;
    // Before anything the API serves: without an etcd quorum it answers nothing, and no removal helps.
    const { members, health, quorum } = await quorumState(ctx.admin, this.name);
    if (quorum.lost && !destroyConfirmed(cluster)) {
      const p = quorumLostProblem(quorum, cluster);
      throw refuse(ctx, `refusing to remove ${ctx.host.name}: ${p.message}`, p.hint);
    }
    const others = (await listNodes(ctx.admin, this.name)).filter((n) => isControlPlaneNode(n) && n.name !== ctx.host.name);
    if (!others.length && !destroyConfirmed(cluster)) {
      throw refuse(ctx, `refusing to remove ${ctx.host.name}: it is the last control plane of ${cluster}`, confirm);
    }
    const target = memberAt(members, ctx.host.address);
    if (!target) return;
    const q = quorumAfterRemoval(members, health, target);
    if (!q.ok) {
      const sick = members.filter((m) => m.id !== target.id && !health.get(m.id)).map((m) => m.name || m.id);
      throw refuse(
        ctx,
        `refusing to remove ${ctx.host.name}: etcd would be left with ${q.remaining} member(s), ${q.healthy} healthy, and needs ${q.needed} healthy for a quorum`,
        sick.length ? `bring the unhealthy member(s) back first (${sick.join(", ")}), or remove them before this one` : "add a control plane first",
      );
    }
  },
};
