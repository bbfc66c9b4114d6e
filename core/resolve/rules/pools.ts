/** Node pools: sizing per platform, and count or min/desired/max. */
import type { NodePoolInput } from "../../schema/blueprint";
import type { NodePoolSpec, PoolSize } from "../../spec";
import { architectureOf } from "../../render/eks/instance-types";
import { fail, fieldAt, type RuleContext } from "../context";

/** Sane bounds for VM sizes: below them kubeadm preflight fails, above them a typo is likelier. */
export const vmBounds = { cpus: [2, 128], memoryMiB: [2048, 1_048_576], diskGiB: [20, 16_384] } as const;

export function checkVmSize(ctx: RuleContext, path: (string | number)[], size: { cpus: number; memoryMiB: number; diskGiB: number }): boolean {
  let ok = true;
  for (const key of ["cpus", "memoryMiB", "diskGiB"] as const) {
    const [lo, hi] = vmBounds[key];
    if (size[key] < lo || size[key] > hi) {
      fail(ctx, fieldAt(ctx, [...path, key]), "is outside sane bounds for a Kubernetes node VM", { expected: `${lo}..${hi}`, found: String(size[key]) });
      ok = false;
    }
  }
  return ok;
}

function poolSize(ctx: RuleContext, name: string, pool: NodePoolInput): PoolSize | null {
  const kind = ctx.blueprint.platform.kind;
  const at = fieldAt(ctx, ["nodePools", name, "size"]);
  const size = pool.size;
  if (kind === "baremetal") {
    if (size) {
      fail(ctx, at, "bare-metal pools take their machines from the hosts variable; remove the size");
      return null;
    }
    return { kind: "host" };
  }
  if (kind === "vsphere") {
    if (!size || !("cpus" in size)) {
      fail(ctx, at, "vSphere pools need a VM size", { expected: "{cpus, memoryMiB, diskGiB}", found: size ? "an EC2 instance size" : "nothing" });
      return null;
    }
    return checkVmSize(ctx, ["nodePools", name, "size"], size) ? { kind: "vm", ...size } : null;
  }
  if (!size || !("instanceTypes" in size)) {
    fail(ctx, at, "EKS pools need instance types", { expected: "{instanceTypes: [m6i.large, ...]}", found: size ? "a VM size" : "nothing" });
    return null;
  }
  return checkInstanceSize(ctx, name, size) ? { kind: "instance", ...size } : null;
}

/** The EKS AL2023 and Bottlerocket AMIs ship 20 GiB snapshots; EBS stops at 16 TiB. */
export const eksDiskGiB = [20, 16_384] as const;

/** A managed node group runs one AMI, so one CPU architecture; and its disk must fit the AMI. */
function checkInstanceSize(ctx: RuleContext, name: string, size: { instanceTypes: string[]; diskGiB: number }): boolean {
  let ok = true;
  const arches = new Set(size.instanceTypes.map(architectureOf));
  if (arches.size > 1) {
    fail(ctx, fieldAt(ctx, ["nodePools", name, "size", "instanceTypes"]), "mixes Graviton (arm64) and x86_64 instance types; a node group runs a single AMI", {
      found: size.instanceTypes.map((t) => `${t} (${architectureOf(t)})`).join(", "),
      hint: "split them into two pools",
    });
    ok = false;
  }
  const [lo, hi] = eksDiskGiB;
  if (size.diskGiB < lo || size.diskGiB > hi) {
    fail(ctx, fieldAt(ctx, ["nodePools", name, "size", "diskGiB"]), "is outside what an EKS node can boot with", { expected: `${lo}..${hi}`, found: String(size.diskGiB) });
    ok = false;
  }
  return ok;
}

function poolBounds(ctx: RuleContext, name: string, pool: NodePoolInput): { min: number; max: number; desired: number } | null {
  const at = (f: string) => fieldAt(ctx, ["nodePools", name, f]);
  const hasRange = pool.min !== undefined || pool.max !== undefined;
  if (pool.count !== undefined && (hasRange || pool.desired !== undefined)) {
    fail(ctx, at("count"), "give either count, or min and max (with an optional desired), not both");
    return null;
  }
  if (pool.count !== undefined) {
    if (ctx.blueprint.platform.kind === "eks" && pool.count < 1) {
      fail(ctx, at("count"), "EKS node groups need at least 1 node at their maximum", { expected: ">= 1", found: String(pool.count) });
      return null;
    }
    return { min: pool.count, max: pool.count, desired: pool.count };
  }
  if (ctx.blueprint.platform.kind === "baremetal") return null; // sized by its hosts
  if (pool.min === undefined || pool.max === undefined) {
    fail(ctx, fieldAt(ctx, ["nodePools", name]), "needs a count, or both min and max", { found: pool.min === undefined ? "no min" : "no max" });
    return null;
  }
  if (ctx.blueprint.platform.kind === "vsphere") {
    fail(ctx, at("min"), "vSphere pools have a fixed size (clusterkit runs no autoscaler there); use count");
    return null;
  }
  if (pool.max < 1) {
    fail(ctx, at("max"), "EKS node groups need a max of at least 1", { expected: ">= 1", found: String(pool.max) });
    return null;
  }
  const desired = pool.desired ?? pool.min;
  if (pool.min > pool.max) {
    fail(ctx, at("min"), "must not exceed max", { expected: `<= ${pool.max}`, found: String(pool.min) });
    return null;
  }
  if (desired < pool.min || desired > pool.max) {
    fail(ctx, at("desired"), "must lie within min and max", { expected: `${pool.min}..${pool.max}`, found: String(desired) });
    return null;
  }
  return { min: pool.min, max: pool.max, desired };
}

/** Resolves pools; on bare metal, `hostCounts` (hosts per pool) fills in and checks the size. */
export function resolvePools(ctx: RuleContext, hostCounts: Record<string, number> | null): NodePoolSpec[] {
  const pools: NodePoolSpec[] = [];
  for (const [name, pool] of Object.entries(ctx.blueprint.nodePools)) {
    const size = poolSize(ctx, name, pool);
    let bounds = poolBounds(ctx, name, pool);
    if (hostCounts) {
      const n = hostCounts[name] ?? 0;
      if (bounds && bounds.desired !== n) {
        fail(ctx, fieldAt(ctx, ["nodePools", name, "count"]), `the hosts variable puts ${n} worker(s) in pool '${name}'`, { expected: String(n), found: String(bounds.desired) });
      }
      bounds = { min: n, max: n, desired: n };
    }
    if (size && bounds) pools.push({ name, ...bounds, size, labels: pool.labels, taints: pool.taints });
  }
  return pools;
}
