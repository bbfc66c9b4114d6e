/**
 * After a file the API server reads only at start-up changed on a running control plane (finish
 * left the pending marker): restart its kube-apiserver and wait until a new container answers
 * /readyz and every etcd member is healthy. Control planes update one after another (each waits
 * for the one before it), so this gate is what keeps the others serving: a server that does not
 * come back fails this node's update, and the control planes after it are not touched. The marker
 * goes only once the new server is healthy, so a re-run after a failure or an interruption
 * restarts it again rather than recording files that never took effect.
 */
import { shellQuote } from "../../ssh";
import { runningApiServer, stopApiServer, stopContainer } from "../cluster/apiserver";
import { log } from "../context";
import { apiServerRestartPendingPath, authnReloadPendingPath } from "../paths";
import type { Phase } from "../phase";
import { kubeadmDone } from "../probe";
import { waitForControlPlane } from "./control-plane-gate";
import { facts, invalidate, type NodeContext } from "./node-context";

export const apiServerRestartWait = { timeoutMs: 300_000, intervalMs: 2_000 };

export const restartApiServer: Phase<NodeContext> = {
  name: "restart-apiserver",
  async needed(ctx) {
    const f = await facts(ctx, this.name);
    return ctx.inputs.role === "control-plane" && kubeadmDone(f, ctx.inputs.init) && f.apiServerRestartPending;
  },
  async run(ctx) {
    const step = this.name;
    const changed = [...new Set((await ctx.host.read(`cat ${apiServerRestartPendingPath} 2>/dev/null || true`, step)).split("\n").filter(Boolean))];
    log(`${ctx.label}: restarting kube-apiserver for ${changed.join(", ") || "its changed start-up files"}`);
    await restartControlPlane(ctx, step, `its restart for the changed ${changed.join(", ") || "start-up files"}`);
    // The new server read every file at its start, the authentication config included.
    await ctx.host.run(`rm -f ${shellQuote(apiServerRestartPendingPath)} ${shellQuote(authnReloadPendingPath)}`, { step, mutating: true });
    log(`${ctx.label}: kube-apiserver restarted and healthy`);
    invalidate(ctx);
  },
};

/**
 * Stops this control plane's kube-apiserver (and `others`, e.g. after a certificate renewal) and
 * waits until a new kube-apiserver container answers /readyz and every etcd member is healthy, or
 * fails naming what it saw. `after` says what the restart was for, in the error.
 */
export async function restartControlPlane(ctx: NodeContext, step: string, after: string, others: string[] = []): Promise<void> {
  const old = await runningApiServer(ctx.host, step);
  for (const name of others) await stopContainer(ctx.host, name, step);
  // None running: it is crash-looping or starting; the kubelet's next start reads the new files.
  if (old) await stopApiServer(ctx.host, old, step);
  await waitForControlPlane(ctx, {
    step,
    ...apiServerRestartWait,
    async apiServer() {
      const now = await runningApiServer(ctx.host, step);
      return now && now !== old ? null : "no new kube-apiserver container started";
    },
    timedOut: (state) => ({
      message: `kube-apiserver did not come back healthy within ${apiServerRestartWait.timeoutMs / 1000} s of ${after} (${state}); the control planes after this one were left as they are`,
      hint: "on this host, `crictl ps -a --name kube-apiserver` and `crictl logs <container>` show why it fails; fix the setting in the stack and run `pulumi up` again (the restart is retried)",
    }),
  });
}
