/**
 * Flannel's Helm values, from the spec. The chart's own namespace holds a privileged DaemonSet
 * (it writes the CNI config and binaries to the host), so `kube-flannel` enforces `privileged`,
 * as upstream's install guide labels it.
 */
import type { ClusterSpec, CniSpec } from "../../spec";
import { imageValues, mirroredImage } from "../../mirrors";
import { withRawValues, type AddonInstall } from "./helm";
import { namespace } from "./k8s";

export type FlannelSpec = Extract<CniSpec, { kind: "flannel" }>;

export const flannelNamespace = "kube-flannel";

export function flannelValues(spec: ClusterSpec, cni: FlannelSpec): Record<string, unknown> {
  if (!spec.networking.podCidr) throw new Error("flannel: the spec has no pod CIDR; resolve() should have refused it");
  const images = imageValues(spec.mirrors.images, (m) => ({
    "flannel.image.repository": mirroredImage(m, "ghcr.io/flannel-io/flannel"),
    "flannel.flannel_cni.image.repository": mirroredImage(m, "ghcr.io/flannel-io/flannel-cni-plugin"),
    "netpol.image.repository": mirroredImage(m, "registry.k8s.io/networking/kube-network-policies"),
  }));
  const curated = { podCidr: spec.networking.podCidr, flannel: { backend: cni.backend }, netpol: { enabled: cni.networkPolicy } };
  return withRawValues(withRawValues(curated, images), cni.values);
}

export function flannelInstall(spec: ClusterSpec, cni: FlannelSpec): AddonInstall {
  return {
    namespaces: [namespace(spec, flannelNamespace, "privileged")],
    releases: [{ name: "flannel", namespace: flannelNamespace, chart: cni.chart, values: flannelValues(spec, cni) }],
    objects: [],
  };
}
