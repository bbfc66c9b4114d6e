/** Platform-specific resolution: VPC layout on EKS, vCenter objects on vSphere, bastion on bare metal. */
import type { PackageSource, PlatformSpec } from "../../spec";
import { fail, fieldAt, variableAt, type RuleContext } from "../context";
import { defaultApiTunnelPort } from "../../render/kubeadm/api-tunnel";
import { resolveEksPlatform } from "./eks-platform";

export { eksSubnets } from "./eks-platform";

function packages(p: { mirror?: string; containerdMirror?: string; httpProxy?: string; httpsProxy?: string; noProxy: string[] }): PackageSource {
  return { mirror: p.mirror ?? null, containerdMirror: p.containerdMirror ?? null, httpProxy: p.httpProxy ?? null, httpsProxy: p.httpsProxy ?? null, noProxy: p.noProxy };
}

/** The stack may pin the port (say, when two stacks' default ports collide); it must stay unprivileged. */
function tunnelPort(ctx: RuleContext): number {
  const port = ctx.variables.apiTunnelPort as number | undefined;
  if (port === undefined) return defaultApiTunnelPort(ctx.stackName);
  if (port < 1024 || port > 65535) fail(ctx, variableAt(ctx, "apiTunnelPort"), "must be a port from 1024 to 65535", { found: String(port) });
  return port;
}

export function resolvePlatform(ctx: RuleContext, clusterName: string): PlatformSpec | null {
  const p = ctx.blueprint.platform;
  const v = ctx.variables;
  switch (p.kind) {
    case "eks":
      return resolveEksPlatform(ctx, p, clusterName);
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
        apiTunnelPort: tunnelPort(ctx),
      };
    }
  }
}
