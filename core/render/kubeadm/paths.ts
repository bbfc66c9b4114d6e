/**
 * Where rendered files live on a node. The API server reads its config files from one directory,
 * mounted read-only into its static pod, so a single hostPath mount covers them all.
 */

/** clusterkit's own directory; kubeadm never writes or resets anything here. */
export const clusterkitDir = "/etc/kubernetes/clusterkit";
/** The kubeadm config file passed to `kubeadm init|join --config`. Holds one-use tokens. */
export const kubeadmConfigPath = `${clusterkitDir}/kubeadm.yaml`;
/** Written by the provider after a successful apply; `read()` compares it with `nodeConfigHash`. */
export const appliedHashPath = `${clusterkitDir}/applied-config.sha256`;

export const apiserverConfigDir = `${clusterkitDir}/apiserver`;
export const auditPolicyPath = `${apiserverConfigDir}/audit-policy.yaml`;
export const encryptionConfigPath = `${apiserverConfigDir}/encryption-config.yaml`;
export const authenticationConfigPath = `${apiserverConfigDir}/authentication-config.yaml`;
export const admissionConfigPath = `${apiserverConfigDir}/admission-config.yaml`;

export const auditLogDir = "/var/log/kubernetes/audit";
export const auditLogPath = `${auditLogDir}/audit.log`;

export const staticPodDir = "/etc/kubernetes/manifests";
export const kubeVipManifestPath = `${staticPodDir}/kube-vip.yaml`;
export const pkiDir = "/etc/kubernetes/pki";
export const clusterCaPath = `${pkiDir}/ca.crt`;
export const adminKubeconfigPath = "/etc/kubernetes/admin.conf";
/** Written by `kubeadm init` (≥ 1.29) on the first control plane only; bound to system:masters. */
export const superAdminKubeconfigPath = "/etc/kubernetes/super-admin.conf";

export const containerdSocket = "unix:///run/containerd/containerd.sock";
