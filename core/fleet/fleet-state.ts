/**
 * Every stack of the project as the fleet commands see it: resolved when it resolves, and
 * otherwise still counted, from the raw file, for the ranges it claims. A stack that is waiting
 * for placeholders to be filled in must not have its ranges handed out a second time.
 */
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { cidr4 } from "../schema/primitives";
import { blueprintFile, listStacks, loadStackFile, resolveStackFile } from "../load/project";
import { stackFileName } from "../load/stack-file";
import { parseYaml } from "../load/yaml-file";
import { ClusterkitError, type Issue } from "../errors";
import { fleetIssues } from "../resolve/fleet";
import type { Resolved } from "../resolve/resolve";
import { isPlaceholderIssue } from "../resolve/placeholders";
import type { RangeKind, UsedRange } from "./address-plan";

export interface StackState {
  name: string;
  file: string;
  /** The `config` map as written, or null when the file does not parse. */
  config: Record<string, unknown> | null;
  blueprint: string | null;
  resolved: Resolved | null;
  /** Problems that keep the stack from resolving (placeholders included). */
  issues: Issue[];
  placeholders: number;
  clonedFrom: { stack: string; blueprintSha256: string } | null;
}

export interface FleetState {
  root: string;
  stacks: StackState[];
  /** Fleet-wide problems among resolved stacks (overlaps). */
  fleetIssues: Issue[];
}

export function sha256File(abs: string): string | null {
  return fs.existsSync(abs) ? createHash("sha256").update(fs.readFileSync(abs)).digest("hex") : null;
}

export function blueprintSha256(root: string, blueprint: string): string | null {
  return sha256File(path.join(root, blueprintFile(blueprint)));
}

function readConfig(root: string, name: string): Record<string, unknown> | null {
  try {
    const raw = parseYaml(fs.readFileSync(path.join(root, stackFileName(name)), "utf8"), stackFileName(name)) as { config?: unknown } | null;
    return raw && typeof raw.config === "object" && raw.config ? (raw.config as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

function resolveOne(root: string, name: string): { resolved: Resolved | null; issues: Issue[] } {
  try {
    return { resolved: resolveStackFile(root, loadStackFile(root, name)), issues: [] };
  } catch (e) {
    if (e instanceof ClusterkitError) return { resolved: null, issues: e.issues };
    throw e;
  }
}

export function loadFleetState(root: string): FleetState {
  const stacks = listStacks(root).map((name): StackState => {
    const file = stackFileName(name);
    const config = readConfig(root, name);
    const { resolved, issues } = resolveOne(root, name);
    const bp = config?.["clusterkit:blueprint"];
    const cloned = config?.["clusterkit:clonedFrom"] as { stack?: unknown; blueprintSha256?: unknown } | undefined;
    return {
      name,
      file,
      config,
      blueprint: typeof bp === "string" ? bp : null,
      resolved,
      issues,
      placeholders: issues.filter(isPlaceholderIssue).length,
      clonedFrom: cloned && typeof cloned.stack === "string" && typeof cloned.blueprintSha256 === "string" ? { stack: cloned.stack, blueprintSha256: cloned.blueprintSha256 } : null,
    };
  });
  return { root, stacks, fleetIssues: fleetIssues(stacks.flatMap((s) => (s.resolved ? [s.resolved] : []))) };
}

/** The blueprint file as written, for stacks that do not resolve; null when it cannot be read. */
function rawBlueprint(root: string, blueprint: string | null): { networking?: Record<string, unknown>; platform?: { kind?: unknown } } | null {
  if (!blueprint) return null;
  try {
    return parseYaml(fs.readFileSync(path.join(root, blueprintFile(blueprint)), "utf8"), blueprintFile(blueprint)) as ReturnType<typeof rawBlueprint>;
  } catch {
    return null;
  }
}

/** The platform kind of a stack, from its spec or else from its blueprint file. */
export function platformOf(root: string, s: StackState): string | null {
  if (s.resolved) return s.resolved.spec.platform.kind;
  const kind = rawBlueprint(root, s.blueprint)?.platform?.kind;
  return typeof kind === "string" ? kind : null;
}

/** The ranges one stack claims: from its spec when it resolves, else from the file as written. */
export function rangesOf(root: string, s: StackState): UsedRange[] {
  if (s.resolved) {
    const n = s.resolved.spec.networking;
    const out: UsedRange[] = [
      { stack: s.name, kind: "node", cidr: n.nodeCidr },
      { stack: s.name, kind: "service", cidr: n.serviceCidr },
    ];
    if (n.podCidr) out.push({ stack: s.name, kind: "pod", cidr: n.podCidr });
    return out;
  }
  const vars = (s.config?.["clusterkit:variables"] ?? {}) as Record<string, unknown>;
  const bpNet = rawBlueprint(root, s.blueprint)?.networking ?? {};
  const candidates: [RangeKind, unknown][] = [
    ["node", vars.vpcCidr ?? vars.nodeCidr],
    ["pod", vars.podCidr ?? bpNet.podCidr],
    ["service", vars.serviceCidr ?? bpNet.serviceCidr],
  ];
  return candidates.filter(([, c]) => cidr4.safeParse(c).success).map(([kind, cidr]) => ({ stack: s.name, kind, cidr: cidr as string }));
}

export function fleetRanges(state: FleetState): UsedRange[] {
  return state.stacks.flatMap((s) => rangesOf(state.root, s));
}
