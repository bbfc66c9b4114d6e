/**
 * A node's Kubernetes upgrade, as one phase of its update: preflight, kubeadm, `kubeadm upgrade`,
 * drain and kubelet, finish. Each part checks the node's own markers and versions, so a run that
 * stopped anywhere resumes where it stopped. Control planes go one at a time (each waits for the
 * one before it, as at bootstrap); workers wait for every control plane, then go at most
 * `workerBatchSize` at a time (see run-state.ts).
 */
import { runPhases, type Phase } from "../../phase";
import { facts, type NodeContext } from "../node-context";
import { kubeadmUpgrade } from "./kubeadm-upgrade";
import { upgradeKubeadmPackage } from "./kubeadm-package";
import { upgradeFinish, upgradeKubelet } from "./kubelet";
import { upgradePreflight } from "./preflight";
import { rollNode } from "./run-state";
import { upgradePending } from "./target";

const steps: Phase<NodeContext>[] = [upgradePreflight, upgradeKubeadmPackage, kubeadmUpgrade, upgradeKubelet, upgradeFinish];

export const upgrade: Phase<NodeContext> = {
  name: "upgrade",
  async needed(ctx) {
    return !!ctx.inputs.upgrade && upgradePending(ctx, await facts(ctx, this.name));
  },
  async run(ctx) {
    await rollNode(ctx.inputs, ctx.inputs.upgrade!.workerBatchSize, () => runPhases(steps, ctx));
  },
};
