/**
 * The cluster's network: a new VPC laid out by the pure layer (public and private subnet per AZ,
 * internet gateway, NAT per AZ or a single one, route tables, EKS load-balancer subnet tags), or
 * an existing VPC and subnets passed through by ID.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { EksNetworkArgs } from "../../core/render/eks/args";
import { natPlan, subnetPlan } from "../../core/render/eks/network";
import { named, type EksBuildContext } from "./context";

export interface EksNetwork {
  vpcId: pulumi.Output<string>;
  privateSubnetIds: pulumi.Output<string>[];
  publicSubnetIds: pulumi.Output<string>[];
  /** Egress must exist before nodes boot, or they cannot pull images and fail to join. */
  egress: pulumi.Resource[];
}

export function createNetwork(ctx: EksBuildContext, net: EksNetworkArgs): EksNetwork {
  if (net.kind === "existing") {
    return {
      vpcId: pulumi.output(net.vpcId),
      privateSubnetIds: net.privateSubnetIds.map((id) => pulumi.output(id)),
      publicSubnetIds: net.publicSubnetIds.map((id) => pulumi.output(id)),
      egress: [],
    };
  }
  const n = ctx.name;
  const vpc = new aws.ec2.Vpc(`${n}-vpc`, { cidrBlock: net.cidr, enableDnsSupport: true, enableDnsHostnames: true, tags: named(ctx, `${n}-vpc`) }, ctx.opts());
  // Adopts the VPC's default security group and strips its rules, so nothing lands in an open group by accident (CIS AWS 5.4).
  new aws.ec2.DefaultSecurityGroup(`${n}-default-sg`, { vpcId: vpc.id, tags: named(ctx, `${n}-default-deny`) }, ctx.opts());
  const igw = new aws.ec2.InternetGateway(`${n}-igw`, { vpcId: vpc.id, tags: named(ctx, `${n}-igw`) }, ctx.opts());

  const subnetIds: Record<"public" | "private", Record<string, pulumi.Output<string>>> = { public: {}, private: {} };
  for (const s of subnetPlan(n, net.publicSubnets, net.privateSubnets)) {
    const subnet = new aws.ec2.Subnet(
      s.name,
      { vpcId: vpc.id, cidrBlock: s.cidr, availabilityZone: s.az, mapPublicIpOnLaunch: false, tags: { ...named(ctx, s.name), ...s.tags } },
      ctx.opts(),
    );
    subnetIds[s.tier][s.az] = subnet.id;
  }

  const publicRt = new aws.ec2.RouteTable(`${n}-public`, { vpcId: vpc.id, tags: named(ctx, `${n}-public`) }, ctx.opts());
  new aws.ec2.Route(`${n}-public-default`, { routeTableId: publicRt.id, destinationCidrBlock: "0.0.0.0/0", gatewayId: igw.id }, ctx.opts());
  for (const [az, id] of Object.entries(subnetIds.public)) {
    new aws.ec2.RouteTableAssociation(`${n}-public-${az}`, { routeTableId: publicRt.id, subnetId: id }, ctx.opts());
  }

  const azs = net.privateSubnets.map((s) => s.az);
  const plan = natPlan(azs, net.natGateways);
  const nats: Record<string, aws.ec2.NatGateway> = {};
  for (const az of plan.natAzs) {
    const eip = new aws.ec2.Eip(`${n}-nat-${az}`, { domain: "vpc", tags: named(ctx, `${n}-nat-${az}`) }, ctx.opts({ dependsOn: [igw] }));
    nats[az] = new aws.ec2.NatGateway(
      `${n}-nat-${az}`,
      { allocationId: eip.id, subnetId: subnetIds.public[az], connectivityType: "public", tags: named(ctx, `${n}-nat-${az}`) },
      ctx.opts({ dependsOn: [igw] }),
    );
  }
  const egress: pulumi.Resource[] = [];
  for (const az of azs) {
    const rt = new aws.ec2.RouteTable(`${n}-private-${az}`, { vpcId: vpc.id, tags: named(ctx, `${n}-private-${az}`) }, ctx.opts());
    egress.push(new aws.ec2.Route(`${n}-private-${az}-default`, { routeTableId: rt.id, destinationCidrBlock: "0.0.0.0/0", natGatewayId: nats[plan.routeVia[az]].id }, ctx.opts()));
    egress.push(new aws.ec2.RouteTableAssociation(`${n}-private-${az}`, { routeTableId: rt.id, subnetId: subnetIds.private[az] }, ctx.opts()));
  }
  return {
    vpcId: vpc.id,
    privateSubnetIds: azs.map((az) => subnetIds.private[az]),
    publicSubnetIds: net.publicSubnets.map((s) => subnetIds.public[s.az]),
    egress,
  };
}
