/**
 * `clusterkit fleet`: one row per stack, and the flags that need a human: ranges that overlap,
 * ranges outside the address plan, clusters more than one Kubernetes minor behind the newest, and
 * stacks whose blueprint changed since they were cloned (the change has not been rolled out to
 * them on purpose, or has been forgotten).
 */
import { compareMinor } from "../versions";
import { overlaps, contains } from "../resolve/cidr";
import type { AddressPlan, RangeKind } from "./address-plan";
import { blueprintSha256, platformOf, rangesOf, type FleetState, type StackState } from "./fleet-state";

export interface FleetRow {
  stack: string;
  /** ok: resolves; incomplete: placeholders left; invalid: other problems (see `clusterkit validate`). */
  status: "ok" | "incomplete" | "invalid";
  blueprint: string | null;
  platform: string | null;
  region: string | null;
  kubernetesVersion: string | null;
  cni: string | null;
  ranges: Record<RangeKind, string | null>;
  /** Control-plane nodes ("managed" on EKS) and worker nodes (desired size on EKS). */
  nodes: { controlPlane: number | "managed" | null; workers: number | null };
  clonedFrom: string | null;
  problems: number;
}

export type FleetFlag =
  | { kind: "overlap"; stacks: [string, string]; ranges: [string, string]; message: string }
  | { kind: "outside-plan"; stack: string; range: RangeKind; cidr: string; message: string }
  | { kind: "version-skew"; stack: string; minor: string; newest: string; message: string }
  | { kind: "blueprint-changed"; stack: string; blueprint: string; clonedFrom: string; message: string }
  | { kind: "incomplete"; stack: string; placeholders: number; message: string }
  | { kind: "invalid"; stack: string; problems: number; message: string };

export interface FleetReport {
  apiVersion: "clusterkit.dev/fleet/v1";
  stacks: FleetRow[];
  flags: FleetFlag[];
}

function rowOf(state: FleetState, s: StackState): FleetRow {
  const ranges: Record<RangeKind, string | null> = { node: null, pod: null, service: null };
  for (const r of rangesOf(state.root, s)) ranges[r.kind] = r.cidr;
  const spec = s.resolved?.spec;
  const region = spec?.region ?? (typeof s.config?.["clusterkit:region"] === "string" ? (s.config["clusterkit:region"] as string) : null);
  let nodes: FleetRow["nodes"] = { controlPlane: null, workers: null };
  if (spec?.platform.kind === "eks") nodes = { controlPlane: "managed", workers: spec.nodePools.reduce((n, p) => n + p.desired, 0) };
  else if (spec) nodes = { controlPlane: spec.controlPlane.count, workers: spec.nodes.filter((n) => n.role === "worker").length };
  return {
    stack: s.name,
    status: s.resolved ? "ok" : s.issues.length && s.placeholders === s.issues.length ? "incomplete" : "invalid",
    blueprint: s.blueprint,
    platform: platformOf(state.root, s),
    region,
    kubernetesVersion: spec?.kubernetes.version ?? null,
    cni: spec?.cni.kind ?? null,
    ranges,
    nodes,
    clonedFrom: s.clonedFrom?.stack ?? null,
    problems: s.issues.length,
  };
}

export function fleetReport(state: FleetState, plan: AddressPlan | null): FleetReport {
  const stacks = state.stacks.map((s) => rowOf(state, s));
  const flags: FleetFlag[] = [];
  const all = state.stacks.flatMap((s) => rangesOf(state.root, s));
  for (let i = 0; i < all.length; i++) {
    for (let j = i + 1; j < all.length; j++) {
      const [a, b] = [all[i], all[j]];
      if (a.stack === b.stack || !overlaps(a.cidr, b.cidr)) continue;
      flags.push({ kind: "overlap", stacks: [a.stack, b.stack], ranges: [a.cidr, b.cidr], message: `the ${a.kind} range of ${a.stack} (${a.cidr}) overlaps the ${b.kind} range of ${b.stack} (${b.cidr})` });
    }
  }
  if (plan) {
    for (const r of all) {
      if (!contains(plan[r.kind].supernet, r.cidr)) {
        flags.push({ kind: "outside-plan", stack: r.stack, range: r.kind, cidr: r.cidr, message: `the ${r.kind} range ${r.cidr} of ${r.stack} is outside the address plan's ${r.kind} supernet ${plan[r.kind].supernet}` });
      }
    }
  }
  const minors = state.stacks.flatMap((s) => (s.resolved ? [{ stack: s.name, minor: s.resolved.spec.kubernetes.minor }] : []));
  const newest = minors.map((m) => m.minor).sort(compareMinor).at(-1);
  if (newest) {
    const [major, minor] = newest.split(".").map(Number);
    const oldestAllowed = `${major}.${minor - 1}`;
    for (const m of minors) {
      if (compareMinor(m.minor, oldestAllowed) < 0) {
        flags.push({ kind: "version-skew", stack: m.stack, minor: m.minor, newest, message: `${m.stack} runs Kubernetes ${m.minor}, more than one minor behind the newest in the fleet (${newest})` });
      }
    }
  }
  for (const s of state.stacks) {
    if (s.clonedFrom && s.blueprint) {
      const now = blueprintSha256(state.root, s.blueprint);
      if (now && now !== s.clonedFrom.blueprintSha256) {
        flags.push({
          kind: "blueprint-changed",
          stack: s.name,
          blueprint: s.blueprint,
          clonedFrom: s.clonedFrom.stack,
          message: `blueprint ${s.blueprint} changed since ${s.name} was cloned from ${s.clonedFrom.stack}; preview it (pulumi preview --stack ${s.name}) and roll the change out, then record the new sha256 in clusterkit:clonedFrom`,
        });
      }
    }
    if (!s.resolved && s.issues.length && s.placeholders === s.issues.length) {
      flags.push({ kind: "incomplete", stack: s.name, placeholders: s.placeholders, message: `${s.name} has ${s.placeholders} placeholder(s) to fill in (clusterkit validate --stack ${s.name})` });
    } else if (!s.resolved) {
      flags.push({ kind: "invalid", stack: s.name, problems: s.issues.length, message: `${s.name} does not validate: ${s.issues.length} problem(s) (clusterkit validate --stack ${s.name})` });
    }
  }
  return { apiVersion: "clusterkit.dev/fleet/v1", stacks, flags };
}

/** A fixed-width table for terminals. */
export function renderFleetTable(report: FleetReport): string {
  const head = ["STACK", "STATUS", "PLATFORM", "REGION", "K8S", "CNI", "NODE/VPC", "PODS", "SERVICES", "CP", "WORKERS", "BLUEPRINT"];
  const rows = report.stacks.map((r) => [
    r.stack,
    r.status,
    r.platform ?? "-",
    r.region ?? "-",
    r.kubernetesVersion ?? "-",
    r.cni ?? "-",
    r.ranges.node ?? "-",
    r.ranges.pod ?? "-",
    r.ranges.service ?? "-",
    r.nodes.controlPlane === null ? "-" : String(r.nodes.controlPlane),
    r.nodes.workers === null ? "-" : String(r.nodes.workers),
    `${r.blueprint ?? "-"}${r.clonedFrom ? ` (from ${r.clonedFrom})` : ""}`,
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]))).join("  ");
  const out = [line(head), ...rows.map(line)];
  if (report.flags.length) {
    out.push("", `${report.flags.length} flag(s):`);
    for (const f of report.flags) out.push(`  ${f.kind}: ${f.message}`);
  } else out.push("", "No flags: no overlaps, no version skew, no blueprint changed since cloning.");
  return out.join("\n");
}
