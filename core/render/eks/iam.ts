/**
 * IAM documents for the EKS platform, as plain objects. Each role gets the narrowest AWS-managed
 * policies that do its job; the VPC CNI's ENI permissions go to its own IRSA role, not to every
 * node, so a pod that reaches the node's credentials cannot rewire the VPC.
 */
import { managedPolicyArn, type Partition } from "./partition";

export interface PolicyStatement {
  Sid?: string;
  Effect: "Allow" | "Deny";
  Principal?: Record<string, string | string[]>;
  Action: string | string[];
  Resource?: string | string[];
  Condition?: Record<string, Record<string, string | string[]>>;
}

export interface PolicyDocument {
  Version: "2012-10-17";
  Statement: PolicyStatement[];
}

/** The EKS control plane assumes the cluster role; TagSession lets it tag what it creates. */
export function clusterTrustPolicy(): PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Principal: { Service: "eks.amazonaws.com" }, Action: ["sts:AssumeRole", "sts:TagSession"] }],
  };
}

export function nodeTrustPolicy(): PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }],
  };
}

/** Managed policies of the cluster role. */
export function clusterRolePolicies(partition: Partition): string[] {
  return [managedPolicyArn(partition, "AmazonEKSClusterPolicy")];
}

/**
 * Managed policies of the node role: describe EC2 for the kubelet, and pull (only pull) from ECR.
 * AmazonEKS_CNI_Policy is deliberately absent: see irsa.ts.
 */
export function nodeRolePolicies(partition: Partition): string[] {
  return [managedPolicyArn(partition, "AmazonEKSWorkerNodePolicy"), managedPolicyArn(partition, "AmazonEC2ContainerRegistryPullOnly")];
}

/**
 * What the cluster role may do with the secrets-encryption key, and nothing else: EKS wraps data
 * keys with it and needs grants to keep using it.
 */
export function clusterKmsPolicy(keyArn: string): PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "EksSecretsEnvelopeEncryption",
        Effect: "Allow",
        Action: ["kms:Encrypt", "kms:Decrypt", "kms:ListGrants", "kms:DescribeKey", "kms:CreateGrant"],
        Resource: keyArn,
      },
    ],
  };
}
