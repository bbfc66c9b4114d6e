/**
 * Every add-on of a cluster as data, in install order: the network identity record, the CNI, then
 * storage and ingress (which need pod networking), and OIDC access. `plan --out` writes it; the
 * tests validate it; the components install the same pieces.
 */
import type { ClusterSpec } from "../../spec";
import type { ApiServerAddress } from "./cilium";
import { kubeadmApiServer } from "./cilium";
import { cniInstall } from "./cni";
import type { AddonInstall } from "./helm";
import { ingressInstalls } from "./ingress";
import type { K8sObject } from "./k8s";
import { networkIdentityConfigMap } from "./network-identity";
import { oidcClusterRoleBindings } from "./oidc";
import { storageInstalls } from "./storage";

export interface AddonPlan {
  networkIdentity: K8sObject;
  cni: AddonInstall;
  /** In order: the drivers, then the classes. */
  storage: AddonInstall[];
  /** In order: MetalLB when it exposes the controller, then the controller. */
  ingress: AddonInstall[];
  oidc: K8sObject[];
}

/** What the plan shows where only the running EKS cluster knows the value. */
export const eksApiServerPlaceholder: ApiServerAddress = { host: "<EKS API endpoint host, known once the cluster exists>", port: 443 };

export function addonPlan(spec: ClusterSpec, apiServer: ApiServerAddress | null = kubeadmApiServer(spec) ?? (spec.platform.kind === "eks" ? eksApiServerPlaceholder : null)): AddonPlan {
  return {
    networkIdentity: networkIdentityConfigMap(spec),
    cni: cniInstall(spec, apiServer),
    storage: storageInstalls(spec),
    ingress: ingressInstalls(spec),
    oidc: oidcClusterRoleBindings(spec),
  };
}
