/**
 * `kubeadm upgrade apply` on the first control plane to upgrade, `kubeadm upgrade node` on every
 * other node. Which is which comes from the cluster, not the inventory: while the kubeadm-config
 * ConfigMap still records an older version, nobody applied the upgrade yet. A control plane is
 * done only when its own API server answers at the target, /readyz and all, and etcd is healthy.
 */
import { clusterVersion, localApiServerVersion } from "../../cluster/upgrade";
import { log } from "../../context";
import { underLock } from "../../paths";
import type { Phase } from "../../phase";
import { waitForControlPlane } from "../control-plane-gate";
import { anyAdmin, facts, invalidate, type NodeContext } from "../node-context";
import { upgradeKubeadmDonePath, writeMarker } from "./markers";
import { targetOf, upgradeWait } from "./target";

export const kubeadmUpgrade: Phase<NodeContext> = {
  name: "kubeadm-upgrade",
  async needed(ctx) {
    const f = await facts(ctx, this.name);
    return f.upgradeTarget === targetOf(ctx) && f.upgradeKubeadmDone !== targetOf(ctx);
  },
  async run(ctx) {
    const step = this.name;
    const target = targetOf(ctx);
    const cp = ctx.inputs.role === "control-plane";
    const admin = cp ? ctx.host : await anyAdmin(ctx, step);
    const apply = cp && admin !== null && (await clusterVersion(admin, step)) !== target;
    const command = apply ? `kubeadm upgrade apply ${target} --yes` : "kubeadm upgrade node";
    log(`${ctx.label}: ${command}`);
    await ctx.host.run(underLock(command), { step, mutating: true, timeoutMs: 20 * 60_000 });
    if (cp) {
      await waitForControlPlane(ctx, {
        step,
        timeoutMs: upgradeWait.apiServerMs,
        intervalMs: upgradeWait.intervalMs,
        async apiServer() {
          const version = await localApiServerVersion(ctx.host, step);
          return version === target ? null : version === null ? "its API server does not answer" : `its API server runs ${version}`;
        },
        timedOut: (state) => ({
          message: `the control plane did not come back at ${target} within ${upgradeWait.apiServerMs / 1000} s (${state}); the nodes after it were left as they are`,
          hint: "look at `crictl ps -a` and `crictl logs` on this host, then run pulumi up again (it resumes here)",
        }),
      });
    }
    await writeMarker(ctx.host, upgradeKubeadmDonePath, target, step);
    invalidate(ctx);
  },
};
