/**
 * ClusterConfiguration (kubeadm.k8s.io/v1beta4): the cluster-wide part kubeadm stores in the
 * `kubeadm-config` ConfigMap; joining control planes read it from there.
 */
import type { ClusterSpec } from "../../spec";
import { apiServerComponent } from "./apiserver/component";
import { args } from "./args";
import { kubeProxyReplaced } from "./kube-proxy";
import { controlPlaneEndpoint } from "./node";

export const kubeadmApiVersion = "kubeadm.k8s.io/v1beta4";

export function clusterConfiguration(spec: ClusterSpec): object {
  const { networking } = spec;
  return {
    apiVersion: kubeadmApiVersion,
    kind: "ClusterConfiguration",
    clusterName: spec.name,
    kubernetesVersion: `v${spec.kubernetes.version}`,
    controlPlaneEndpoint: controlPlaneEndpoint(spec),
    networking: {
      serviceSubnet: networking.serviceCidr,
      ...(networking.podCidr && { podSubnet: networking.podCidr }),
      dnsDomain: networking.dnsDomain,
    },
    apiServer: apiServerComponent(spec),
    // CIS 1.3.2 / 1.4.1: no pprof endpoints on the controller manager and scheduler.
    controllerManager: { extraArgs: args({ profiling: false }) },
    scheduler: { extraArgs: args({ profiling: false }) },
    ...(kubeProxyReplaced(spec) && { proxy: { disabled: true } }),
  };
}
