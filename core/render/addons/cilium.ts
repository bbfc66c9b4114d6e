/**
 * Cilium's Helm values, from the spec.
 *
 * kubeadm clusters: `ipam.mode: kubernetes`, so Cilium hands out pod addresses from the node pod
 * CIDRs the controller manager carves out of the spec's pod CIDR (the same range kubeadm gets),
 * tunnelled over VXLAN so the node network needs no routes for it.
 *
 * EKS, `eksMode: chaining` (the default): the VPC CNI keeps IPAM and routing (pods get VPC
 * addresses, security groups and the aws-node add-on stay as AWS supports them) and Cilium attaches
 * on top for NetworkPolicy, load balancing and Hubble. Transparent encryption is not available in
 * chaining mode. `eksMode: eni`: Cilium replaces aws-node and allocates ENI addresses itself (the
 * EKS platform then skips the vpc-cni add-on); choose it for Cilium's full feature set, including
 * WireGuard, at the cost of leaving the AWS-supported data path.
 *
 * kube-proxy replacement: Cilium handles Services in eBPF and kube-proxy is not installed, so
 * Cilium cannot use the `kubernetes` Service to find the API server; `k8sServiceHost`/`Port` point
 * at the control-plane endpoint instead (on EKS, the cluster endpoint once it exists).
 */
import type { ClusterSpec, CniSpec } from "../../spec";
import { withRawValues, type AddonInstall, type ReleasePlan } from "./helm";

export type CiliumSpec = Extract<CniSpec, { kind: "cilium" }>;

export interface ApiServerAddress {
  host: string;
  port: number;
}

/** The API server address Cilium must use without kube-proxy; null where only the platform knows it (EKS). */
export function kubeadmApiServer(spec: ClusterSpec): ApiServerAddress | null {
  const ep = spec.controlPlane.endpoint;
  if (ep.kind === "eks-managed" || !ep.host) return null;
  return { host: ep.host, port: ep.port };
}

/** `https://host:port` → address; EKS endpoints carry no port and listen on 443. */
export function apiServerFromUrl(url: string): ApiServerAddress {
  const u = new URL(url);
  return { host: u.hostname, port: u.port ? Number(u.port) : 443 };
}

function datapath(spec: ClusterSpec, cni: CiliumSpec): Record<string, unknown> {
  switch (cni.eksMode) {
    case "chaining":
      return { cni: { chainingMode: "aws-cni", exclusive: false }, enableIPv4Masquerade: false, routingMode: "native", endpointRoutes: { enabled: true } };
    case "eni":
      // Pods take VPC addresses, so traffic inside the VPC must leave unmasqueraded.
      return { eni: { enabled: true }, ipam: { mode: "eni" }, routingMode: "native", ipv4NativeRoutingCIDR: spec.networking.nodeCidr };
    case null:
      return { ipam: { mode: "kubernetes" }, k8s: { requireIPv4PodCIDR: true }, routingMode: "tunnel", tunnelProtocol: "vxlan" };
  }
}

export function ciliumValues(spec: ClusterSpec, cni: CiliumSpec, apiServer: ApiServerAddress | null): Record<string, unknown> {
  const values: Record<string, unknown> = {
    ...datapath(spec, cni),
    // The chart's default is false; we always say which it is.
    kubeProxyReplacement: cni.kubeProxyReplacement,
    hubble: { enabled: cni.hubble.enabled, relay: { enabled: cni.hubble.enabled }, ui: { enabled: cni.hubble.ui } },
    encryption: cni.encryption === "wireguard" ? { enabled: true, type: "wireguard" } : { enabled: false },
    rollOutCiliumPods: true,
  };
  if (cni.kubeProxyReplacement) {
    if (!apiServer) throw new Error("cilium: kube-proxy replacement needs the API server address; resolve() should have refused this spec");
    values.k8sServiceHost = apiServer.host;
    values.k8sServicePort = apiServer.port;
  }
  return withRawValues(values, cni.values);
}

export function ciliumRelease(spec: ClusterSpec, cni: CiliumSpec, apiServer: ApiServerAddress | null): ReleasePlan {
  return { name: "cilium", namespace: "kube-system", chart: cni.chart, values: ciliumValues(spec, cni, apiServer) };
}

export function ciliumInstall(spec: ClusterSpec, cni: CiliumSpec, apiServer: ApiServerAddress | null): AddonInstall {
  return { namespaces: [], releases: [ciliumRelease(spec, cni, apiServer)], objects: [] };
}
