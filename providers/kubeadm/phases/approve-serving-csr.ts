/**
 * After the kubelet has started: approve its serving-certificate request (see cluster/csr.ts),
 * from a control plane with the admin kubeconfig. The kubelet files it a few seconds after it
 * starts, so the first run waits for it, bounded; a run that finds none goes on with a warning and
 * the next run approves it. Nothing to do once the node holds a serving certificate, or has an
 * approved request and none pending.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { log } from "../context";
import type { RemoteHost } from "../../ssh";
import { approveCsrs, isPending, listCsrs, servingCsrsOf, type CsrStatus } from "../cluster/csr";
import type { Phase } from "../phase";
import { kubeadmDone } from "../probe";
import { anyAdmin, facts, type NodeContext } from "./node-context";

/** Where the kubelet keeps the serving certificate it was issued. */
const servingCertPath = "/var/lib/kubelet/pki/kubelet-server-current.pem";
export const servingCsrWait = { timeoutMs: 60_000, intervalMs: 2_000 };

const mine = async (admin: RemoteHost, node: string, step: string): Promise<CsrStatus[]> => servingCsrsOf(await listCsrs(admin, step), node);

export const approveServingCsr: Phase<NodeContext> = {
  name: "approve-serving-csr",
  async needed(ctx) {
    const f = await facts(ctx, this.name);
    if (!kubeadmDone(f, ctx.inputs.init) || !f.kubeletActive) return false;
    const admin = await anyAdmin(ctx, this.name);
    if (!admin) return false;
    const csrs = await mine(admin, ctx.host.name, this.name);
    if (csrs.some(isPending)) return true;
    if (csrs.some((c) => c.approved)) return false;
    return !(await ctx.host.test(`test -s ${servingCertPath}`, this.name, 20_000));
  },
  async run(ctx) {
    const admin = await anyAdmin(ctx, this.name);
    if (!admin) return;
    const deadline = Date.now() + servingCsrWait.timeoutMs;
    for (;;) {
      const csrs = await mine(admin, ctx.host.name, this.name);
      const pending = csrs.filter(isPending).map((c) => c.name);
      if (pending.length) {
        await approveCsrs(admin, pending, this.name);
        log(`${ctx.label}: approved kubelet serving certificate request ${pending.join(", ")}`);
        return;
      }
      if (csrs.some((c) => c.approved)) return;
      if (Date.now() >= deadline) break;
      await sleep(servingCsrWait.intervalMs);
    }
    log(`${ctx.label}: warning: the kubelet filed no serving certificate request within ${servingCsrWait.timeoutMs / 1000} s; the next run approves it (kubectl logs/exec on this node fail until then)`);
  },
};
