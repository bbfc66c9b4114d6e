/** Paths on a kubeadm node the provider checks; the rendered files' paths come from core/render/kubeadm. */
import { kubeadmPaths } from "../../core/render/kubeadm";

export const adminKubeconfigPath = kubeadmPaths.adminKubeconfigPath;
export const kubeletKubeconfigPath = "/etc/kubernetes/kubelet.conf";
export const apiServerManifestPath = `${kubeadmPaths.staticPodDir}/kube-apiserver.yaml`;
export const etcdManifestPath = `${kubeadmPaths.staticPodDir}/etcd.yaml`;
export const appliedHashPath = kubeadmPaths.appliedHashPath;
export const kubeadmConfigPath = kubeadmPaths.kubeadmConfigPath;
export const clusterkitDir = kubeadmPaths.clusterkitDir;
/**
 * `kubeadm init` completion, as clusterkit saw it: "started" is written right before kubeadm
 * init runs, "complete" only after it exited 0, in the same remote command. admin.conf cannot say
 * this: kubeadm writes it in its kubeconfig phase, long before the phases that can fail
 * (wait-control-plane, upload-config, ...). Both live in clusterkitDir, which a reset removes.
 */
export const initStartedPath = `${kubeadmPaths.clusterkitDir}/init-started`;
export const initCompletePath = `${kubeadmPaths.clusterkitDir}/init-complete`;
/**
 * Written right before a file the API server reads at start-up is rewritten on a running control
 * plane (it lists those files), removed once the API server restarted and is healthy again. Until
 * then every run restarts it, so an interrupted run still ends with the new files in effect.
 */
export const apiServerRestartPendingPath = `${kubeadmPaths.clusterkitDir}/apiserver-restart-pending`;
/**
 * Written (the host's time, epoch seconds) right before the AuthenticationConfiguration is
 * rewritten on a running control plane, removed once the API server reports it reloaded it.
 */
export const authnReloadPendingPath = `${kubeadmPaths.clusterkitDir}/authn-reload-pending`;
/** A node's upgrade in progress (see phases/upgrade/markers.ts). */
export const upgradeTargetPath = `${kubeadmPaths.clusterkitDir}/upgrade-target`;
export const upgradeKubeadmDonePath = `${kubeadmPaths.clusterkitDir}/upgrade-kubeadm-done`;
export const upgradeCordonedPath = `${kubeadmPaths.clusterkitDir}/upgrade-cordoned`;
/** A node's OS patch round (see phases/os-patch/markers.ts). */
export const osPatchDonePath = `${kubeadmPaths.clusterkitDir}/os-patch-done`;
export const osPatchRoundPath = `${kubeadmPaths.clusterkitDir}/os-patch-round`;
export const osPatchPackagesPath = `${kubeadmPaths.clusterkitDir}/os-patch-packages`;
export const osPatchCordonedPath = `${kubeadmPaths.clusterkitDir}/os-patch-cordoned`;
export const osPatchBootPath = `${kubeadmPaths.clusterkitDir}/os-patch-boot`;
/** Serialises kubeadm runs on a host: a command orphaned by a dropped connection finishes first. */
export const lockPath = "/run/clusterkit-kubeadm.lock";

/**
 * Runs `body` holding the host's kubeadm lock (waits up to 15 minutes for a previous run). The
 * body runs with the lock's descriptor closed (bash keeps a close-on-exec copy), so daemons it
 * starts cannot inherit the lock and hold it after the run.
 */
export const underLock = (body: string) => `exec 9>${lockPath}\nflock -w 900 9\n{\n${body}\n} 9>&-`;

/** Files kubeadm leaves when it has started on a host, whether it finished or not. */
export const kubeadmTraces = [kubeletKubeconfigPath, `${kubeadmPaths.pkiDir}/ca.crt`, apiServerManifestPath, etcdManifestPath, "/var/lib/kubelet/config.yaml"];

export const anyExists = (paths: string[]) => paths.map((p) => `[ -e ${p} ]`).join(" || ");
