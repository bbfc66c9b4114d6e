/**
 * The record of which CNI and pod CIDR a cluster was built with, kept in the cluster as a
 * ConfigMap. The Addons component creates it once and never updates it (ignoreChanges), so its
 * outputs keep the original values; every later run compares them with the spec and refuses a
 * change (core/resolve/rules/cni.ts, replaceOnlyChanges) before the CNI is touched.
 */
import type { NetworkIdentity } from "../../resolve/rules/cni";
import type { ClusterSpec } from "../../spec";
import { meta, type K8sObject } from "./k8s";

export const networkIdentityName = "clusterkit-network-identity";

export function networkIdentity(spec: ClusterSpec): NetworkIdentity {
  // On EKS, chaining and ENI mode are different datapaths: moving between them is a CNI change.
  const cni = spec.cni.kind === "cilium" && spec.cni.eksMode ? `cilium-${spec.cni.eksMode}` : spec.cni.kind;
  // EKS pods take VPC addresses: there is no pod CIDR of our own to change.
  return { cni, podCidr: spec.networking.podCidr ?? "vpc" };
}

export function networkIdentityConfigMap(spec: ClusterSpec): K8sObject {
  return {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: meta(spec, networkIdentityName, "kube-system"),
    data: { ...networkIdentity(spec) },
  };
}
