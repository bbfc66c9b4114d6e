/**
 * ClusterConfiguration (kubeadm.k8s.io/v1beta4): the cluster-wide part kubeadm stores in the
 * `kubeadm-config` ConfigMap; joining control planes read it from there.
 */
import type { ClusterSpec } from "../../spec";
import { mirroredRegistry } from "../../mirrors";
import { apiServerComponent } from "./apiserver/component";
import { args } from "./args";
import { kubeProxyReplaced } from "./kube-proxy";
import { controlPlaneEndpoint } from "./node";

export const kubeadmApiVersion = "kubeadm.k8s.io/v1beta4";

/**
 * With an image mirror, the control-plane images (and etcd, and the pause image kubeadm checks)
 * come from `<mirror>/registry.k8s.io`. kubeadm drops CoreDNS's extra `coredns/` path level for any
 * repository but registry.k8s.io itself, so CoreDNS gets its own repository to keep the upstream path.
 */
function imageRepositories(spec: ClusterSpec): object {
  const mirror = spec.mirrors.images;
  if (!mirror) return {};
  const repository = mirroredRegistry(mirror, "registry.k8s.io");
  return { imageRepository: repository, dns: { imageRepository: `${repository}/coredns` } };
}

export function clusterConfiguration(spec: ClusterSpec): object {
  const { networking } = spec;
  const extra = spec.controlPlane.extraArgs;
  return {
    apiVersion: kubeadmApiVersion,
    kind: "ClusterConfiguration",
    clusterName: spec.name,
    kubernetesVersion: `v${spec.kubernetes.version}`,
    ...imageRepositories(spec),
    controlPlaneEndpoint: controlPlaneEndpoint(spec),
    networking: {
      serviceSubnet: networking.serviceCidr,
      ...(networking.podCidr && { podSubnet: networking.podCidr }),
      dnsDomain: networking.dnsDomain,
    },
    apiServer: apiServerComponent(spec),
    // CIS 1.3.2 / 1.4.1: no pprof endpoints on the controller manager and scheduler.
    controllerManager: { extraArgs: args({ profiling: false, ...extra.controllerManager }) },
    scheduler: { extraArgs: args({ profiling: false, ...extra.scheduler }) },
    // Stacked etcd (kubeadm's default, the only topology clusterkit runs); the section appears
    // only with flags, so clusters without any keep their documents as they were.
    ...(Object.keys(extra.etcd).length > 0 && { etcd: { local: { extraArgs: args(extra.etcd) } } }),
    ...(kubeProxyReplaced(spec) && { proxy: { disabled: true } }),
  };
}
