/**
 * Last: the node healthy again before the next one goes, then uncordoned (only when clusterkit
 * cordoned it) and the round recorded as finished. Healthy: its kubelet active and the node Ready;
 * on a control plane also its API server ready and every etcd member healthy, so the next control
 * plane's preflight finds the quorum whole.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { ClusterkitError } from "../../../../core/errors";
import { apiServerReady } from "../../cluster/apiserver";
import { listMembers, memberHealth } from "../../cluster/etcd";
import { isSshError } from "../../../ssh";
import { getNode, uncordon } from "../../cluster/kubectl";
import { log } from "../../context";
import type { Phase } from "../../phase";
import { anyAdmin, invalidate, where, type NodeContext } from "../node-context";
import { markerScript } from "../upgrade/markers";
import { joined, osPatchBootPath, osPatchCordonedPath, osPatchDonePath, osPatchPackagesPath, osPatchRoundPath, osPatchWait, patchOf, patchState, rebootedFor } from "./markers";

const STEP = "os-patch-finish";

/** What is not healthy yet, or null. */
async function unhealthy(ctx: NodeContext): Promise<string | null> {
  const active = await ctx.host.test("systemctl is-active --quiet kubelet", STEP, 30_000);
  if (!active) return "its kubelet is not active";
  const admin = await anyAdmin(ctx, STEP);
  // A lone control plane's own API server is still starting after its reboot: not an error yet.
  const node = admin ? await getNode(admin, ctx.inputs.name, STEP).catch((e: unknown) => (isSshError(e, "command") ? undefined : Promise.reject(e))) : null;
  if (node === undefined) return "the API server does not answer yet";
  if (!node?.ready) return node ? `the node is not Ready (${node.reason})` : "no control plane answers for the node";
  if (ctx.inputs.role === "worker") return null;
  if (!(await apiServerReady(ctx.host, STEP))) return "its API server is not ready";
  const members = await listMembers(ctx.host, STEP).catch(() => null);
  if (!members) return "its etcd does not answer";
  const health = await memberHealth(ctx.host, members, STEP);
  const sick = members.filter((m) => !health.get(m.id));
  return sick.length ? `etcd member(s) not healthy: ${sick.map((m) => m.name || m.id).join(", ")}` : null;
}

export const osPatchFinish: Phase<NodeContext> = {
  name: STEP,
  async needed(ctx) {
    const st = await patchState(ctx.host, STEP);
    return st.round === patchOf(ctx).round && st.packages === patchOf(ctx).round;
  },
  async run(ctx) {
    const { round } = patchOf(ctx);
    const deadline = Date.now() + osPatchWait.healthyMs;
    // A machine kubeadm has not joined runs no kubelet, API server or etcd member to wait for.
    const inCluster = await joined(ctx, STEP);
    for (let why = inCluster ? await unhealthy(ctx) : null; why; why = await unhealthy(ctx)) {
      if (Date.now() >= deadline) {
        throw ClusterkitError.failure(where(ctx), STEP, `the node is not healthy ${osPatchWait.healthyMs / 1000} s after its OS update: ${why}; it stays cordoned and the round stops here`, "see `journalctl -u kubelet` (and, on a control plane, `crictl ps -a`) on the host, then run pulumi up again (it resumes here)");
      }
      await sleep(osPatchWait.intervalMs);
    }
    const st = await patchState(ctx.host, STEP);
    if (st.cordoned) {
      const admin = await anyAdmin(ctx, STEP);
      if (!admin) throw ClusterkitError.failure(where(ctx), STEP, "no control plane answers, so the node cannot be uncordoned", "run pulumi up again once a control plane answers");
      await uncordon(admin, ctx.inputs.name, STEP);
    }
    await ctx.host.run(`${markerScript(osPatchDonePath, [round])}\nrm -f ${osPatchRoundPath} ${osPatchPackagesPath} ${osPatchCordonedPath} ${osPatchBootPath}`, { step: STEP, mutating: true });
    invalidate(ctx);
    log(`${ctx.label}: OS patch round ${round} done${rebootedFor(st, round) ? " (rebooted)" : ""}`);
  },
};
