/** Machines kubeadm bootstraps: from the host inventory on bare metal, generated on vSphere. */
import type { HostInput } from "../../schema/variables";
import type { NodePoolSpec, NodeSpec } from "../../spec";
import { fail, fieldAt, variableAt, type RuleContext } from "../context";
import { checkVmSize } from "./pools";

const defaultControlPlaneVm = { cpus: 4, memoryMiB: 8192, diskGiB: 80 };

/** Bare metal: checks the inventory and counts workers per pool (pools are sized from it). */
export function inventoryPools(ctx: RuleContext): Record<string, number> {
  const hosts = (ctx.variables.hosts as HostInput[] | undefined) ?? [];
  const poolNames = Object.keys(ctx.blueprint.nodePools);
  const counts: Record<string, number> = Object.fromEntries(poolNames.map((p) => [p, 0]));
  const seen = new Map<string, number>();
  hosts.forEach((h, i) => {
    for (const key of ["name", "address"] as const) {
      const prev = seen.get(`${key}:${h[key]}`);
      if (prev !== undefined) fail(ctx, variableAt(ctx, "hosts", [i, key]), `duplicates hosts[${prev}].${key}`, { found: JSON.stringify(h[key]) });
      seen.set(`${key}:${h[key]}`, i);
    }
    if (!h.hostKey && ctx.blueprint.platform.kind === "baremetal" && !ctx.blueprint.platform.trustOnFirstUse) {
      // Caught here rather than at `pulumi up`, where the SSH layer refuses the unpinned host.
      fail(ctx, variableAt(ctx, "hosts", [i, "hostKey"]), "is required: the host has no pinned host key and trust-on-first-use is off", {
        expected: "a SHA256 fingerprint",
        found: "nothing",
        hint: `pin it: ssh-keyscan -t ed25519${h.sshPort !== 22 ? ` -p ${h.sshPort}` : ""} ${h.address} | ssh-keygen -lf -   (or set platform.trustOnFirstUse: true)`,
      });
    }
    if (h.role === "control-plane") {
      if (h.pool) fail(ctx, variableAt(ctx, "hosts", [i, "pool"]), "control planes belong to no worker pool; remove it");
      return;
    }
    const pool = h.pool ?? (poolNames.length === 1 ? poolNames[0] : undefined);
    if (!pool) fail(ctx, variableAt(ctx, "hosts", [i, "pool"]), "is required when the blueprint has more than one pool", { expected: poolNames.join(" | "), found: "nothing" });
    else if (!(pool in counts)) fail(ctx, variableAt(ctx, "hosts", [i, "pool"]), "names no pool of the blueprint", { expected: poolNames.join(" | "), found: JSON.stringify(pool) });
    else counts[pool]++;
  });
  return counts;
}

export function baremetalNodes(ctx: RuleContext, pools: NodePoolSpec[], controlPlaneCount: number | undefined): NodeSpec[] {
  const hosts = (ctx.variables.hosts as HostInput[] | undefined) ?? [];
  const cps = hosts.filter((h) => h.role === "control-plane");
  if (controlPlaneCount !== undefined && cps.length !== controlPlaneCount) {
    fail(ctx, variableAt(ctx, "hosts"), `the blueprint asks for ${controlPlaneCount} control plane(s)`, {
      expected: `${controlPlaneCount} host(s) with role control-plane`,
      found: String(cps.length),
    });
  }
  const onePool = pools.length === 1 ? pools[0].name : null;
  const toNode = (h: HostInput): NodeSpec => {
    const pool = h.role === "worker" ? pools.find((p) => p.name === (h.pool ?? onePool)) : undefined;
    return {
      name: h.name,
      role: h.role,
      pool: pool?.name ?? null,
      address: h.address,
      ssh: { user: h.sshUser, port: h.sshPort, hostKey: h.hostKey ?? null },
      labels: { ...(pool?.labels ?? {}), ...h.labels },
      taints: pool?.taints ?? [],
      size: { kind: "host" },
    };
  };
  return [...cps, ...hosts.filter((h) => h.role === "worker")].map(toNode);
}

const dns1123Label = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/**
 * vSphere node names become VM, host and Kubernetes node names, so each must be a DNS-1123 label.
 * A bad control-plane name is the cluster name's fault (set in the stack, or the stack's name by
 * default); a bad worker name with good control-plane names is its pool name's, or its length.
 */
function checkNodeNames(ctx: RuleContext, cluster: string, nodes: NodeSpec[]): void {
  const bad = nodes.filter((n) => n.name.length > 63 || !dns1123Label.test(n.name));
  if (!bad.length) return;
  const clusterAt = { file: ctx.stackFile, path: "config.clusterkit:clusterName" };
  const defaulted = ctx.clusterNameDefaulted ? `; it defaults to the stack name '${cluster}', so set clusterkit:clusterName in the stack file` : "";
  const rule = "lower-case letters, digits and '-', starting and ending with a letter or digit, at most 63 characters";
  const cp = bad.find((n) => n.role === "control-plane");
  if (cp) {
    fail(ctx, clusterAt, "makes node names that are not DNS-1123 labels (node names are <cluster>-cp-N and <cluster>-<pool>-N)", {
      expected: rule,
      found: JSON.stringify(cp.name),
      hint: `choose a shorter, lower-case cluster name${defaulted}`,
    });
    return;
  }
  for (const pool of new Set(bad.map((n) => n.pool!))) {
    const n = bad.find((b) => b.pool === pool)!;
    fail(ctx, fieldAt(ctx, ["nodePools", pool]), `with the cluster name makes node names longer than 63 characters (<cluster>-${pool}-N)`, {
      expected: rule,
      found: JSON.stringify(n.name),
      hint: `shorten the pool name, or the cluster name (${clusterAt.path} in ${ctx.stackFile})`,
    });
  }
}

/** vSphere: one VM per node, named <cluster>-cp-N and <cluster>-<pool>-N, static IPs in order. */
export function vsphereNodes(ctx: RuleContext, cluster: string, pools: NodePoolSpec[], controlPlaneCount: number): NodeSpec[] {
  const cpSize = ctx.blueprint.controlPlane.size ?? defaultControlPlaneVm;
  if (ctx.blueprint.controlPlane.size) checkVmSize(ctx, ["controlPlane", "size"], cpSize);
  const ssh = { user: "clusterkit", port: 22, hostKey: null };
  const nodes: NodeSpec[] = [];
  for (let i = 1; i <= controlPlaneCount; i++) {
    nodes.push({ name: `${cluster}-cp-${i}`, role: "control-plane", pool: null, address: null, ssh, labels: {}, taints: [], size: { kind: "vm", ...cpSize } });
  }
  for (const p of pools) {
    for (let i = 1; i <= p.desired; i++) {
      nodes.push({ name: `${cluster}-${p.name}-${i}`, role: "worker", pool: p.name, address: null, ssh, labels: p.labels, taints: p.taints, size: p.size });
    }
  }
  const ips = ctx.variables.nodeIps as string[] | undefined;
  if (!ips) {
    ctx.out.warn({
      ...variableAt(ctx, "nodeIps"),
      message: "the VMs take DHCP leases: reserve one address per VM. clusterkit keeps each node at the lease it was bootstrapped at (kubeadm, etcd and certificates use it); a changed lease is reported as drift, never acted on, and leaves the node unreachable at its address. Set nodeIps for static addresses.",
    });
  }
  if (ips) {
    if (ips.length !== nodes.length) {
      fail(ctx, variableAt(ctx, "nodeIps"), "needs exactly one IP per node: control planes first, then each pool in blueprint order", {
        expected: `${nodes.length} (${nodes.map((n) => n.name).join(", ")})`,
        found: String(ips.length),
      });
    } else nodes.forEach((n, i) => (n.address = ips[i]));
    if (!ctx.variables.gateway) fail(ctx, variableAt(ctx, "gateway"), "static node IPs need a default gateway", { expected: "ipv4", found: "nothing" });
    if (!(ctx.variables.nameservers as string[] | undefined)?.length) {
      fail(ctx, variableAt(ctx, "nameservers"), "static node IPs need DNS servers: the VMs resolve package mirrors and image registries", { expected: "at least one ipv4", found: "nothing" });
    }
  }
  checkNodeNames(ctx, cluster, nodes);
  return nodes;
}
