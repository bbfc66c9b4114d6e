/** kubeadm to the target first: `kubeadm upgrade` must be at least the version it upgrades to. */
import { log } from "../../context";
import type { Phase } from "../../phase";
import { facts, invalidate, type NodeContext } from "../node-context";
import { targetOf } from "./target";

export const upgradeKubeadmPackage: Phase<NodeContext> = {
  name: "upgrade-kubeadm-package",
  async needed(ctx) {
    const f = await facts(ctx, this.name);
    return f.upgradeTarget === targetOf(ctx) && f.kubeadmVersion !== targetOf(ctx) && f.upgradeKubeadmDone !== targetOf(ctx);
  },
  async run(ctx) {
    await ctx.host.run(ctx.inputs.upgrade!.kubeadmScript, { step: this.name, mutating: true, timeoutMs: 15 * 60_000 });
    log(`${ctx.label}: kubeadm ${targetOf(ctx)} installed`);
    invalidate(ctx);
  },
};
