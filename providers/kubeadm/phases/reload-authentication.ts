/**
 * After the AuthenticationConfiguration changed on a running control plane (finish left the
 * pending marker with the time it wrote the file): the API server reloads that file by itself,
 * without a restart, polling it about once a minute. Wait until it reports the new configuration
 * applied, through its reload metrics, so the next control plane only changes once this one took
 * it; a refused file (it keeps the previous one) fails the update with the reason to look for.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { ClusterkitError } from "../../../core/errors";
import { kubeadmPaths } from "../../../core/render/kubeadm";
import { shellQuote } from "../../ssh";
import { authnReloadOutcome, authnReloadStatus } from "../cluster/apiserver";
import { log } from "../context";
import { authnReloadPendingPath } from "../paths";
import type { Phase } from "../phase";
import { kubeadmDone } from "../probe";
import { facts, invalidate, where, type NodeContext } from "./node-context";

export const authnReloadWait = { timeoutMs: 180_000, intervalMs: 2_000 };

export const reloadAuthentication: Phase<NodeContext> = {
  name: "reload-authentication",
  async needed(ctx) {
    const f = await facts(ctx, this.name);
    return ctx.inputs.role === "control-plane" && kubeadmDone(f, ctx.inputs.init) && f.authnReloadPending;
  },
  async run(ctx) {
    const step = this.name;
    const since = Number((await ctx.host.read(`cat ${authnReloadPendingPath} 2>/dev/null || true`, step)).trim()) || 0;
    const deadline = Date.now() + authnReloadWait.timeoutMs;
    for (;;) {
      const outcome = authnReloadOutcome(await authnReloadStatus(ctx.host, step), since);
      if (outcome === "applied") break;
      if (outcome === "refused" || Date.now() >= deadline) {
        throw ClusterkitError.failure(
          where(ctx),
          step,
          outcome === "refused"
            ? `kube-apiserver refused to reload the changed ${kubeadmPaths.authenticationConfigPath} and keeps serving the previous one; the control planes after this one were left as they are`
            : `kube-apiserver did not report reloading the changed ${kubeadmPaths.authenticationConfigPath} within ${authnReloadWait.timeoutMs / 1000} s; the control planes after this one were left as they are`,
          "the API server's log on this host (`crictl logs <kube-apiserver container>`) says why (look for \"authentication config\"); fix the OIDC settings in the stack and run `pulumi up` again",
        );
      }
      await sleep(authnReloadWait.intervalMs);
    }
    await ctx.host.run(`rm -f ${shellQuote(authnReloadPendingPath)}`, { step, mutating: true });
    log(`${ctx.label}: kube-apiserver reloaded its authentication configuration (no restart)`);
    invalidate(ctx);
  },
};
