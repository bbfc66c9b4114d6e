/**
 * EKS storage drivers. The EBS CSI driver is an EKS managed add-on the EKS platform installs with
 * its IRSA role (core/render/eks/addons.ts); here only its classes are made. EFS classes need the
 * EFS CSI driver, which this adds as a managed add-on with its own IRSA role, pinned to the
 * controller's service account.
 */
import type { ClusterSpec } from "../../spec";
import { irsaTrustPolicy, type ServiceAccountRef } from "../eks/irsa";
import type { PolicyDocument } from "../eks/iam";
import { managedPolicyArn, partitionOf } from "../eks/partition";

export interface EksCsiAddon {
  addonName: string;
  serviceAccount: ServiceAccountRef;
  policyArn: string;
}

export const efsCsiServiceAccount: ServiceAccountRef = { namespace: "kube-system", name: "efs-csi-controller-sa" };

export function eksCsiAddons(spec: ClusterSpec): EksCsiAddon[] {
  if (spec.platform.kind !== "eks" || !spec.storage.classes.some((c) => c.kind === "efs")) return [];
  return [
    {
      addonName: "aws-efs-csi-driver",
      serviceAccount: efsCsiServiceAccount,
      policyArn: managedPolicyArn(partitionOf(spec.region), "service-role/AmazonEFSCSIDriverPolicy"),
    },
  ];
}

export function csiTrustPolicy(addon: EksCsiAddon, oidcProviderArn: string, issuerUrl: string): PolicyDocument {
  return irsaTrustPolicy(oidcProviderArn, issuerUrl, addon.serviceAccount);
}
