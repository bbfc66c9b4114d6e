/**
 * IAM roles for service accounts (IRSA): which Kubernetes service account may assume which role,
 * with which managed policy. Trust policies pin both the audience and the exact service account,
 * so no other pod in the cluster can assume the role.
 */
import { ciliumOperatorEniPolicy, ciliumOperatorServiceAccount } from "./cilium-operator";
import type { PolicyDocument } from "./iam";
import { managedPolicyArn, type Partition } from "./partition";

export interface ServiceAccountRef {
  namespace: string;
  name: string;
}

export interface IrsaRoleSpec {
  /** Short name, used for the Pulumi resource name. */
  key: "vpc-cni" | "ebs-csi" | "cilium-operator";
  serviceAccount: ServiceAccountRef;
  policies: string[];
  /** A policy of its own where no managed one fits; `name` ends its resource name. */
  inlinePolicy?: { name: string; document: PolicyDocument };
  description: string;
}

export const ebsCsiServiceAccount: ServiceAccountRef = { namespace: "kube-system", name: "ebs-csi-controller-sa" };
export const vpcCniServiceAccount: ServiceAccountRef = { namespace: "kube-system", name: "aws-node" };

export const stsAudience = "sts.amazonaws.com";

/** The issuer without its scheme, as IAM condition keys spell it. */
export function issuerHostPath(issuerUrl: string): string {
  return issuerUrl.replace(/^https:\/\//, "");
}

export function irsaTrustPolicy(oidcProviderArn: string, issuerUrl: string, sa: ServiceAccountRef): PolicyDocument {
  const issuer = issuerHostPath(issuerUrl);
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Principal: { Federated: oidcProviderArn },
        Action: "sts:AssumeRoleWithWebIdentity",
        Condition: {
          StringEquals: {
            [`${issuer}:sub`]: `system:serviceaccount:${sa.namespace}:${sa.name}`,
            [`${issuer}:aud`]: stsAudience,
          },
        },
      },
    ],
  };
}

/** The IRSA roles the managed add-ons (and, in ENI mode, the cilium-operator) need, given which run. */
export function irsaRoles(partition: Partition, addons: { vpcCni: boolean; ciliumEni?: boolean }): IrsaRoleSpec[] {
  const roles: IrsaRoleSpec[] = [
    {
      key: "ebs-csi",
      serviceAccount: ebsCsiServiceAccount,
      policies: [managedPolicyArn(partition, "service-role/AmazonEBSCSIDriverPolicy")],
      description: "EBS CSI controller: create, attach and snapshot EBS volumes",
    },
  ];
  if (addons.vpcCni) {
    roles.unshift({
      key: "vpc-cni",
      serviceAccount: vpcCniServiceAccount,
      policies: [managedPolicyArn(partition, "AmazonEKS_CNI_Policy")],
      description: "VPC CNI (aws-node): attach ENIs and assign pod IPs",
    });
  }
  if (addons.ciliumEni) {
    roles.push({
      key: "cilium-operator",
      serviceAccount: ciliumOperatorServiceAccount,
      policies: [],
      inlinePolicy: { name: "eni", document: ciliumOperatorEniPolicy(partition) },
      description: "cilium-operator in ENI mode: create and attach ENIs and assign pod IPs",
    });
  }
  return roles;
}
