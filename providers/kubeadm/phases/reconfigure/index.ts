/**
 * A node's reconfiguration, as one phase of its update (after the upgrade and file phases): the
 * components whose configuration changed (`restartOn` in state against the new inputs), plus those
 * an earlier run left in this node's marker, rolled out the way kubeadm documents it. The marker
 * goes first; then kubeadm's ConfigMaps (patched by the first node to get there); on a control
 * plane, the cluster-wide restarts that follow a patched ConfigMap (kube-proxy, add-ons), the API
 * server's certificate, then each affected static pod, gated on its health; then the kubelet
 * (workers at most `workerBatchSize` at a time, and none once a control plane failed in this run).
 * Control planes go one after another (each waits for the one before it), so a component that does
 * not come back stops the rollout at its node; the marker stays and the next run resumes there.
 */
import { ClusterkitError } from "../../../../core/errors";
import { changedComponents, components, configMapOf, staticPods, type Component } from "../../../../core/render/kubeadm/reconfigure";
import { log } from "../../context";
import type { Phase } from "../../phase";
import { kubeadmDone } from "../../probe";
import type { NodeOutputs } from "../../types";
import { anyAdmin, facts, invalidate, where, type NodeContext } from "../node-context";
import { controlPlaneFailed, failedControlPlane, workerSlot } from "../upgrade/run-state";
import { reapplyAddons, restartKubeProxy } from "./cluster-wide";
import { syncConfigMap, type ConfigMapName } from "./config-maps";
import { reconfigureKubelet } from "./kubelet";
import { clearPending, parsePending, reconfigureConfigPath, writePending } from "./marker";
import { regenerateStaticPod, reissueApiServerCertificate } from "./static-pods";

/** What this node acts on: every component on a control plane; the kubelet on a worker (kube-proxy's rollout is a control plane's). */
export function nodeWork(role: "control-plane" | "worker", list: Component[]): Component[] {
  return components.filter((c) => list.includes(c) && (role === "control-plane" || c === "kubelet"));
}

export function reconfigure(olds: NodeOutputs): Phase<NodeContext> {
  let work: Component[] = [];
  let resumed = new Set<Component>();
  return {
    name: "reconfigure",
    async needed(ctx) {
      const f = await facts(ctx, this.name);
      if (!kubeadmDone(f, ctx.inputs.init) || f.upgradeTarget !== null) return false;
      // An upgrade re-renders every component itself (the diff refuses one that comes with a reconfiguration).
      if (olds.kubernetesVersion !== ctx.inputs.kubernetesVersion) return false;
      const pending = parsePending(f.reconfigurePending.join(" "));
      const changed = olds.restartOn && ctx.inputs.restartOn ? changedComponents(olds.restartOn, ctx.inputs.restartOn) : [];
      work = nodeWork(ctx.inputs.role, [...pending, ...changed]);
      resumed = new Set(pending);
      return work.length > 0 && !!ctx.inputs.reconfigure;
    },
    async run(ctx) {
      const step = this.name;
      const cp = ctx.inputs.role === "control-plane";
      const { cluster, name } = ctx.inputs;
      log(`${ctx.label}: reconfiguring ${work.join(", ")}${resumed.size ? ` (resuming ${[...resumed].join(", ")})` : ""}`);
      await writePending(ctx.host, work, step);
      invalidate(ctx);
      try {
        const admin = await anyAdmin(ctx, step);
        if (!admin) throw ClusterkitError.failure(where(ctx), step, "no control plane answers with the admin kubeconfig, so kubeadm's ConfigMaps cannot be updated", "bring a control plane back, then run pulumi up again");
        const data = ctx.inputs.reconfigure!.configMaps;
        const patched = new Set<ConfigMapName>();
        for (const cm of [...new Set(work.map(configMapOf))]) {
          const want = cm && data[cm];
          if (cm && want && (await syncConfigMap(admin, cm, want, step))) {
            patched.add(cm);
            log(`${ctx.label}: the ${cm} ConfigMap updated`);
          }
        }
        if (cp) {
          await ctx.host.writeFile({ path: reconfigureConfigPath, content: ctx.inputs.reconfigure!.config, mode: "0600" }, step);
          if (work.includes("addons") && (patched.has("kubeadm-config") || resumed.has("addons"))) await reapplyAddons(ctx, !!data["kube-proxy"], step);
          if (work.includes("kube-proxy") && data["kube-proxy"] && (patched.has("kube-proxy") || resumed.has("kube-proxy"))) await restartKubeProxy(ctx, admin, step);
          if (work.includes("apiserver-certificate")) await reissueApiServerCertificate(ctx, step);
          for (const c of staticPods) if (work.includes(c)) await regenerateStaticPod(ctx, c, step);
        }
        if (work.includes("kubelet")) {
          if (cp) await reconfigureKubelet(ctx, step);
          else {
            await workerSlot(cluster, ctx.inputs.upgrade?.workerBatchSize ?? 1)(async () => {
              const failed = failedControlPlane(cluster);
              if (failed) {
                throw ClusterkitError.failure(where(ctx), step, `the reconfiguration of control plane ${failed} failed in this run, so this worker's kubelet was left as it is`, "fix what stopped that control plane, then run pulumi up again (it resumes there)");
              }
              await reconfigureKubelet(ctx, step);
            });
          }
        }
        await clearPending(ctx.host, step);
      } catch (e) {
        if (cp) controlPlaneFailed(cluster, name);
        throw e;
      }
      log(`${ctx.label}: reconfigured (${work.join(", ")})`);
      invalidate(ctx);
    },
  };
}
