/**
 * The cluster's IAM OIDC provider and the IRSA roles of the managed add-ons. Each role trusts
 * exactly one service account (`:sub`) for the STS audience (`:aud`).
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { irsaRoles, irsaTrustPolicy, stsAudience, type IrsaRoleSpec } from "../../core/render/eks/irsa";
import type { Partition } from "../../core/render/eks/partition";
import { named, type EksBuildContext } from "./context";
import { roleWithPolicies, type RoleWithPolicies } from "./iam";

export interface Irsa {
  provider: aws.iam.OpenIdConnectProvider;
  /** The cluster's OIDC issuer URL (https://oidc.eks.<region>.amazonaws.com/id/…). */
  issuerUrl: pulumi.Output<string>;
  roles: Partial<Record<IrsaRoleSpec["key"], RoleWithPolicies>>;
}

export function createIrsa(ctx: EksBuildContext, cluster: aws.eks.Cluster, partition: Partition, addons: { vpcCni: boolean; ciliumEni: boolean }): Irsa {
  const issuerUrl = cluster.identities.apply((ids) => {
    const issuer = ids[0]?.oidcs?.[0]?.issuer;
    if (!issuer) throw new Error(`EKS cluster ${ctx.name} reported no OIDC issuer`);
    return issuer;
  });
  const provider = new aws.iam.OpenIdConnectProvider(`${ctx.name}-oidc`, { url: issuerUrl, clientIdLists: [stsAudience], tags: named(ctx, `${ctx.name}-oidc`) }, ctx.opts());
  const roles: Irsa["roles"] = {};
  for (const spec of irsaRoles(partition, addons)) {
    const trust = pulumi.all([provider.arn, issuerUrl]).apply(([arn, url]) => JSON.stringify(irsaTrustPolicy(arn, url, spec.serviceAccount)));
    const role = roleWithPolicies(ctx, `${ctx.name}-${spec.key}`, trust, spec.policies, `${spec.description} (IRSA, ${ctx.name})`);
    if (spec.inlinePolicy) {
      const { name, document } = spec.inlinePolicy;
      role.attachments.push(new aws.iam.RolePolicy(`${ctx.name}-${spec.key}-${name}`, { role: role.role.name, policy: JSON.stringify(document) }, ctx.opts()));
    }
    roles[spec.key] = role;
  }
  return { provider, issuerUrl, roles };
}
