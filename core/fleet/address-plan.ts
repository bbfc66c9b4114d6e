/**
 * The fleet-wide address plan, `stacks/address-plan.yaml`: one supernet each for node (VPC), pod
 * and service ranges, and the block size a stack gets from each. `clusterkit clone-region` takes
 * the first free block of each supernet that overlaps no existing stack and no reserved range.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { z } from "zod";
import { ClusterkitError, type Issue } from "../errors";
import { Address4 } from "ip-address";
import { contains, overlaps, prefixLength } from "../resolve/cidr";
import { zodIssues } from "../schema/issues";
import type { PlatformKind } from "../schema/platform";
import { cidr4 } from "../schema/primitives";
import { readYaml } from "../load/yaml-file";

export const ADDRESS_PLAN_FILE = "stacks/address-plan.yaml";

export type RangeKind = "node" | "pod" | "service";
export const rangeKinds: readonly RangeKind[] = ["node", "pod", "service"];

const prefix = z.number().int().min(8).max(29);

export const addressPlanSchema = z
  .strictObject({
    apiVersion: z.literal("clusterkit.dev/v1alpha1"),
    kind: z.literal("AddressPlan"),
    /** Where node subnets (bare metal, vSphere) and VPCs (EKS) come from; the block size is per platform. */
    node: z.strictObject({
      supernet: cidr4,
      prefix: z.strictObject({ eks: prefix.min(16).max(24), vsphere: prefix, baremetal: prefix }),
    }),
    /** Pod ranges (bare metal, vSphere; EKS pods take VPC addresses). */
    pod: z.strictObject({ supernet: cidr4, prefix }),
    /** Service ranges; the API server accepts at most a /12. */
    service: z.strictObject({ supernet: cidr4, prefix: prefix.min(12) }),
    /** Ranges never handed out: office networks, VPNs, peered partners. */
    reserved: z.array(z.strictObject({ cidr: cidr4, reason: z.string().min(1) })).default([]),
  })
  .superRefine((plan, ctx) => {
    for (const kind of rangeKinds) {
      const sizes = kind === "node" ? Object.values(plan.node.prefix) : [plan[kind].prefix];
      for (const size of sizes) {
        if (size < prefixLength(plan[kind].supernet)) {
          ctx.addIssue({ code: "custom", path: [kind, "prefix"], message: `a /${size} block does not fit in the supernet ${plan[kind].supernet}` });
        }
      }
    }
    for (let i = 0; i < rangeKinds.length; i++) {
      for (let j = i + 1; j < rangeKinds.length; j++) {
        const [a, b] = [rangeKinds[i], rangeKinds[j]];
        if (overlaps(plan[a].supernet, plan[b].supernet)) {
          ctx.addIssue({ code: "custom", path: [b, "supernet"], message: `overlaps the ${a} supernet ${plan[a].supernet}; the three supernets must be disjoint` });
        }
      }
    }
  });
export type AddressPlan = z.output<typeof addressPlanSchema>;

export function parseAddressPlan(raw: unknown, file = ADDRESS_PLAN_FILE): AddressPlan {
  const r = addressPlanSchema.safeParse(raw);
  if (!r.success) throw new ClusterkitError(zodIssues(r.error, file, [], raw, addressPlanSchema));
  return r.data;
}

export function loadAddressPlan(root: string): AddressPlan {
  if (!fs.existsSync(path.join(root, ADDRESS_PLAN_FILE))) {
    throw new ClusterkitError([
      {
        file: ADDRESS_PLAN_FILE,
        path: "",
        message: "does not exist; clone-region takes the new stack's ranges from it",
        hint: "create it with the node, pod and service supernets of your fleet (see docs/fleet.md)",
      },
    ]);
  }
  return parseAddressPlan(readYaml(path.join(root, ADDRESS_PLAN_FILE), ADDRESS_PLAN_FILE));
}

/** A range some stack already uses. */
export interface UsedRange {
  stack: string;
  kind: RangeKind;
  cidr: string;
}

export function blockSize(plan: AddressPlan, kind: RangeKind, platform: PlatformKind): number {
  return kind === "node" ? plan.node.prefix[platform] : plan[kind].prefix;
}

/**
 * The first block of the supernet, in address order, that overlaps nothing taken. Searching in
 * order (not at random) keeps the plan dense and the result reproducible.
 */
export function firstFree(supernet: string, size: number, taken: readonly string[]): string | null {
  const bounds = (cidr: string) => {
    const a = new Address4(cidr);
    return { start: a.startAddress().bigInt(), end: a.endAddress().bigInt() };
  };
  const outer = bounds(supernet);
  const step = 1n << BigInt(32 - size);
  const used = taken.map(bounds);
  for (let start = outer.start; start + step - 1n <= outer.end; ) {
    const end = start + step - 1n;
    const hit = used.find((u) => u.start <= end && start <= u.end);
    if (!hit) return `${Address4.fromBigInt(start).address}/${size}`;
    // Jump past the taken range, to the next block boundary: a big taken range costs one step.
    const next = hit.end + 1n;
    start = next > start ? ((next + step - 1n) / step) * step : start + step;
  }
  return null;
}

export interface Allocation {
  node: string;
  pod: string | null;
  service: string;
}

/**
 * Allocates the ranges of one new stack. `fixed` holds ranges the user chose (`--set`); they are
 * checked against the fleet like the allocated ones. Every problem is collected.
 */
export function allocate(plan: AddressPlan, platform: PlatformKind, used: readonly UsedRange[], fixed: Partial<Record<RangeKind, string>>, where: { file: string; path: (k: RangeKind) => string }): Allocation {
  const issues: Issue[] = [];
  const taken = [...used.map((u) => u.cidr), ...plan.reserved.map((r) => r.cidr)];
  const out: Partial<Record<RangeKind, string | null>> = {};
  const kinds = rangeKinds.filter((k) => !(k === "pod" && platform === "eks"));
  for (const kind of kinds) {
    const chosen = fixed[kind];
    if (chosen) {
      const clash = used.find((u) => overlaps(u.cidr, chosen));
      const reserved = plan.reserved.find((r) => overlaps(r.cidr, chosen));
      if (clash) issues.push({ file: where.file, path: where.path(kind), message: `overlaps the ${clash.kind} range of stack ${clash.stack} (${clash.cidr})`, found: chosen });
      else if (reserved) issues.push({ file: where.file, path: where.path(kind), message: `overlaps the reserved range ${reserved.cidr} (${reserved.reason})`, found: chosen });
      else if (!contains(plan[kind].supernet, chosen)) issues.push({ file: where.file, path: where.path(kind), message: `is outside the ${kind} supernet of the address plan`, expected: `inside ${plan[kind].supernet}`, found: chosen });
      out[kind] = chosen;
    } else {
      const size = blockSize(plan, kind, platform);
      const got = firstFree(plan[kind].supernet, size, [...taken, ...Object.values(out).filter((x): x is string => !!x)]);
      if (!got) {
        issues.push({
          file: ADDRESS_PLAN_FILE,
          path: `${kind}.supernet`,
          message: `has no free /${size} left for a new ${platform} stack`,
          found: plan[kind].supernet,
          hint: "widen the supernet, or give the range yourself with --set",
        });
      }
      out[kind] = got;
    }
    if (out[kind]) taken.push(out[kind]!);
  }
  // The three ranges of the new stack must not overlap each other either (only possible with --set).
  for (let i = 0; i < kinds.length; i++) {
    for (let j = i + 1; j < kinds.length; j++) {
      const [a, b] = [out[kinds[i]], out[kinds[j]]];
      if (a && b && overlaps(a, b)) issues.push({ file: where.file, path: where.path(kinds[j]), message: `overlaps this stack's ${kinds[i]} range ${a}`, found: b });
    }
  }
  if (issues.length) throw new ClusterkitError(issues);
  return { node: out.node!, pod: platform === "eks" ? null : out.pod!, service: out.service! };
}
