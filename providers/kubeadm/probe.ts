/**
 * One read-only command that tells where a host stands: which kubeadm files exist, the versions
 * installed, whether kubelet runs, and the config hash applied last. Phases and read() share it.
 */
import type { RemoteHost } from "../ssh";
import { kubectl } from "./cluster/kubectl";
import {
  adminKubeconfigPath,
  anyExists,
  apiServerManifestPath,
  apiServerRestartPendingPath,
  appliedHashPath,
  authnReloadPendingPath,
  initCompletePath,
  initStartedPath,
  kubeadmConfigPath,
  kubeadmTraces,
  kubeletKubeconfigPath,
  osPatchDonePath,
  upgradeCordonedPath,
  upgradeKubeadmDonePath,
  upgradeTargetPath,
} from "./paths";
import { reconfigurePendingPath } from "./phases/reconfigure/marker";
import { restoreSeedPath } from "./cluster/etcd-restore";

export interface HostFacts {
  adminConf: boolean;
  kubeletConf: boolean;
  apiServerManifest: boolean;
  /** kubeadm has started here (finished or not). */
  traces: boolean;
  /** A one-use kubeadm config is still on disk. */
  pendingConfig: boolean;
  /** clusterkit started `kubeadm init` here (see initStartedPath). */
  initStarted: boolean;
  /** `kubeadm init` exited 0 here (see initCompletePath). */
  initComplete: boolean;
  /**
   * Asked only on the init node, when admin.conf exists without the completion marker (clusters
   * initialised before the marker existed): the kubeadm-config ConfigMap, which kubeadm uploads
   * only after the control plane came up, is readable through the API.
   */
  kubeadmConfigMap: boolean;
  /** A file the API server reads at start-up was rewritten and it has not restarted healthy since (see apiServerRestartPendingPath). */
  apiServerRestartPending: boolean;
  /** The AuthenticationConfiguration was rewritten and the API server has not confirmed reloading it. */
  authnReloadPending: boolean;
  /** The upgrade this node is in the middle of (`v1.34.1`), kubeadm's part of it done, and whether clusterkit cordoned it. */
  upgradeTarget: string | null;
  upgradeKubeadmDone: string | null;
  upgradeCordoned: boolean;
  /** Components a reconfiguration started here and has not seen back healthy (see phases/reconfigure/marker.ts). */
  reconfigurePending: string[];
  /** The OS patch round this node finished last (see phases/os-patch/markers.ts). */
  osPatchDone: string | null;
  /** `clusterkit etcd restore` seeded this new machine for kubeadm init (see cluster/etcd-restore.ts restoreSeedPath). */
  restoreSeeded: boolean;
  appliedHash: string | null;
  kubeletVersion: string | null;
  kubeadmVersion: string | null;
  kubeletActive: boolean;
}

const flag = (name: string, test: string) => `if ${test}; then echo ${name}=1; else echo ${name}=0; fi`;

const configMapReadable = `[ -f ${adminKubeconfigPath} ] && [ ! -f ${initCompletePath} ] && ${kubectl} --request-timeout=10s -n kube-system get configmap kubeadm-config -o name >/dev/null 2>&1`;

/** The probe; `init` adds the ConfigMap question for clusters initialised before the marker. */
export function factsScript(init: boolean): string {
  return [
    flag("admin", `[ -f ${adminKubeconfigPath} ]`),
    flag("kubelet_conf", `[ -f ${kubeletKubeconfigPath} ]`),
    flag("apiserver", `[ -f ${apiServerManifestPath} ]`),
    flag("traces", anyExists(kubeadmTraces)),
    flag("pending", `[ -f ${kubeadmConfigPath} ]`),
    flag("init_started", `[ -f ${initStartedPath} ]`),
    flag("init_complete", `[ -f ${initCompletePath} ]`),
    flag("restart_pending", `[ -f ${apiServerRestartPendingPath} ]`),
    flag("reload_pending", `[ -f ${authnReloadPendingPath} ]`),
    ...(init ? [flag("kubeadm_config", configMapReadable)] : []),
    `echo "applied=$(cat ${appliedHashPath} 2>/dev/null || true)"`,
    `echo "upgrade_target=$(cat ${upgradeTargetPath} 2>/dev/null || true)"`,
    `echo "upgrade_kubeadm=$(cat ${upgradeKubeadmDonePath} 2>/dev/null || true)"`,
    flag("upgrade_cordoned", `[ -f ${upgradeCordonedPath} ]`),
    flag("restore_seeded", `[ -f ${restoreSeedPath} ]`),
    `echo "reconfigure_pending=$(cat ${reconfigurePendingPath} 2>/dev/null | tr '\n' ' ')"`,
    `echo "os_patch_done=$(cat ${osPatchDonePath} 2>/dev/null || true)"`,
    `echo "kubelet=$( (kubelet --version 2>/dev/null || true) | awk '{print $2}')"`,
    `echo "kubeadm=$(kubeadm version -o short 2>/dev/null || true)"`,
    `echo "active=$(systemctl is-active kubelet 2>/dev/null || true)"`,
  ].join("\n");
}

/** `key=value` lines, as the probes print them; other lines are left out. */
export function keyValues(out: string): Record<string, string> {
  return Object.fromEntries(
    out
      .split("\n")
      .map((l) => /^(\w+)=(.*)$/.exec(l.trim()))
      .filter((m): m is RegExpExecArray => !!m)
      .map((m) => [m[1], m[2].trim()]),
  );
}

/** An empty value as null. */
export const orNull = (v: string | undefined) => (v ? v : null);

export function parseFacts(out: string): HostFacts {
  const kv = keyValues(out);
  const opt = orNull;
  return {
    adminConf: kv.admin === "1",
    kubeletConf: kv.kubelet_conf === "1",
    apiServerManifest: kv.apiserver === "1",
    traces: kv.traces === "1",
    pendingConfig: kv.pending === "1",
    initStarted: kv.init_started === "1",
    initComplete: kv.init_complete === "1",
    kubeadmConfigMap: kv.kubeadm_config === "1",
    apiServerRestartPending: kv.restart_pending === "1",
    authnReloadPending: kv.reload_pending === "1",
    upgradeTarget: opt(kv.upgrade_target),
    upgradeKubeadmDone: opt(kv.upgrade_kubeadm),
    upgradeCordoned: kv.upgrade_cordoned === "1",
    reconfigurePending: (kv.reconfigure_pending ?? "").split(/\s+/).filter(Boolean),
    osPatchDone: opt(kv.os_patch_done),
    restoreSeeded: kv.restore_seeded === "1",
    appliedHash: opt(kv.applied),
    kubeletVersion: opt(kv.kubelet),
    kubeadmVersion: opt(kv.kubeadm),
    kubeletActive: kv.active === "active",
  };
}

export async function hostFacts(host: RemoteHost, step: string, init = false): Promise<HostFacts> {
  return parseFacts(await host.read(factsScript(init), step, 30_000));
}

/**
 * kubeadm ran to completion here. On the init node: the completion marker, or (a cluster
 * initialised before the marker existed) the kubeadm-config ConfigMap readable through the API;
 * never admin.conf alone, which a failed init leaves behind. On a joined node: kubelet.conf.
 */
export function kubeadmDone(f: HostFacts, init: boolean): boolean {
  return init ? f.initComplete || f.kubeadmConfigMap : f.kubeletConf;
}

/**
 * An init node where kubeadm init left files but did not complete, and which may be reset: either
 * admin.conf is not there yet (init stopped before its kubeconfig phase), or clusterkit started the
 * init and never saw it exit 0. admin.conf without either marker is ambiguous (an older
 * clusterkit's cluster whose API does not answer right now) and is never reset on a guess.
 */
export function partialInit(f: HostFacts): "none" | "partial" | "ambiguous" | "seeded" {
  if (kubeadmDone(f, true) || !f.traces) return "none";
  // A restore's CAs and etcd data, put there for kubeadm init: not a failed init until one started.
  if (f.restoreSeeded) return f.initStarted ? "seeded" : "none";
  return !f.adminConf || f.initStarted ? "partial" : "ambiguous";
}
