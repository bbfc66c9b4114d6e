/**
 * Places the files kubeadm reads (API server configs, kube-vip's bootstrap manifest) before it
 * runs. Only needed while kubeadm has not run here; afterwards `finish` keeps the steady set.
 * Each file is compared by hash first and written only when it differs.
 */
import { sha256 } from "../../ssh";
import type { Phase } from "../phase";
import { kubeadmDone } from "../probe";
import { beforeKubeadm } from "./files";
import { facts, invalidate, type NodeContext } from "./node-context";

export const writeFiles: Phase<NodeContext> = {
  name: "write-files",
  async needed(ctx) {
    if (kubeadmDone(await facts(ctx, this.name), ctx.inputs.init)) return false;
    const files = beforeKubeadm(ctx.inputs);
    const hashes = await ctx.host.fileHashes(files.map((f) => f.path), this.name);
    return files.some((f) => hashes[f.path] !== sha256(f.content));
  },
  async run(ctx) {
    await ctx.host.syncFiles(beforeKubeadm(ctx.inputs), this.name);
    invalidate(ctx);
  },
};
