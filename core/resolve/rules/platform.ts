/** Platform-specific resolution: VPC layout on EKS, vCenter objects on vSphere, bastion on bare metal. */
import type { PackageSource, PlatformSpec } from "../../spec";
import { subnets } from "../cidr";
import { fail, fieldAt, variableAt, type RuleContext } from "../context";

const awsRegion = /^(us|eu|ap|sa|ca|me|af|il|mx)(-gov|-iso[a-z]?)?-(north|south|east|west|central|northeast|southeast|northwest|southwest)-\d$/;

function packages(p: { mirror?: string; httpProxy?: string; httpsProxy?: string; noProxy: string[] }): PackageSource {
  return { mirror: p.mirror ?? null, httpProxy: p.httpProxy ?? null, httpsProxy: p.httpsProxy ?? null, noProxy: p.noProxy };
}

/**
 * Splits the VPC: the first half into one private subnet per AZ (where nodes live), the second
 * half into smaller public ones (load balancers and NAT). Disjoint by construction.
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

export function resolvePlatform(ctx: RuleContext, clusterName: string): PlatformSpec | null {
  const p = ctx.blueprint.platform;
  const v = ctx.variables;
  switch (p.kind) {
    case "eks": {
      let ok = true;
      if (!awsRegion.test(ctx.region)) {
        fail(ctx, { file: ctx.stackFile, path: "config.clusterkit:region" }, "is not an AWS region", { expected: "e.g. us-east-1", found: JSON.stringify(ctx.region) });
        ok = false;
      }
      if (clusterName.length > 100 || !/^[0-9A-Za-z][A-Za-z0-9_-]*$/.test(clusterName)) {
        fail(ctx, { file: ctx.stackFile, path: "config.clusterkit:clusterName" }, "EKS cluster names are 1-100 letters, digits, '-' and '_', starting with a letter or digit", { found: JSON.stringify(clusterName) });
        ok = false;
      }
      const azs = (v.azs as string[] | undefined) ?? [];
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
      const vpcCidr = v.vpcCidr as string | undefined;
      let vpc: Extract<PlatformSpec, { kind: "eks" }>["vpc"] | null = null;
      if (v.vpcId) {
        const priv = (v.privateSubnetIds as string[] | undefined) ?? [];
        const pub = (v.publicSubnetIds as string[] | undefined) ?? [];
        if (priv.length < 2) {
          fail(ctx, variableAt(ctx, "privateSubnetIds"), "an existing VPC needs its private subnets, at least two", { expected: "at least 2", found: String(priv.length) });
          ok = false;
        }
        vpc = { kind: "existing", vpcId: v.vpcId as string, privateSubnetIds: priv, publicSubnetIds: pub };
      } else if (vpcCidr && azs.length >= 2) {
        vpc = { kind: "new", cidr: vpcCidr, ...eksSubnets(vpcCidr, azs) };
      }
      if (!ok || !vpc) return null;
      return { kind: "eks", natGateways: p.natGateways, kmsKeyArn: p.kmsKeyArn ?? null, logTypes: p.logTypes, imdsHopLimit: p.imdsHopLimit, azs, vpc };
    }
    case "vsphere": {
      if (!v.datastore === !v.datastoreCluster) {
        fail(ctx, variableAt(ctx, "datastore"), "give exactly one of datastore and datastoreCluster", { found: v.datastore ? "both" : "neither" });
        return null;
      }
      const nodeCidr = v.nodeCidr as string | undefined;
      return {
        kind: "vsphere",
        packages: packages(p.packages),
        templateOs: p.templateOs,
        linkedClone: p.linkedClone,
        concurrency: p.concurrency,
        vcenter: {
          server: v.vcenterServer as string,
          user: v.vcenterUser as string,
          datacenter: v.datacenter as string,
          computeCluster: v.computeCluster as string,
          resourcePool: (v.resourcePool as string | undefined) ?? null,
          datastore: (v.datastore as string | undefined) ?? null,
          datastoreCluster: (v.datastoreCluster as string | undefined) ?? null,
          network: v.network as string,
          template: v.template as string,
          folder: (v.folder as string | undefined) ?? `clusterkit/${clusterName}`,
        },
        staticNetwork:
          v.nodeIps && nodeCidr
            ? { prefixLength: Number(nodeCidr.split("/")[1]), gateway: (v.gateway as string | undefined) ?? "", nameservers: (v.nameservers as string[] | undefined) ?? [] }
            : null,
      };
    }
    case "baremetal": {
      const b = v.bastion as { address: string; port: number; user: string; hostKey: string } | undefined;
      if (p.trustOnFirstUse) {
        ctx.out.warn({ ...fieldAt(ctx, ["platform", "trustOnFirstUse"]), message: "host keys are trusted on first use: a machine in the middle at first contact goes unnoticed. Pin the printed fingerprints in the hosts variable." });
      }
      return {
        kind: "baremetal",
        packages: packages(p.packages),
        trustOnFirstUse: p.trustOnFirstUse,
        concurrency: p.concurrency,
        bastion: b ? { address: b.address, port: b.port, user: b.user, hostKey: b.hostKey } : null,
      };
    }
  }
}
