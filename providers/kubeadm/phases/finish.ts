/**
 * After kubeadm: the steady files (kube-vip's steady manifest replaces its bootstrap one, API
 * server configs stay current on later updates), the one-use kubeadm config removed (it held a
 * token), and the applied config hash recorded for read() to compare. Before it rewrites a file
 * the running API server reads, it leaves the marker that makes restart-apiserver or
 * reload-authentication put the file into effect (see ../paths.ts).
 */
import { apiServerFileEffect } from "../../../core/render/kubeadm";
import { shellQuote, type RemoteFile } from "../../ssh";
import { apiServerRestartPendingPath, appliedHashPath, authnReloadPendingPath, clusterkitDir, initCompletePath } from "../paths";
import type { Phase } from "../phase";
import { kubeadmDone } from "../probe";
import { ephemeralFiles, steadyFiles } from "./files";
import { markerScript } from "./upgrade/markers";
import { facts, invalidate, type NodeContext } from "./node-context";

export const finish: Phase<NodeContext> = {
  name: "finish",
  async needed(ctx) {
    const [f, stale] = await Promise.all([facts(ctx, this.name), ctx.host.staleFiles(steadyFiles(ctx.inputs), this.name)]);
    if (!kubeadmDone(f, ctx.inputs.init)) return false;
    ctx.staleFiles = stale;
    // An init node of a cluster made before the completion marker (its kubeadm-config ConfigMap
    // proved init completed) gets the marker, so later runs need not ask the API.
    ctx.adoptInit = ctx.inputs.init && !f.initComplete;
    return ctx.staleFiles.length > 0 || f.pendingConfig || f.appliedHash !== ctx.inputs.configHash || ctx.adoptInit;
  },
  async run(ctx) {
    await markPending(ctx, ctx.staleFiles ?? [], this.name);
    await ctx.host.writeFiles(ctx.staleFiles ?? [], this.name);
    const stale = ephemeralFiles(ctx.inputs).map((x) => shellQuote(x.path));
    const adopt = ctx.adoptInit ? `\n[ -f ${initCompletePath} ] || date -u +%Y-%m-%dT%H:%M:%SZ > ${initCompletePath}` : "";
    await ctx.host.run(`rm -f ${stale.join(" ")}\nmkdir -p "$(dirname ${appliedHashPath})"\necho ${shellQuote(ctx.inputs.configHash)} > ${appliedHashPath}${adopt}`, { step: this.name, mutating: true });
    invalidate(ctx);
  },
};

/** The markers for rewritten API server files, written before the files (kubeadm has run here). */
async function markPending(ctx: NodeContext, stale: RemoteFile[], step: string): Promise<void> {
  if (ctx.inputs.role !== "control-plane") return;
  const restart = stale.filter((f) => apiServerFileEffect(f.path) === "restart").map((f) => f.path);
  const reload = stale.some((f) => apiServerFileEffect(f.path) === "reload");
  if (!restart.length && !reload) return;
  const lines = [`mkdir -p ${clusterkitDir}`];
  if (restart.length) lines.push(markerScript(apiServerRestartPendingPath, restart, "append"));
  // The host's clock, not ours: the API server's reload metrics are stamped with it.
  if (reload) lines.push(`date +%s > ${authnReloadPendingPath}`);
  await ctx.host.run(lines.join("\n"), { step, mutating: true });
}
