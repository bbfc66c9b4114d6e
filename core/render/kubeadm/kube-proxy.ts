/**
 * KubeProxyConfiguration (kubeproxy.config.k8s.io/v1alpha1), or nothing when Cilium replaces
 * kube-proxy: then kubeadm skips its `addon/kube-proxy` phase and records `proxy.disabled` so a
 * later `kubeadm upgrade` does not install it again.
 */
import type { ClusterSpec } from "../../spec";

export function kubeProxyReplaced(spec: ClusterSpec): boolean {
  return spec.cni.kind === "cilium" && spec.cni.kubeProxyReplacement;
}

export function kubeProxyConfiguration(spec: ClusterSpec): object | null {
  // The resolved mode is null exactly where there is no kube-proxy of ours (Cilium replaces it).
  const mode = spec.networking.kubeProxyMode;
  if (kubeProxyReplaced(spec) || mode === null) return null;
  return {
    apiVersion: "kubeproxy.config.k8s.io/v1alpha1",
    kind: "KubeProxyConfiguration",
    mode,
    // Traffic from outside this range to a Service is masqueraded; pods keep their source IP.
    ...(spec.networking.podCidr && { clusterCIDR: spec.networking.podCidr }),
    // Metrics stay on loopback (the default, written out so a later change is a visible diff).
    metricsBindAddress: "127.0.0.1:10249",
  };
}
