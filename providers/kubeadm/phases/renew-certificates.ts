/**
 * kubeadm issues a control plane's certificates (and the admin kubeconfig clusterkit keeps in
 * state) for a year. When the first of them has fewer than `renewCertificatesBeforeDays` left,
 * renew them all (`kubeadm certs renew all`) and restart the control-plane containers so they load
 * the new ones, gated like any restart on /readyz and etcd health; control planes take their turn
 * one after another. The update then reads the renewed admin kubeconfig into state, so `pulumi up`
 * and the `kubeconfig` output keep working past day 365. An upgrade renews them too (kubeadm does,
 * by default), so a node mid-upgrade is left to it.
 */
import { certificateExpiry, daysLeft } from "../cluster/certs";
import { log } from "../context";
import { underLock } from "../paths";
import type { Phase } from "../phase";
import { kubeadmDone } from "../probe";
import { facts, invalidate, type NodeContext } from "./node-context";
import { restartControlPlane } from "./restart-apiserver";
import { targetOf } from "./upgrade/target";

export const renewCertificates: Phase<NodeContext> = {
  name: "renew-certificates",
  async needed(ctx) {
    const days = ctx.inputs.renewCertificatesBeforeDays;
    if (ctx.inputs.role !== "control-plane" || days === undefined) return false;
    const f = await facts(ctx, this.name);
    if (!kubeadmDone(f, ctx.inputs.init) || f.upgradeTarget !== null || f.kubeletVersion !== targetOf(ctx)) return false;
    const first = await certificateExpiry(ctx.host, this.name);
    return first !== null && daysLeft(first.date) < days;
  },
  async run(ctx) {
    const step = this.name;
    const first = await certificateExpiry(ctx.host, step);
    log(`${ctx.label}: certificates expire ${first ? `on ${first.date.toISOString().slice(0, 10)} (${first.name}, ${daysLeft(first.date)} days left)` : "soon"}; renewing them`);
    await ctx.host.run(underLock("kubeadm certs renew all"), { step, mutating: true, timeoutMs: 5 * 60_000 });
    await restartControlPlane(ctx, step, "the certificate renewal", ["kube-controller-manager", "kube-scheduler", "etcd"]);
    const after = await certificateExpiry(ctx.host, step);
    log(`${ctx.label}: certificates renewed${after ? `, valid until ${after.date.toISOString().slice(0, 10)}` : ""}`);
    invalidate(ctx);
  },
};
