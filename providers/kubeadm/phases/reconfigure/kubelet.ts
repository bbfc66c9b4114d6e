/**
 * The node's kubelet onto the new KubeletConfiguration: `kubeadm upgrade node phase kubelet-config`
 * writes /var/lib/kubelet/config.yaml from the kubelet-config ConfigMap (patched before), then the
 * kubelet restarts and the node must be Ready again. No drain: the pods keep running across a
 * kubelet restart.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { ClusterkitError } from "../../../../core/errors";
import { getNode } from "../../cluster/kubectl";
import { log } from "../../context";
import { underLock } from "../../paths";
import { anyAdmin, where, type NodeContext } from "../node-context";
import { reconfigureWait } from "./wait";

export async function reconfigureKubelet(ctx: NodeContext, step: string): Promise<void> {
  await ctx.host.run(`${underLock("kubeadm upgrade node phase kubelet-config")}\nsystemctl restart kubelet`, { step, mutating: true, timeoutMs: 5 * 60_000 });
  const deadline = Date.now() + reconfigureWait.nodeReadyMs;
  for (;;) {
    const active = await ctx.host.test("systemctl is-active --quiet kubelet", step, 30_000);
    const admin = await anyAdmin(ctx, step);
    const node = admin ? await getNode(admin, ctx.inputs.name, step) : null;
    if (active && node?.ready) break;
    if (Date.now() >= deadline) {
      throw ClusterkitError.failure(
        where(ctx),
        step,
        `the node is not Ready within ${reconfigureWait.nodeReadyMs / 1000} s of restarting its kubelet with the new configuration (kubelet ${active ? "active" : "not active"}, node ${node ? (node.ready ? "Ready" : node.reason) : "not found"})`,
        "see `journalctl -u kubelet` on the host (a setting the kubelet refuses shows there); fix it in the stack and run pulumi up again (it resumes on this node)",
      );
    }
    await sleep(reconfigureWait.intervalMs);
  }
  log(`${ctx.label}: kubelet restarted with the new configuration; the node is Ready`);
}
