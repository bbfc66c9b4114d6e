/**
 * Places the files kubeadm reads (API server configs, kube-vip's bootstrap manifest) before it
 * runs. Only needed while kubeadm has not run here; afterwards `finish` keeps the steady set.
 * Each file is compared by hash first and written only when it differs.
 */
import type { Phase } from "../phase";
import { kubeadmDone } from "../probe";
import { beforeKubeadm } from "./files";
import { facts, invalidate, type NodeContext } from "./node-context";

export const writeFiles: Phase<NodeContext> = {
  name: "write-files",
  async needed(ctx) {
    if (kubeadmDone(await facts(ctx, this.name), ctx.inputs.init)) return false;
    ctx.staleFiles = await ctx.host.staleFiles(beforeKubeadm(ctx.inputs), this.name);
    return ctx.staleFiles.length > 0;
  },
  async run(ctx) {
    await ctx.host.writeFiles(ctx.staleFiles ?? [], this.name);
    invalidate(ctx);
  },
};
