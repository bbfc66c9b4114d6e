/**
 * Kubernetes objects as plain data, and the helpers every add-on renderer shares: labels from the
 * cluster's tags, namespaces with their Pod Security level, DNS-safe names and YAML output.
 */
import { stringify } from "yaml";
import type { ClusterSpec } from "../../spec";

export interface ObjectMeta {
  name: string;
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  [field: string]: unknown;
}

/** Pod Security Standards level a namespace enforces. */
export type PodSecurityLevel = "privileged" | "baseline" | "restricted";

const labelName = /^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const labelPrefix = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const labelValue = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

export function isLabelKey(key: string): boolean {
  const slash = key.lastIndexOf("/");
  const prefix = slash < 0 ? null : key.slice(0, slash);
  const name = slash < 0 ? key : key.slice(slash + 1);
  return labelName.test(name) && (prefix === null || (prefix.length <= 253 && labelPrefix.test(prefix)));
}

export function isLabelValue(value: string): boolean {
  return value.length <= 63 && labelValue.test(value);
}

/** Labels on every object clusterkit renders: the cluster's tags that are valid label pairs. */
export function clusterLabels(spec: ClusterSpec): Record<string, string> {
  const out: Record<string, string> = { "app.kubernetes.io/managed-by": "clusterkit" };
  for (const [k, v] of Object.entries(spec.tags)) if (isLabelKey(k) && isLabelValue(v)) out[k] = v;
  return out;
}

export function meta(spec: ClusterSpec, name: string, namespace?: string, extra: Partial<ObjectMeta> = {}): ObjectMeta {
  return {
    name,
    ...(namespace ? { namespace } : {}),
    labels: { ...clusterLabels(spec), ...extra.labels },
    ...(extra.annotations ? { annotations: extra.annotations } : {}),
  };
}

/**
 * A namespace with its Pod Security level. Node agents (CNI, CSI, MetalLB's speaker) need host
 * access, so their namespaces are `privileged`; everything else warns and audits at `restricted`.
 */
export function namespace(spec: ClusterSpec, name: string, enforce: PodSecurityLevel): K8sObject {
  return {
    apiVersion: "v1",
    kind: "Namespace",
    metadata: meta(spec, name, undefined, {
      labels: {
        "pod-security.kubernetes.io/enforce": enforce,
        "pod-security.kubernetes.io/warn": enforce === "privileged" ? "privileged" : "restricted",
        "pod-security.kubernetes.io/audit": enforce === "privileged" ? "privileged" : "restricted",
      },
    }),
  };
}

const dnsLabel = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

export function isDnsLabel(name: string): boolean {
  return name.length <= 63 && dnsLabel.test(name);
}

/** Turns free text (an OIDC group, a policy name) into a DNS label, keeping it recognisable. */
export function toDnsLabel(text: string): string {
  const s = text
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, "-")
    .replace(/-+/g, "-")
    .replace(/^-|-$/g, "");
  return (s || "x").slice(0, 63).replace(/-$/, "");
}

/** Objects as one multi-document YAML file. */
export function toYaml(objects: readonly unknown[]): string {
  return objects.map((o) => stringify(o, { lineWidth: 0 })).join("---\n");
}
