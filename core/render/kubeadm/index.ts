/**
 * kubeadm renderers: pure functions of the ClusterSpec (plus per-node and secret parameters) that
 * produce every file a kubeadm node needs. No I/O, no Pulumi. docs/kubeadm.md explains each default.
 *
 * How the provider uses them, per node (`spec.nodes` lists control planes first, in join order):
 *
 *   const files = nodeFiles(spec, node, secrets);      // NodeFile[]: path, content, mode, when, ...
 *   // 1. write every `when: "before-kubeadm"` file (`install -m <mode>`; sensitive ones as secrets)
 *   // 2. run kubeadmCommand(spec, node)                // init on the first control plane, join elsewhere
 *   // 3. write every `when: "after-kubeadm"` file, delete the `ephemeral` ones
 *   // 4. write nodeConfigHash(spec, node) to kubeadmPaths.appliedHashPath; read() compares it
 *
 * Secrets (`NodeSecrets`) are parameters, never read from anywhere:
 *   - first control plane: `init` = { bootstrapToken, certificateKey } and `encryption`;
 *   - other control planes: `join` = { token, caCertHash, certificateKey } and `encryption`;
 *   - workers: `join` = { token, caCertHash }.
 * Files holding them are `sensitive: true`. `nodeConfigHash` uses placeholders, so it is stable
 * across fresh tokens and reveals nothing. A node whose address is still unknown (vSphere DHCP) is
 * passed as `{ ...node, address }`; a missing secret or address throws ClusterkitError.
 *
 * The render* functions return single files as YAML text, for callers that need just one.
 */
import type { ClusterSpec, NodeSpec } from "../../spec";
import { admissionConfiguration } from "./apiserver/admission";
import { auditPolicy } from "./apiserver/audit-policy";
import { authenticationConfiguration } from "./apiserver/authentication";
import { encryptionConfiguration, type EncryptionOptions } from "./apiserver/encryption";
import { initDocuments } from "./init-configuration";
import { joinConfiguration } from "./join-configuration";
import { kubeProxyConfiguration } from "./kube-proxy";
import { kubeVipPod, type KubeVipVariant } from "./kube-vip";
import { kubeletConfiguration } from "./kubelet";
import { isInitNode } from "./node-files";
import { kubeadmConfigPath } from "./paths";
import type { EncryptionSecrets, InitSecrets, JoinSecrets } from "./secrets";
import { toYaml, toYamlDocs } from "./yaml";

export type { EncryptionKey, EncryptionSecrets, InitSecrets, JoinSecrets, NodeSecrets } from "./secrets";
export { placeholders, placeholderSecrets } from "./secrets";
export type { NodeFile } from "./node-files";
export { apiServerFiles, isInitNode, nodeConfigHash, nodeFiles } from "./node-files";
export { controlPlaneEndpoint, findNode, firstControlPlane } from "./node";
export { kubeadmArtifacts, isKubeadmPlatform } from "./artifacts";
export { kubeVipImage, type KubeVipVariant } from "./kube-vip";
export * as kubeadmPaths from "./paths";
export { apiServerFileEffect, type FileEffect } from "./apiserver/file-effects";

/** argv of the kubeadm command for this node; the config file is `kubeadmPaths.kubeadmConfigPath`. */
export function kubeadmCommand(spec: ClusterSpec, node: NodeSpec): string[] {
  return isInitNode(spec, node) ? ["kubeadm", "init", "--config", kubeadmConfigPath, "--upload-certs"] : ["kubeadm", "join", "--config", kubeadmConfigPath];
}

/** InitConfiguration + ClusterConfiguration + KubeletConfiguration (+ KubeProxyConfiguration). */
export function renderInitConfig(spec: ClusterSpec, node: NodeSpec, secrets: InitSecrets): string {
  return toYamlDocs(initDocuments(spec, node, secrets));
}

/** JoinConfiguration; control planes need `secrets.certificateKey`. */
export function renderJoinConfig(spec: ClusterSpec, node: NodeSpec, secrets: JoinSecrets): string {
  return toYaml(joinConfiguration(spec, node, secrets));
}

export function renderKubeletConfig(spec: ClusterSpec): string {
  return toYaml(kubeletConfiguration(spec));
}

/** null when Cilium replaces kube-proxy. */
export function renderKubeProxyConfig(spec: ClusterSpec): string | null {
  const doc = kubeProxyConfiguration(spec);
  return doc && toYaml(doc);
}

/** null when `spec.security.auditLog.enabled` is false. */
export function renderAuditPolicy(spec: ClusterSpec): string | null {
  const doc = auditPolicy(spec);
  return doc && toYaml(doc);
}

/** null when `spec.security.encryptionAtRest.enabled` is false. */
export function renderEncryptionConfig(spec: ClusterSpec, secrets: EncryptionSecrets, opts?: EncryptionOptions): string | null {
  const doc = encryptionConfiguration(spec, secrets, opts);
  return doc && toYaml(doc);
}

/** null on versions before 1.30 without anything to configure (OIDC then goes through `--oidc-*` flags). */
export function renderAuthenticationConfig(spec: ClusterSpec): string | null {
  const doc = authenticationConfiguration(spec);
  return doc && toYaml(doc);
}

export function renderAdmissionConfig(spec: ClusterSpec): string {
  return toYaml(admissionConfiguration(spec));
}

/** null unless the endpoint is kube-vip and the node a control plane. `bootstrap`: the first control plane during init. */
export function renderKubeVipManifest(spec: ClusterSpec, node: NodeSpec, variant: KubeVipVariant): string | null {
  const pod = kubeVipPod(spec, node, variant);
  return pod && toYaml(pod);
}
