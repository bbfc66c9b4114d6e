/**
 * The node's kubelet to the target: drained first (drain-node.ts: PodDisruptionBudgets hold, and a
 * drain that does not finish in time uncordons the node and stops the upgrade there); then kubelet
 * and kubectl past their holds, the kubelet restarted, and the node Ready at the target.
 * Uncordoning is the finish phase's.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { ClusterkitError } from "../../../../core/errors";
import { getNode, uncordon } from "../../cluster/kubectl";
import { cordonAndDrain } from "../drain-node";
import { log } from "../../context";
import type { Phase } from "../../phase";
import { anyAdmin, facts, invalidate, where, type NodeContext } from "../node-context";
import { clearMarkers, upgradeCordonedPath } from "./markers";
import { targetOf, upgradeWait } from "./target";

export const upgradeKubelet: Phase<NodeContext> = {
  name: "upgrade-kubelet",
  async needed(ctx) {
    const f = await facts(ctx, this.name);
    if (f.upgradeTarget !== targetOf(ctx) || f.upgradeKubeadmDone !== targetOf(ctx)) return false;
    if (f.kubeletVersion !== targetOf(ctx)) return true;
    // Installed, but a run cut before the restart leaves the old kubelet running: the node says which.
    const admin = await anyAdmin(ctx, this.name);
    const node = admin ? await getNode(admin, ctx.inputs.name, this.name) : null;
    return !node || node.kubeletVersion !== targetOf(ctx) || !node.ready;
  },
  async run(ctx) {
    const step = this.name;
    const target = targetOf(ctx);
    const admin = await anyAdmin(ctx, step);
    if (!admin) throw ClusterkitError.failure(where(ctx), step, "no control plane answers with the admin kubeconfig, so the node cannot be drained", "bring a control plane back, then run pulumi up again");
    await cordonAndDrain(ctx, admin, step, { cordonedPath: upgradeCordonedPath, marker: target, purpose: `its upgrade to ${target}`, work: "the upgrade", timeoutSec: ctx.inputs.upgrade!.drainTimeoutSeconds });
    log(`${ctx.label}: drained; upgrading kubelet and kubectl to ${target}`);
    const packages = (await facts(ctx, step)).kubeletVersion === target ? "" : `${ctx.inputs.upgrade!.kubeletScript}\n`;
    await ctx.host.run(`${packages}systemctl daemon-reload\nsystemctl restart kubelet`, { step, mutating: true, timeoutMs: 15 * 60_000 });
    invalidate(ctx);
    await waitReady(ctx, target);
  },
};

async function waitReady(ctx: NodeContext, target: string): Promise<void> {
  const step = "upgrade-kubelet";
  const deadline = Date.now() + upgradeWait.nodeReadyMs;
  for (;;) {
    const admin = await anyAdmin(ctx, step);
    const node = admin ? await getNode(admin, ctx.inputs.name, step) : null;
    if (node?.ready && node.kubeletVersion === target) return;
    if (Date.now() >= deadline) {
      throw ClusterkitError.failure(where(ctx), step, `the node is not Ready at ${target} within ${upgradeWait.nodeReadyMs / 1000} s of its kubelet restart (it reports ${node ? `${node.kubeletVersion}, ${node.ready ? "Ready" : node.reason}` : "nothing"}); it stays cordoned`, "see `journalctl -u kubelet` on the host, then run pulumi up again (it resumes here)");
    }
    await sleep(upgradeWait.intervalMs);
  }
}

/** Last: uncordon what the upgrade cordoned, and forget the upgrade. */
export const upgradeFinish: Phase<NodeContext> = {
  name: "upgrade-finish",
  async needed(ctx) {
    const f = await facts(ctx, this.name);
    return f.upgradeTarget === targetOf(ctx) && f.kubeletVersion === targetOf(ctx) && f.upgradeKubeadmDone === targetOf(ctx);
  },
  async run(ctx) {
    const step = this.name;
    if ((await facts(ctx, step)).upgradeCordoned) {
      const admin = await anyAdmin(ctx, step);
      if (!admin) throw ClusterkitError.failure(where(ctx), step, "no control plane answers, so the node cannot be uncordoned", "run pulumi up again once a control plane answers");
      await uncordon(admin, ctx.inputs.name, step);
    }
    await clearMarkers(ctx.host, step);
    log(`${ctx.label}: upgraded to ${targetOf(ctx)}`);
    invalidate(ctx);
  },
};
