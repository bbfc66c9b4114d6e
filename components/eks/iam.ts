/** The cluster role and the node role, each with only the AWS-managed policies it needs. */
import * as aws from "@pulumi/aws";
import { clusterRolePolicies, clusterTrustPolicy, nodeRolePolicies, nodeTrustPolicy } from "../../core/render/eks/iam";
import type { Partition } from "../../core/render/eks/partition";
import { named, type EksBuildContext } from "./context";

export interface RoleWithPolicies {
  role: aws.iam.Role;
  /** Its policies (managed attachments and inline ones): whoever uses the role waits for them. */
  attachments: (aws.iam.RolePolicyAttachment | aws.iam.RolePolicy)[];
}

/** A role and one attachment per managed policy (the policy's short name keeps URNs readable). */
export function roleWithPolicies(ctx: EksBuildContext, name: string, assumeRolePolicy: aws.iam.RoleArgs["assumeRolePolicy"], policies: string[], description: string): RoleWithPolicies {
  const role = new aws.iam.Role(name, { assumeRolePolicy, description, tags: named(ctx, name) }, ctx.opts());
  const attachments: RoleWithPolicies["attachments"] = policies.map(
    (arn) => new aws.iam.RolePolicyAttachment(`${name}-${arn.split("/").pop()}`, { role: role.name, policyArn: arn }, ctx.opts()),
  );
  return { role, attachments };
}

export function createRoles(ctx: EksBuildContext, partition: Partition): { cluster: RoleWithPolicies; node: RoleWithPolicies } {
  return {
    cluster: roleWithPolicies(ctx, `${ctx.name}-cluster`, JSON.stringify(clusterTrustPolicy()), clusterRolePolicies(partition), `EKS control plane of ${ctx.name}`),
    node: roleWithPolicies(ctx, `${ctx.name}-node`, JSON.stringify(nodeTrustPolicy()), nodeRolePolicies(partition), `Managed nodes of ${ctx.name}`),
  };
}
