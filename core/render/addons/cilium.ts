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
import { ciliumOperatorServiceAccount } from "../eks/cilium-operator";
import { imageValues, mirroredImage } from "../../mirrors";
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

/** What the plan shows where only the created IAM role knows its ARN. */
export const eksCiliumOperatorRolePlaceholder = "<IAM role of the cilium-operator, known once it exists>";

/** Platform values: on EKS in ENI mode, the cilium-operator's IRSA role (see core/render/eks/cilium-operator.ts). */
export interface CiliumPlatformValues {
  eksOperatorRoleArn?: string;
}

/** ENI mode: the operator, the one part that calls EC2, assumes its own role through its service account. */
function operatorIdentity(cni: CiliumSpec, platform: CiliumPlatformValues): Record<string, unknown> {
  if (cni.eksMode !== "eni") return {};
  const roleArn = platform.eksOperatorRoleArn ?? eksCiliumOperatorRolePlaceholder;
  return { serviceAccounts: { operator: { name: ciliumOperatorServiceAccount.name, annotations: { "eks.amazonaws.com/role-arn": roleArn } } } };
}

export function ciliumValues(spec: ClusterSpec, cni: CiliumSpec, apiServer: ApiServerAddress | null, platform: CiliumPlatformValues = {}): Record<string, unknown> {
  const values: Record<string, unknown> = {
    ...datapath(spec, cni),
    ...operatorIdentity(cni, platform),
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
  return withRawValues(withRawValues(values, ciliumImages(spec)), cni.values);
}

/** Every image the chart can run, from the mirror (the chart keeps its digests; the operator adds its suffix). */
function ciliumImages(spec: ClusterSpec): Record<string, unknown> {
  return imageValues(spec.mirrors.images, (m) => {
    const quay = (name: string) => mirroredImage(m, `quay.io/cilium/${name}`);
    return {
      "image.repository": quay("cilium"),
      "operator.image.repository": quay("operator"),
      "hubble.relay.image.repository": quay("hubble-relay"),
      "hubble.ui.backend.image.repository": quay("hubble-ui-backend"),
      "hubble.ui.frontend.image.repository": quay("hubble-ui"),
      "envoy.image.repository": quay("cilium-envoy"),
      "certgen.image.repository": quay("certgen"),
      "nodeinit.image.repository": quay("startup-script"),
      "preflight.image.repository": quay("cilium"),
      "clustermesh.apiserver.image.repository": quay("clustermesh-apiserver"),
    };
  });
}

/**
 * In ENI mode the release is installed before any node exists (nothing else can make a node
 * Ready), so its pods cannot be waited for; the node groups, which EKS reports healthy only once
 * their nodes are Ready, are what later installs wait on instead.
 */
export function ciliumRelease(spec: ClusterSpec, cni: CiliumSpec, apiServer: ApiServerAddress | null): ReleasePlan {
  const release: ReleasePlan = { name: "cilium", namespace: "kube-system", chart: cni.chart, values: ciliumValues(spec, cni, apiServer) };
  return cni.eksMode === "eni" ? { ...release, skipAwait: true } : release;
}

export function ciliumInstall(spec: ClusterSpec, cni: CiliumSpec, apiServer: ApiServerAddress | null): AddonInstall {
  return { namespaces: [], releases: [ciliumRelease(spec, cni, apiServer)], objects: [] };
}
