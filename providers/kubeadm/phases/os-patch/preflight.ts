/**
 * Before a node's round changes anything: every node Ready (a cordoned one is being worked on or
 * out of service on purpose), and on a control plane a healthy etcd that keeps its quorum while
 * this member is down. A worker starts once every control plane finished the round. Then the
 * round is recorded on the node: from here the run can stop anywhere and resume. A machine kubeadm
 * has not joined yet is not checked (markers.ts joined).
 */
import { setTimeout as sleep } from "node:timers/promises";
import { ClusterkitError } from "../../../../core/errors";
import { isControlPlaneNode, listNodes } from "../../cluster/kubectl";
import { log } from "../../context";
import type { Phase } from "../../phase";
import { etcdGateProblem } from "../etcd-gate";
import { anyAdmin, where, type NodeContext } from "../node-context";
import { failedControlPlane } from "../upgrade/run-state";
import { markerScript } from "../upgrade/markers";
import { joined, osPatchBootPath, osPatchDonePath, osPatchPackagesPath, osPatchRoundPath, osPatchWait, patchOf, patchState } from "./markers";

const STEP = "os-patch-preflight";
const refuse = (ctx: NodeContext, message: string, hint: string) => ClusterkitError.failure(where(ctx), STEP, message, hint);

export const osPatchPreflight: Phase<NodeContext> = {
  name: STEP,
  async needed(ctx) {
    return (await patchState(ctx.host, STEP)).round !== patchOf(ctx).round;
  },
  async run(ctx) {
    const { round } = patchOf(ctx);
    const st = await patchState(ctx.host, STEP);
    if (st.round) log(`${ctx.label}: OS patch round ${st.round} did not finish here; round ${round} takes over`);
    const start = `rm -f ${osPatchPackagesPath} ${osPatchBootPath}\n${markerScript(osPatchRoundPath, [round])}`;
    if (!(await joined(ctx, STEP))) {
      await ctx.host.run(start, { step: STEP, mutating: true });
      log(`${ctx.label}: OS patch round ${round} before kubeadm (the machine runs nothing of the cluster yet: no drain, no health gate)`);
      return;
    }
    if (ctx.inputs.role === "worker") await waitForControlPlanes(ctx, round);
    const admin = await anyAdmin(ctx, STEP);
    if (!admin) throw refuse(ctx, "no control plane answers with the admin kubeconfig, so the cluster's health cannot be checked", "bring a control plane back, then run pulumi up again");
    const nodes = await listNodes(admin, STEP);
    const notReady = nodes.filter((n) => !n.ready && !n.unschedulable);
    if (notReady.length) {
      throw refuse(ctx, `node(s) not Ready: ${notReady.map((n) => `${n.name} (${n.reason})`).join(", ")}; an OS patch round drains and reboots nodes, so it goes on only on a healthy cluster`, "fix or remove those nodes, then run pulumi up again (it resumes the round)");
    }
    if (ctx.inputs.role === "control-plane") {
      const problem = await etcdGateProblem(ctx.host, nodes.filter(isControlPlaneNode).length, STEP, {
        learnerHint: "run pulumi up without the round change first, so the half-joined control plane joins again",
        verb: "patch",
        gerund: "patching",
      });
      if (problem) throw refuse(ctx, problem.message, problem.hint);
    }
    await ctx.host.run(start, { step: STEP, mutating: true });
    log(`${ctx.label}: OS patch round ${round} starts`);
  },
};

async function waitForControlPlanes(ctx: NodeContext, round: string): Promise<void> {
  const deadline = Date.now() + osPatchWait.controlPlanesMs;
  for (let said = false; ; said = true) {
    const done = await Promise.all(ctx.peers.map(async (cp) => ({ name: cp.name, done: (await cp.read(`cat ${osPatchDonePath} 2>/dev/null || true`, STEP, 30_000).catch(() => "")) === round })));
    const behind = done.filter((d) => !d.done).map((d) => d.name);
    if (!behind.length) return;
    const failed = failedControlPlane(ctx.inputs.cluster);
    if (failed || Date.now() >= deadline) {
      const why = failed ? `the round stopped at control plane ${failed} in this run, and ` : "";
      throw refuse(ctx, `${why}control plane(s) ${behind.join(", ")} have not finished OS patch round ${round}; workers go after every control plane`, "run pulumi up again once the control planes are through (it resumes where it stopped)");
    }
    if (!said) log(`${ctx.label}: waiting for the control planes to finish OS patch round ${round} (${behind.join(", ")})`);
    await sleep(osPatchWait.intervalMs);
  }
}
