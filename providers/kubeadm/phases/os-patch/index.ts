/**
 * A node's OS patch round (osPatches: rolling), as one phase of its update: preflight, drain and
 * packages, reboot, finish. Each part reads the node's own markers, so a run that stopped anywhere
 * resumes where it stopped. Control planes go one at a time (each waits for the one before it);
 * workers wait for every control plane, then go at most `upgrades.workerBatchSize` at a time. A
 * machine kubeadm has not joined yet (a new node, or every node of a new cluster) takes the round
 * first, before kubeadm, without drain or gates.
 */
import { runPhases, type Phase } from "../../phase";
import { facts, type NodeContext } from "../node-context";
import { rollNode } from "../upgrade/run-state";
import { osPatchFinish } from "./finish";
import { joined, patchOf } from "./markers";
import { osPatchPackages } from "./packages";
import { osPatchPreflight } from "./preflight";
import { osPatchReboot } from "./reboot";

const steps: Phase<NodeContext>[] = [osPatchPreflight, osPatchPackages, osPatchReboot, osPatchFinish];

export const osPatch: Phase<NodeContext> = {
  name: "os-patch",
  async needed(ctx) {
    // The host probe reads the done marker already: no command of its own on a node that is through.
    return !!ctx.inputs.osPatches && (await facts(ctx, this.name)).osPatchDone !== patchOf(ctx).round;
  },
  async run(ctx) {
    // Machines not joined yet disrupt nothing: they go at once, before kubeadm.
    if (!(await joined(ctx, this.name))) return void (await runPhases(steps, ctx));
    await rollNode(ctx.inputs, ctx.inputs.upgrade?.workerBatchSize ?? 1, () => runPhases(steps, ctx));
  },
};
