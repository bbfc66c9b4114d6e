/**
 * What a reconfiguration does once for the whole cluster, right after the ConfigMap it reads was
 * patched (or when this node's marker says an earlier run patched it and stopped): kube-proxy's
 * pods restarted so they read the new config.conf (a rollout of its DaemonSet, waited for), and
 * kubeadm's add-ons (CoreDNS, kube-proxy) re-applied for a new image repository.
 */
import { kubectl } from "../../cluster/kubectl";
import { log } from "../../context";
import { underLock } from "../../paths";
import type { RemoteHost } from "../../../ssh";
import type { NodeContext } from "../node-context";
import { reconfigureConfigPath } from "./marker";
import { reconfigureWait } from "./wait";

export async function restartKubeProxy(ctx: NodeContext, admin: RemoteHost, step: string): Promise<void> {
  const t = reconfigureWait.rolloutSeconds;
  await admin.run(`${kubectl} -n kube-system rollout restart daemonset/kube-proxy\n${kubectl} -n kube-system rollout status daemonset/kube-proxy --timeout=${t}s`, { step, mutating: true, timeoutMs: (t + 60) * 1000 });
  log(`${ctx.label}: kube-proxy restarted on every node with its new configuration`);
}

/** CoreDNS (and kube-proxy, unless Cilium replaces it) re-applied from the new ClusterConfiguration. */
export async function reapplyAddons(ctx: NodeContext, withKubeProxy: boolean, step: string): Promise<void> {
  const cmds = [`kubeadm init phase addon coredns --config ${reconfigureConfigPath}`, ...(withKubeProxy ? [`kubeadm init phase addon kube-proxy --config ${reconfigureConfigPath}`] : [])];
  await ctx.host.run(underLock(cmds.join("\n")), { step, mutating: true, timeoutMs: 5 * 60_000 });
  log(`${ctx.label}: kubeadm's add-ons re-applied for the new image repository`);
}
