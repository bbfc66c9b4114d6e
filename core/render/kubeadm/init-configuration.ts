/**
 * `kubeadm init --config` for the first control plane: InitConfiguration, ClusterConfiguration,
 * KubeletConfiguration and (unless Cilium replaces it) KubeProxyConfiguration in one file.
 */
import type { ClusterSpec, NodeSpec } from "../../spec";
import { clusterConfiguration, kubeadmApiVersion } from "./cluster-configuration";
import { kubeProxyConfiguration, kubeProxyReplaced } from "./kube-proxy";
import { kubeletConfiguration } from "./kubelet";
import { apiServerBindPort, nodeAddress } from "./node";
import { nodeRegistration } from "./node-registration";
import type { InitSecrets } from "./secrets";

/** kubeadm always registers a bootstrap token at init; ours lives just long enough to be unused. */
export const initTokenTtl = "15m0s";

export function initConfiguration(spec: ClusterSpec, node: NodeSpec, secrets: InitSecrets): object {
  return {
    apiVersion: kubeadmApiVersion,
    kind: "InitConfiguration",
    bootstrapTokens: [
      {
        token: secrets.bootstrapToken,
        description: "clusterkit: registered by kubeadm init",
        ttl: initTokenTtl,
        usages: ["signing", "authentication"],
        groups: ["system:bootstrappers:kubeadm:default-node-token"],
      },
    ],
    nodeRegistration: nodeRegistration(spec, node),
    localAPIEndpoint: { advertiseAddress: nodeAddress(node), bindPort: apiServerBindPort(spec) },
    certificateKey: secrets.certificateKey,
    ...(kubeProxyReplaced(spec) && { skipPhases: ["addon/kube-proxy"] }),
  };
}

export function initDocuments(spec: ClusterSpec, node: NodeSpec, secrets: InitSecrets): object[] {
  const proxy = kubeProxyConfiguration(spec);
  return [initConfiguration(spec, node, secrets), clusterConfiguration(spec), kubeletConfiguration(spec), ...(proxy ? [proxy] : [])];
}
