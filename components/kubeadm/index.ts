/** The kubeadm cluster component shared by bare metal and vSphere. */
export { KubeadmCluster, type KubeadmClusterArgs, type KubeadmHost } from "./kubeadm-cluster";
