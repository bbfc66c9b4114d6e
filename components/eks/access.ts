/**
 * Who may use the cluster's API. The identity that creates the cluster is admin through EKS itself
 * (bootstrapClusterCreatorAdminPermissions); everyone else gets an access entry and one access
 * policy association here, named after the principal so reordering the list changes nothing.
 */
import * as aws from "@pulumi/aws";
import { principalSlug, type EksAccessEntryArgs } from "../../core/render/eks/access";
import { named, type EksBuildContext } from "./context";

export function createAccessEntries(ctx: EksBuildContext, cluster: aws.eks.Cluster, entries: EksAccessEntryArgs[]): aws.eks.AccessPolicyAssociation[] {
  return entries.map((e) => {
    const name = `${ctx.name}-access-${principalSlug(e.principalArn)}`;
    const entry = new aws.eks.AccessEntry(name, { clusterName: cluster.name, principalArn: e.principalArn, type: "STANDARD", tags: named(ctx, name) }, ctx.opts());
    return new aws.eks.AccessPolicyAssociation(
      name,
      { clusterName: cluster.name, principalArn: entry.principalArn, policyArn: e.policyArn, accessScope: e.scope },
      ctx.opts({ dependsOn: [entry] }),
    );
  });
}
