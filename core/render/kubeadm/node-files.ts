/**
 * Every file one node needs for kubeadm, in the order to write them, and a hash of what kubeadm
 * applied for drift detection. The hash is computed with placeholder secrets, so it never depends
 * on (or reveals) a token or key, and a fresh join token does not count as drift.
 */
import { createHash } from "node:crypto";
import { ClusterkitError } from "../../errors";
import type { ClusterSpec, NodeSpec } from "../../spec";
import { admissionConfiguration } from "./apiserver/admission";
import { auditPolicy } from "./apiserver/audit-policy";
import { authenticationConfiguration } from "./apiserver/authentication";
import { encryptionConfiguration } from "./apiserver/encryption";
import { clusterConfiguration } from "./cluster-configuration";
import { initDocuments } from "./init-configuration";
import { joinConfiguration } from "./join-configuration";
import { kubeVipPod, type KubeVipVariant } from "./kube-vip";
import { kubeletConfiguration } from "./kubelet";
import { firstControlPlane } from "./node";
import * as paths from "./paths";
import { placeholderSecrets, type NodeSecrets } from "./secrets";
import { toYaml, toYamlDocs } from "./yaml";

export interface NodeFile {
  /** Absolute path on the node. */
  path: string;
  content: string;
  /** Octal file mode for `install -m`, e.g. `0600`. */
  mode: string;
  /** Holds secret material: send it as a Pulumi secret, never log it. */
  sensitive: boolean;
  /** Write before `kubeadm init|join`, or after it succeeded (a later entry for the same path replaces the earlier one). */
  when: "before-kubeadm" | "after-kubeadm";
  /** Only kubeadm reads it, once; delete it after kubeadm succeeded (it holds one-use tokens). */
  ephemeral: boolean;
}

/** Whether this node runs `kubeadm init` (the first control plane) rather than `kubeadm join`. */
export function isInitNode(spec: ClusterSpec, node: NodeSpec): boolean {
  return firstControlPlane(spec).name === node.name;
}

function file(path: string, content: string, opts: Partial<Omit<NodeFile, "path" | "content">> = {}): NodeFile {
  return { path, content, mode: "0600", sensitive: false, when: "before-kubeadm", ephemeral: false, ...opts };
}

/** The API server's own config files, identical on every control plane. */
export function apiServerFiles(spec: ClusterSpec, secrets: NodeSecrets): NodeFile[] {
  const docs: [string, object | null, boolean][] = [
    [paths.auditPolicyPath, auditPolicy(spec), false],
    [paths.encryptionConfigPath, encryptionConfiguration(spec, secrets.encryption), true],
    [paths.authenticationConfigPath, authenticationConfiguration(spec), false],
    [paths.admissionConfigPath, admissionConfiguration(spec), false],
  ];
  return docs.filter((d): d is [string, object, boolean] => d[1] !== null).map(([p, doc, sensitive]) => file(p, toYaml(doc), { sensitive }));
}

function kubeVipFile(spec: ClusterSpec, node: NodeSpec, variant: KubeVipVariant, when: NodeFile["when"]): NodeFile[] {
  const pod = kubeVipPod(spec, node, variant);
  return pod ? [file(paths.kubeVipManifestPath, toYaml(pod), { when })] : [];
}

export function nodeFiles(spec: ClusterSpec, node: NodeSpec, secrets: NodeSecrets): NodeFile[] {
  const missing = (what: string) =>
    ClusterkitError.failure("(rendered kubeadm config)", `nodes.${node.name}`, `node ${node.name} needs ${what}`, "see NodeSecrets in core/render/kubeadm/secrets.ts");
  if (isInitNode(spec, node)) {
    if (!secrets.init) throw missing("init secrets (bootstrap token and certificate key)");
    return [
      file(paths.kubeadmConfigPath, toYamlDocs(initDocuments(spec, node, secrets.init)), { sensitive: true, ephemeral: true }),
      ...apiServerFiles(spec, secrets),
      ...kubeVipFile(spec, node, "bootstrap", "before-kubeadm"),
      ...kubeVipFile(spec, node, "steady", "after-kubeadm"),
    ];
  }
  if (!secrets.join) throw missing("join secrets (token and CA certificate hash)");
  const join = file(paths.kubeadmConfigPath, toYaml(joinConfiguration(spec, node, secrets.join)), { sensitive: true, ephemeral: true });
  if (node.role === "worker") return [join];
  return [join, ...apiServerFiles(spec, secrets), ...kubeVipFile(spec, node, "steady", "after-kubeadm")];
}

/**
 * sha256 (hex) of everything kubeadm applied to the node: its files, plus the cluster-wide configs
 * a joining node takes from the cluster (ClusterConfiguration on control planes, the kubelet
 * config everywhere) and the Kubernetes version. Stable across runs, secret-free.
 */
export function nodeConfigHash(spec: ClusterSpec, node: NodeSpec): string {
  const files = nodeFiles(spec, node, placeholderSecrets).map((f) => [f.path, f.mode, f.when, f.ephemeral, f.content]);
  const canonical = JSON.stringify({
    kubernetesVersion: spec.kubernetes.version,
    files,
    cluster: node.role === "control-plane" ? clusterConfiguration(spec) : null,
    kubelet: kubeletConfiguration(spec),
  });
  return createHash("sha256").update(canonical).digest("hex");
}
