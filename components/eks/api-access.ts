/**
 * Networks routed into the VPC (VPN, peering, CI runners) reach the private endpoint only if the
 * cluster security group EKS creates lets them in on 443. One rule per network, so the first
 * `pulumi up` from such a network can install the add-ons without a manual step.
 */
import * as aws from "@pulumi/aws";
import { named, type EksBuildContext } from "./context";

export function createPrivateApiAccess(ctx: EksBuildContext, cluster: aws.eks.Cluster, cidrs: string[]): aws.vpc.SecurityGroupIngressRule[] {
  const groupId = cluster.vpcConfig.apply((v) => {
    if (!v.clusterSecurityGroupId) throw new Error(`EKS cluster ${ctx.name} reported no cluster security group`);
    return v.clusterSecurityGroupId;
  });
  return cidrs.map((cidr) => {
    const name = `${ctx.name}-api-from-${cidr.replace(/[./]/g, "-")}`;
    return new aws.vpc.SecurityGroupIngressRule(
      name,
      { securityGroupId: groupId, cidrIpv4: cidr, ipProtocol: "tcp", fromPort: 443, toPort: 443, description: `Kubernetes API from ${cidr} (apiPrivateAccessCidrs)`, tags: named(ctx, name) },
      ctx.opts(),
    );
  });
}
