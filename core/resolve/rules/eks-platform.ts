/**
 * EKS platform resolution: region, cluster name, AZs, the VPC (new, split into subnets here, or
 * existing by ID), the service range EKS accepts and the KMS key's region. Every problem is
 * collected; the platform spec is returned only when all of them pass.
 */
import type { Blueprint } from "../../schema/blueprint";
import type { EksPlatformSpec } from "../../spec";
import { contains, prefixLength, subnets } from "../cidr";
import { fail, fieldAt, variableAt, type RuleContext } from "../context";
import { awsRegions } from "../../fleet/aws-azs";
import { didYouMean } from "../../schema/issues";
import { checkEksAccess } from "./eks-access";
import { resolveEksUpgrade } from "./eks-upgrade";

const vpcIdPattern = /^vpc-[0-9a-f]{8,17}$/;
const subnetIdPattern = /^subnet-[0-9a-f]{8,17}$/;
/** AWS refuses subnets smaller than a /28. */
const smallestSubnetPrefix = 28;
const privateRanges = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"];

/**
 * Splits the VPC: the first half into one private subnet per AZ (where nodes and pods live), the
 * second half into smaller public ones (load balancers and NAT). Disjoint by construction.
 */
export function eksSubnets(vpcCidr: string, azs: string[]): { privateSubnets: { az: string; cidr: string }[]; publicSubnets: { az: string; cidr: string }[] } {
  const bits = Math.ceil(Math.log2(Math.max(azs.length, 2)));
  const [privateHalf, publicHalf] = subnets(vpcCidr, 1);
  const priv = subnets(privateHalf, bits);
  const pub = subnets(publicHalf, bits).map((s) => subnets(s, 2)[0]);
  return {
    privateSubnets: azs.map((az, i) => ({ az, cidr: priv[i] })),
    publicSubnets: azs.map((az, i) => ({ az, cidr: pub[i] })),
  };
}

/** Prefix of the public subnets eksSubnets would cut: the smaller of the two tiers. */
function publicSubnetPrefix(vpcCidr: string, azCount: number): number {
  return prefixLength(vpcCidr) + 1 + Math.ceil(Math.log2(Math.max(azCount, 2))) + 2;
}

function checkIds(ctx: RuleContext, name: string, ids: string[], pattern: RegExp, example: string): boolean {
  let ok = true;
  ids.forEach((id, i) => {
    if (!pattern.test(id)) {
      fail(ctx, variableAt(ctx, name, [i]), "is not an AWS resource ID of the right kind", { expected: example, found: JSON.stringify(id) });
      ok = false;
    }
  });
  if (new Set(ids).size !== ids.length) {
    fail(ctx, variableAt(ctx, name), "lists a subnet twice");
    ok = false;
  }
  return ok;
}

function resolveVpc(ctx: RuleContext, azs: string[]): EksPlatformSpec["vpc"] | null {
  const v = ctx.variables;
  const vpcCidr = v.vpcCidr as string | undefined;
  const priv = (v.privateSubnetIds as string[] | undefined) ?? [];
  const pub = (v.publicSubnetIds as string[] | undefined) ?? [];
  let ok = true;
  if (!vpcCidr) {
    fail(ctx, variableAt(ctx, "vpcCidr"), "the VPC's CIDR is needed: the range of the VPC clusterkit creates, or of the existing one named by vpcId", {
      expected: "cidr",
      found: "nothing",
      hint: "with vpcId, give the existing VPC's CIDR: clusterkit checks it against the service range and the other stacks of the fleet",
    });
    ok = false;
  }
  if (!v.vpcId) {
    for (const name of ["privateSubnetIds", "publicSubnetIds"]) {
      if (v[name] !== undefined) {
        fail(ctx, variableAt(ctx, name), "existing subnets only apply with an existing VPC; set vpcId too, or remove them to let clusterkit create the VPC");
        ok = false;
      }
    }
    if (!ok || !vpcCidr || azs.length < 2) return null;
    const prefix = publicSubnetPrefix(vpcCidr, azs.length);
    if (prefix > smallestSubnetPrefix) {
      fail(ctx, variableAt(ctx, "vpcCidr"), `is too small for ${azs.length} availability zones: its public subnets would be /${prefix}, and AWS's smallest subnet is a /${smallestSubnetPrefix}`, {
        expected: `/${prefixLength(vpcCidr) - (prefix - smallestSubnetPrefix)} or larger`,
        found: vpcCidr,
      });
      return null;
    }
    return { kind: "new", cidr: vpcCidr, ...eksSubnets(vpcCidr, azs) };
  }

  const vpcId = v.vpcId as string;
  if (!vpcIdPattern.test(vpcId)) {
    fail(ctx, variableAt(ctx, "vpcId"), "is not a VPC ID", { expected: "vpc-0123456789abcdef0", found: JSON.stringify(vpcId) });
    ok = false;
  }
  ok = checkIds(ctx, "privateSubnetIds", priv, subnetIdPattern, "subnet-0123456789abcdef0") && ok;
  ok = checkIds(ctx, "publicSubnetIds", pub, subnetIdPattern, "subnet-0123456789abcdef0") && ok;
  if (priv.length !== azs.length) {
    fail(ctx, variableAt(ctx, "privateSubnetIds"), "an existing VPC needs one private subnet per availability zone in azs", { expected: String(azs.length), found: String(priv.length) });
    ok = false;
  }
  if (pub.length !== 0 && pub.length !== azs.length) {
    fail(ctx, variableAt(ctx, "publicSubnetIds"), "give one public subnet per availability zone, or none for a cluster without internet-facing load balancers", {
      expected: `0 or ${azs.length}`,
      found: String(pub.length),
    });
    ok = false;
  }
  return ok ? { kind: "existing", vpcId, privateSubnetIds: priv, publicSubnetIds: pub } : null;
}

/** EKS takes a private service range between a /24 and a /12 (the rest of networking.ts applies too). */
function checkServiceCidr(ctx: RuleContext): boolean {
  const fromVariable = ctx.variables.serviceCidr as string | undefined;
  const serviceCidr = fromVariable ?? ctx.blueprint.networking.serviceCidr;
  if (!serviceCidr) return true; // networking.ts reports the missing range
  const at = fromVariable !== undefined ? variableAt(ctx, "serviceCidr") : fieldAt(ctx, ["networking", "serviceCidr"]);
  if (!privateRanges.some((r) => contains(r, serviceCidr))) {
    fail(ctx, at, "EKS takes a service range inside 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16", { found: serviceCidr });
    return false;
  }
  if (prefixLength(serviceCidr) > 24) {
    fail(ctx, at, "EKS takes a service range of at least a /24", { expected: "/12../24", found: serviceCidr });
    return false;
  }
  return true;
}

/** EKS only uses a key from its own region. */
function checkKmsKey(ctx: RuleContext, keyArn: string | undefined): boolean {
  if (!keyArn) return true;
  const region = keyArn.split(":")[3];
  if (region !== ctx.region) {
    fail(ctx, fieldAt(ctx, ["platform", "kmsKeyArn"]), `the KMS key must be in the cluster's region ${ctx.region}`, {
      found: region ? `a key in ${region}` : JSON.stringify(keyArn),
      hint: "set the key per region in the stack: config.clusterkit:overrides.platform.kmsKeyArn",
    });
    return false;
  }
  return true;
}

/** The region must be one AWS has (a typo would otherwise surface only at `pulumi up`), and the AWS provider's own must agree. */
function checkRegion(ctx: RuleContext): boolean {
  const regions = awsRegions();
  if (!regions.includes(ctx.region)) {
    const s = didYouMean(ctx.region, regions);
    fail(ctx, { file: ctx.stackFile, path: "config.clusterkit:region" }, "is not an AWS region", {
      expected: "an AWS region, e.g. us-east-1",
      found: JSON.stringify(ctx.region),
      hint: s ? `did you mean '${s}'?` : `known regions: ${regions.join(", ")}`,
    });
    return false;
  }
  const provider = ctx.providerConfig["aws:region"];
  if (provider !== undefined && provider !== ctx.region) {
    // clusterkit builds the cluster in clusterkit:region; a different aws:region would send the
    // stack's other AWS resources (and the kubeconfig's token requests) somewhere else.
    fail(ctx, { file: ctx.stackFile, path: "config.aws:region" }, "disagrees with clusterkit:region, where the cluster is built", {
      expected: JSON.stringify(ctx.region),
      found: typeof provider === "string" ? JSON.stringify(provider) : "a non-string value",
      hint: "remove aws:region (clusterkit sets the AWS provider's region from clusterkit:region), or make the two equal",
    });
    return false;
  }
  return true;
}

export function resolveEksPlatform(ctx: RuleContext, p: Extract<Blueprint["platform"], { kind: "eks" }>, clusterName: string): EksPlatformSpec | null {
  let ok = true;
  ok = checkRegion(ctx) && ok;
  if (clusterName.length > 100 || !/^[0-9A-Za-z][A-Za-z0-9_-]*$/.test(clusterName)) {
    fail(ctx, { file: ctx.stackFile, path: "config.clusterkit:clusterName" }, "EKS cluster names are 1-100 letters, digits, '-' and '_', starting with a letter or digit", { found: JSON.stringify(clusterName) });
    ok = false;
  }
  const azs = (ctx.variables.azs as string[] | undefined) ?? [];
  azs.forEach((az, i) => {
    if (!new RegExp(`^${ctx.region}[a-z]$`).test(az)) {
      fail(ctx, variableAt(ctx, "azs", [i]), `is not an availability zone of region ${ctx.region}`, { expected: `${ctx.region}a, ${ctx.region}b, …`, found: JSON.stringify(az) });
      ok = false;
    }
  });
  if (new Set(azs).size !== azs.length) {
    fail(ctx, variableAt(ctx, "azs"), "lists a zone twice");
    ok = false;
  }
  if (azs.length < 2) {
    fail(ctx, variableAt(ctx, "azs"), "EKS needs subnets in at least two availability zones", { expected: "at least 2", found: String(azs.length) });
    ok = false;
  }
  const vpc = resolveVpc(ctx, azs);
  ok = checkServiceCidr(ctx) && ok;
  ok = checkKmsKey(ctx, p.kmsKeyArn) && ok;
  ok = checkEksAccess(ctx, p.access) && ok;
  const upgrade = resolveEksUpgrade(ctx, p);
  if (!ok || !vpc) return null;
  return { kind: "eks", natGateways: p.natGateways, kmsKeyArn: p.kmsKeyArn ?? null, logTypes: p.logTypes, imdsHopLimit: p.imdsHopLimit, azs, vpc, access: p.access, ...upgrade };
}
