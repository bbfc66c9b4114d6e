/**
 * The VPC layout as data: which subnets exist, how each is tagged for EKS load balancers, where
 * the NAT gateways sit and which NAT each private route table uses. CIDRs come from the spec
 * (computed once in core/resolve); this file only arranges them.
 */
import type { EksSubnet } from "../../spec";

export interface SubnetPlan extends EksSubnet {
  tier: "public" | "private";
  name: string;
  tags: Record<string, string>;
}

/**
 * Tags the AWS cloud provider and load balancer controller use to find subnets: public ones for
 * internet-facing load balancers, private ones for internal ones, and the cluster tag for both.
 */
export function subnetTags(clusterName: string, tier: "public" | "private"): Record<string, string> {
  return {
    [`kubernetes.io/cluster/${clusterName}`]: "shared",
    [tier === "public" ? "kubernetes.io/role/elb" : "kubernetes.io/role/internal-elb"]: "1",
  };
}

export function subnetPlan(clusterName: string, publicSubnets: EksSubnet[], privateSubnets: EksSubnet[]): SubnetPlan[] {
  const plan = (tier: "public" | "private") => (s: EksSubnet): SubnetPlan => ({
    ...s,
    tier,
    name: `${clusterName}-${tier}-${s.az}`,
    tags: subnetTags(clusterName, tier),
  });
  return [...publicSubnets.map(plan("public")), ...privateSubnets.map(plan("private"))];
}

export interface NatPlan {
  /** AZs that get a NAT gateway (in their public subnet). */
  natAzs: string[];
  /** For each private subnet's AZ, the AZ of the NAT gateway its route table uses. */
  routeVia: Record<string, string>;
}

/** One NAT per AZ keeps an AZ outage from cutting the others off; a single one is cheaper. */
export function natPlan(azs: string[], mode: "one-per-az" | "single"): NatPlan {
  if (mode === "single") return { natAzs: [azs[0]], routeVia: Object.fromEntries(azs.map((az) => [az, azs[0]])) };
  return { natAzs: [...azs], routeVia: Object.fromEntries(azs.map((az) => [az, az])) };
}
