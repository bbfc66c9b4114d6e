/**
 * The contract between the Cluster component and each platform (bare metal, vSphere, EKS): a
 * platform turns the spec into a reachable cluster and hands back how to talk to it. Add-ons
 * (CNI, storage, ingress, OIDC) are then installed the same way on every platform.
 */
import type * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import type { ClusterSpec } from "../core/spec";
import type { ClusterSecrets } from "./secrets";

export interface PlatformResult {
  /** Admin kubeconfig. Always a Pulumi secret. */
  kubeconfig: pulumi.Output<string>;
  /** Provider for everything installed inside the cluster. */
  provider: k8s.Provider;
  /** API server URL as clients reach it, e.g. https://10.5.0.10:6443. */
  apiServerUrl: pulumi.Output<string>;
  /** Resources that must exist before anything is installed in the cluster. */
  ready: pulumi.Resource[];
  /** The platform's component: everything the platform builds is parented to it. */
  component: pulumi.Resource;
  /**
   * Set when the platform's nodes cannot become Ready without the CNI (EKS with Cilium in ENI
   * mode): the add-ons install the CNI first, then call this to create the nodes, and install the
   * rest after what it returns.
   */
  nodesAfterCni?: (cni: pulumi.Resource[]) => pulumi.Resource[];
  /** Platform values some add-ons need (EKS: IRSA roles; vSphere: CSI/CPI credentials). */
  addonInputs: PlatformAddonInputs;
}

export interface PlatformAddonInputs {
  /** EKS: the cluster's OIDC provider ARN and URL, for IRSA roles. */
  eksOidcProviderArn?: pulumi.Output<string>;
  eksOidcProviderUrl?: pulumi.Output<string>;
  /** EKS: name of the cluster, for IdentityProviderConfig and access entries. */
  eksClusterName?: pulumi.Output<string>;
  /** EKS with Cilium in ENI mode: the cilium-operator's IRSA role. */
  eksCiliumOperatorRoleArn?: pulumi.Output<string>;
  /** vSphere: credentials for the CPI and CSI driver (password is a secret). */
  vsphere?: { server: string; user: string; password: pulumi.Output<string>; datacenter: string };
}

export type PlatformBuilder = (spec: ClusterSpec, secrets: ClusterSecrets, parent: pulumi.ComponentResource) => PlatformResult;
