/**
 * Field-name checker for rendered Kubernetes config objects, driven by the upstream Go type field
 * lists in test/reference (see its README for the format). It follows Go types into nested
 * structs, slices, maps and embedded (inline) structs and reports every JSON key the type lacks.
 * Types outside those files are described below from their upstream sources.
 */
import * as fs from "node:fs";
import * as path from "node:path";

export interface FieldList {
  fields: Record<string, { type: string; optional: boolean }>;
  inline?: string[];
}
export type FieldFile = Record<string, FieldList>;

import { referenceDir } from "./support/reference";
export { referenceDir };

function load(name: string): FieldFile {
  return JSON.parse(fs.readFileSync(path.join(referenceDir, name), "utf8")) as FieldFile;
}

const f = (type: string) => ({ type, optional: true });

/** Types other packages define, as far as rendered objects use them. */
const external: FieldFile = {
  // k8s.io/apimachinery/pkg/apis/meta/v1 TypeMeta
  "metav1.TypeMeta": { fields: { apiVersion: f("string"), kind: f("string") } },
  // k8s.io/api/core/v1 Taint, EnvVar
  "corev1.Taint": { fields: { key: f("string"), value: f("string"), effect: f("string"), timeAdded: f("*metav1.Time") } },
  "v1.Taint": { fields: { key: f("string"), value: f("string"), effect: f("string"), timeAdded: f("*metav1.Time") } },
  "corev1.EnvVar": { fields: { name: f("string"), value: f("string") } },
  // apiserver types_encryption.go: `type IdentityConfiguration struct{}` (no fields, so absent from the list).
  IdentityConfiguration: { fields: {} },
  // k8s.io/pod-security-admission/api/v1 (the PodSecurity plugin's configuration in AdmissionConfiguration)
  PodSecurityConfiguration: { fields: { defaults: f("PodSecurityDefaults"), exemptions: f("PodSecurityExemptions") }, inline: ["metav1.TypeMeta"] },
  PodSecurityDefaults: {
    fields: { enforce: f("string"), "enforce-version": f("string"), audit: f("string"), "audit-version": f("string"), warn: f("string"), "warn-version": f("string") },
  },
  PodSecurityExemptions: { fields: { usernames: f("[]string"), namespaces: f("[]string"), runtimeClasses: f("[]string") } },
  // k8s.io/kube-proxy/config/v1alpha1 KubeProxyConfiguration: only the fields clusterkit sets.
  KubeProxyConfiguration: { fields: { mode: f("string"), clusterCIDR: f("string"), metricsBindAddress: f("string") }, inline: ["metav1.TypeMeta"] },
};

/** Go types that serialise as JSON scalars. */
const scalarTypes = new Set(["metav1.Duration", "metav1.Time", "metav1.MicroTime", "types.UID", "resource.Quantity", "intstr.IntOrString", "BootstrapTokenString"]);
const goScalar = /^(string|bool|byte|rune|u?int(8|16|32|64)?|float(32|64))$/;

/** The kind → (struct, field file, apiVersions) table of the objects clusterkit renders. */
export const kinds: Record<string, { struct: string; file: string; apiVersions: string[] }> = {
  InitConfiguration: { struct: "InitConfiguration", file: "kubeadm-v1beta4.fields.json", apiVersions: ["kubeadm.k8s.io/v1beta4"] },
  ClusterConfiguration: { struct: "ClusterConfiguration", file: "kubeadm-v1beta4.fields.json", apiVersions: ["kubeadm.k8s.io/v1beta4"] },
  JoinConfiguration: { struct: "JoinConfiguration", file: "kubeadm-v1beta4.fields.json", apiVersions: ["kubeadm.k8s.io/v1beta4"] },
  KubeletConfiguration: { struct: "KubeletConfiguration", file: "kubelet-v1beta1.fields.json", apiVersions: ["kubelet.config.k8s.io/v1beta1"] },
  AuthenticationConfiguration: {
    struct: "AuthenticationConfiguration",
    file: "apiserver-authn.fields.json",
    apiVersions: ["apiserver.config.k8s.io/v1", "apiserver.config.k8s.io/v1beta1"],
  },
  AdmissionConfiguration: { struct: "AdmissionConfiguration", file: "apiserver-authn.fields.json", apiVersions: ["apiserver.config.k8s.io/v1"] },
  EncryptionConfiguration: { struct: "EncryptionConfiguration", file: "apiserver-encryption.fields.json", apiVersions: ["apiserver.config.k8s.io/v1"] },
  Policy: { struct: "Policy", file: "audit-v1.fields.json", apiVersions: ["audit.k8s.io/v1"] },
  PodSecurityConfiguration: { struct: "PodSecurityConfiguration", file: "(external)", apiVersions: ["pod-security.admission.config.k8s.io/v1"] },
  KubeProxyConfiguration: { struct: "KubeProxyConfiguration", file: "(external)", apiVersions: ["kubeproxy.config.k8s.io/v1alpha1"] },
};

const cache = new Map<string, FieldFile>();
function fieldFile(name: string): FieldFile {
  if (name === "(external)") return {};
  if (!cache.has(name)) cache.set(name, load(name));
  return cache.get(name)!;
}

class Walker {
  readonly problems: string[] = [];
  constructor(private readonly file: FieldFile) {}

  private struct(name: string): FieldList | undefined {
    const bare = name.replace(/^[a-z0-9]+\./, "");
    return this.file[name] ?? external[name] ?? (name.includes(".") ? this.file[bare] : undefined) ?? external[bare];
  }

  /** All JSON keys of a struct, its inline structs' keys included. */
  private fieldsOf(name: string): Map<string, string> {
    const s = this.struct(name)!;
    const out = new Map<string, string>();
    for (const inl of s.inline ?? []) {
      if (!this.struct(inl)) this.problems.push(`(type ${name}): no field list for embedded ${inl}`);
      else for (const [k, v] of this.fieldsOf(inl)) out.set(k, v);
    }
    for (const [k, v] of Object.entries(s.fields)) out.set(k, v.type);
    return out;
  }

  check(value: unknown, type: string, at: string): void {
    const t = type.replace(/^\*/, "");
    if (value === null || value === undefined) return;
    if (t.startsWith("[]")) {
      if (!Array.isArray(value)) return void this.problems.push(`${at}: expected a list (${type})`);
      value.forEach((v, i) => this.check(v, t.slice(2), `${at}[${i}]`));
      return;
    }
    const map = /^map\[[^\]]+\](.+)$/.exec(t);
    if (map) {
      if (typeof value !== "object" || Array.isArray(value)) return void this.problems.push(`${at}: expected a map (${type})`);
      for (const [k, v] of Object.entries(value)) this.check(v, map[1], `${at}.${k}`);
      return;
    }
    if (t === "runtime.Unknown" || t === "runtime.RawExtension") return this.embedded(value, at);
    if (goScalar.test(t) || scalarTypes.has(t) || !this.struct(t)) {
      if (typeof value === "object") this.problems.push(`${at}: ${type} is not a struct with a known field list, found an object`);
      return;
    }
    if (typeof value !== "object" || Array.isArray(value)) return void this.problems.push(`${at}: expected an object (${type})`);
    const fields = this.fieldsOf(t);
    for (const [k, v] of Object.entries(value)) {
      const ft = fields.get(k);
      if (ft === undefined) this.problems.push(`${at ? `${at}.` : ""}${k}: no such field in ${t}`);
      else this.check(v, ft, at ? `${at}.${k}` : k);
    }
  }

  /** A nested object identified by its own apiVersion/kind (e.g. a plugin configuration). */
  private embedded(value: unknown, at: string): void {
    const problems = checkObject(value, at);
    this.problems.push(...problems);
  }
}

/** Problems with one rendered object (empty when every field name exists). `at` prefixes the paths. */
export function checkObject(obj: unknown, at = ""): string[] {
  if (!obj || typeof obj !== "object") return [`${at || "(root)"}: not an object`];
  const { kind, apiVersion } = obj as { kind?: string; apiVersion?: string };
  const entry = kind ? kinds[kind] : undefined;
  if (!entry) return [`${at || "(root)"}: no field list for kind ${JSON.stringify(kind)}`];
  const problems: string[] = [];
  if (!entry.apiVersions.includes(apiVersion ?? "")) problems.push(`${at ? `${at}.` : ""}apiVersion: ${JSON.stringify(apiVersion)} is not one of ${entry.apiVersions.join(", ")}`);
  const w = new Walker(fieldFile(entry.file));
  w.check(obj, entry.struct, at);
  return [...problems, ...w.problems];
}
