/**
 * What `clusterkit plan --out` writes for kubeadm platforms (bare metal, vSphere): the same
 * renderers the provider uses, with placeholders for every secret and for addresses not known yet.
 */
import type { Artifact } from "../artifacts";
import type { ClusterSpec } from "../../spec";
import { admissionConfiguration } from "./apiserver/admission";
import { auditPolicy } from "./apiserver/audit-policy";
import { authenticationConfiguration } from "./apiserver/authentication";
import { encryptionConfiguration } from "./apiserver/encryption";
import { initDocuments } from "./init-configuration";
import { joinConfiguration } from "./join-configuration";
import { kubeProxyConfiguration } from "./kube-proxy";
import { kubeVipPod } from "./kube-vip";
import { kubeletConfiguration } from "./kubelet";
import { placeholderSecrets } from "./secrets";
import { toYaml, toYamlDocs } from "./yaml";

export function isKubeadmPlatform(spec: ClusterSpec): boolean {
  return spec.platform.kind === "baremetal" || spec.platform.kind === "vsphere";
}

/** The spec with a placeholder for every node address a DHCP lease will only tell later. */
export function withAddressPlaceholders(spec: ClusterSpec): ClusterSpec {
  if (spec.nodes.every((n) => n.address)) return spec;
  return { ...spec, nodes: spec.nodes.map((n) => (n.address ? n : { ...n, address: `<address of ${n.name}>` })) };
}

export function kubeadmArtifacts(input: ClusterSpec): Artifact[] {
  if (!isKubeadmPlatform(input)) return [];
  const spec = withAddressPlaceholders(input);
  const cps = spec.nodes.filter((n) => n.role === "control-plane");
  const worker = spec.nodes.find((n) => n.role === "worker");
  const out: Artifact[] = [];
  const add = (path: string, doc: object | null) => {
    if (doc) out.push({ path, content: toYaml(doc) });
  };
  if (cps[0]) out.push({ path: "kubeadm/init.yaml", content: toYamlDocs(initDocuments(spec, cps[0], placeholderSecrets.init)) });
  if (cps[1]) add("kubeadm/join-control-plane.yaml", joinConfiguration(spec, cps[1], placeholderSecrets.join));
  if (worker) add("kubeadm/join-worker.yaml", joinConfiguration(spec, worker, { token: placeholderSecrets.join.token, caCertHash: placeholderSecrets.join.caCertHash }));
  add("kubelet/config.yaml", kubeletConfiguration(spec));
  add("kube-proxy/config.yaml", kubeProxyConfiguration(spec));
  add("apiserver/audit-policy.yaml", auditPolicy(spec));
  add("apiserver/encryption-config.yaml", encryptionConfiguration(spec, placeholderSecrets.encryption));
  add("apiserver/authentication-config.yaml", authenticationConfiguration(spec));
  add("apiserver/admission-config.yaml", admissionConfiguration(spec));
  if (cps[0]) {
    add("manifests/kube-vip.yaml", kubeVipPod(spec, cps[0], "steady"));
    add("manifests/kube-vip-during-init.yaml", kubeVipPod(spec, cps[0], "bootstrap"));
  }
  return out;
}
