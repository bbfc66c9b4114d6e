/**
 * Drift from the engine events of a preview-only refresh. The engine announces each resource with
 * a resourcePreEvent of op "refresh", then reports the outcome in a resOutputsEvent whose op says
 * what the refresh would do to the state: "same", "update" (changed outside Pulumi) or "delete"
 * (gone), with `diffs`/`detailedDiff` and the `old` (state) and `new` (read from the cloud)
 * resource states. Only the shapes used here are declared: core/ does not import @pulumi/*.
 */
import { isDeepStrictEqual } from "node:util";
import type { PropertyDrift, ResourceDrift, SnapshotReport } from "./drift-report";
import { containsSecret, isSecretName, redact, REDACTED } from "./redact";

interface StateMetadata {
  type?: string;
  urn?: string;
  inputs?: Record<string, unknown>;
  outputs?: Record<string, unknown>;
}

interface StepMetadata {
  op: string;
  urn: string;
  type: string;
  old?: StateMetadata | null;
  new?: StateMetadata | null;
  diffs?: string[];
  detailedDiff?: Record<string, { diffKind?: string; kind?: string; inputDiff?: boolean }> | null;
}

export interface EngineEventLike {
  resourcePreEvent?: { metadata: StepMetadata };
  resOutputsEvent?: { metadata: StepMetadata };
  summaryEvent?: { resourceChanges?: Record<string, number> };
  diagnosticEvent?: { message: string; severity: string; urn?: string };
}

type Seg = string | number;

/** Splits a Pulumi property path: `a.b[0]["c.d"]` → a, b, 0, c.d. */
export function parsePropertyPath(path: string): Seg[] {
  const out: Seg[] = [];
  const re = /\[(\d+)\]|\["((?:[^"\\]|\\.)*)"\]|([^.[\]]+)/g;
  for (let m = re.exec(path); m; m = re.exec(path)) {
    if (m[1] !== undefined) out.push(Number(m[1]));
    else if (m[2] !== undefined) out.push(m[2].replace(/\\(.)/g, "$1"));
    else out.push(m[3]);
  }
  return out;
}

function valueAt(obj: unknown, path: Seg[]): { found: boolean; value: unknown } {
  let cur = obj;
  for (const seg of path) {
    if (cur === null || typeof cur !== "object" || !(seg in (cur as object))) return { found: false, value: undefined };
    cur = (cur as Record<Seg, unknown>)[seg];
  }
  return { found: true, value: cur };
}

/** State and cloud values of a property: outputs first (what the provider read), inputs as fallback. */
function sideAt(state: StateMetadata | null | undefined, path: Seg[]): { found: boolean; value: unknown } {
  const out = valueAt(state?.outputs, path);
  return out.found ? out : valueAt(state?.inputs, path);
}

/** Top-level output keys whose values differ, when the engine gave no diff (legacy refresh). */
function changedKeys(old: StateMetadata | null | undefined, next: StateMetadata | null | undefined): string[] {
  const a = old?.outputs ?? {};
  const b = next?.outputs ?? {};
  return [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((k) => JSON.stringify(a[k]) !== JSON.stringify(b[k]));
}

const kinds = new Set(["add", "delete", "update", "add-replace", "delete-replace", "update-replace"]);

function propertyDrift(m: StepMetadata, path: string, diffKind: string | undefined): PropertyDrift {
  const segs = parsePropertyPath(path);
  const before = sideAt(m.old, segs);
  const after = sideAt(m.new, segs);
  const kind = (diffKind && kinds.has(diffKind) ? diffKind : !before.found ? "add" : !after.found ? "delete" : "update") as PropertyDrift["kind"];
  // A secret on either side, or a secret-sounding name on the path, hides both sides.
  const secret = segs.some(isSecretName) || containsSecret(before.value) || containsSecret(after.value);
  const out: PropertyDrift = { path, kind };
  if (before.found) out.old = secret ? REDACTED : redact(before.value);
  if (after.found) out.new = secret ? REDACTED : redact(after.value);
  return out;
}

function resourceName(urn: string): string {
  return urn.slice(urn.lastIndexOf("::") + 2);
}

/**
 * What a refresh records that changes on its own while all is well: a control plane's newest
 * scheduled etcd snapshot (name, time, size). A report, not drift; a stale or failing schedule is
 * drift through `observed.drift`.
 */
const reportPaths: readonly Seg[][] = [["observed", "etcdSnapshots"]];

const isReportPath = (path: string) => {
  const segs = parsePropertyPath(path);
  return reportPaths.some((r) => r.every((seg, i) => segs[i] === seg));
};

function withoutReports(outputs: Record<string, unknown> | undefined): unknown {
  if (!outputs) return outputs;
  const copy = structuredClone(outputs) as Record<Seg, unknown>;
  for (const r of reportPaths) {
    const parent = valueAt(copy, r.slice(0, -1));
    if (parent.found && parent.value && typeof parent.value === "object") delete (parent.value as Record<Seg, unknown>)[r[r.length - 1]];
  }
  return copy;
}

/** An update the refresh would make only to report values. */
function reportOnly(m: StepMetadata): boolean {
  return m.op === "update" && isDeepStrictEqual(withoutReports(m.old?.outputs), withoutReports(m.new?.outputs));
}

/** Refresh updates that change report values only: the engine counts them, drift does not. */
export function reportOnlyUpdates(events: readonly EngineEventLike[]): number {
  return events.filter((e) => e.resOutputsEvent && reportOnly(e.resOutputsEvent.metadata)).length;
}

/** Every resource the refresh would change, in URN order with properties in path order. */
export function driftFromEvents(events: readonly EngineEventLike[]): ResourceDrift[] {
  const refreshed = new Set(events.filter((e) => e.resourcePreEvent?.metadata.op === "refresh").map((e) => e.resourcePreEvent!.metadata.urn));
  const byUrn = new Map<string, ResourceDrift>();
  for (const e of events) {
    const m = e.resOutputsEvent?.metadata;
    if (!m || !refreshed.has(m.urn) || (m.op !== "update" && m.op !== "delete") || reportOnly(m)) continue;
    let properties: PropertyDrift[] = [];
    if (m.op === "update") {
      const detailed = m.detailedDiff ?? null;
      const paths = detailed && Object.keys(detailed).length ? Object.keys(detailed) : m.diffs?.length ? m.diffs : changedKeys(m.old, m.new);
      properties = paths
        .filter((p) => !isReportPath(p))
        .map((p) => propertyDrift(m, p, detailed?.[p]?.diffKind ?? detailed?.[p]?.kind))
        .sort((a, b) => a.path.localeCompare(b.path));
    }
    byUrn.set(m.urn, { urn: m.urn, type: m.type, name: resourceName(m.urn), change: m.op, properties });
  }
  return [...byUrn.values()].sort((a, b) => a.urn.localeCompare(b.urn));
}

export function changeSummaryFromEvents(events: readonly EngineEventLike[]): Record<string, number> {
  const summary = [...events].reverse().find((e) => e.summaryEvent)?.summaryEvent;
  return { ...(summary?.resourceChanges ?? {}) };
}

/** Error diagnostics, the engine's own account of why a run failed. */
export function errorDiagnostics(events: readonly EngineEventLike[]): string[] {
  return events.filter((e) => e.diagnosticEvent?.severity === "error").map((e) => e.diagnosticEvent!.message.trim());
}

interface ObservedSnapshotsLike {
  newest: { name: string; takenAt: string; bytes: number } | null;
  onNode: number;
  lastFailure: { at: string; what: string } | null;
  timerActive: boolean;
}

/** What the refresh read of each control plane's scheduled snapshots (observed.etcdSnapshots), with each newest one's age at `now`. */
export function snapshotReports(events: readonly EngineEventLike[], now: Date): SnapshotReport[] {
  const byNode = new Map<string, SnapshotReport>();
  for (const e of events) {
    const m = e.resOutputsEvent?.metadata;
    if (!m || m.op === "delete") continue;
    const outputs = m.new?.outputs ?? m.old?.outputs;
    const snaps = valueAt(outputs, ["observed", "etcdSnapshots"]).value as ObservedSnapshotsLike | null | undefined;
    const node = outputs?.name;
    if (!snaps || typeof snaps !== "object" || typeof node !== "string") continue;
    const newest = snaps.newest ? { name: snaps.newest.name, takenAt: snaps.newest.takenAt, ageSeconds: Math.max(0, Math.round((now.getTime() - Date.parse(snaps.newest.takenAt)) / 1000)), bytes: snaps.newest.bytes } : null;
    byNode.set(node, { node, newest, onNode: snaps.onNode, lastFailure: snaps.lastFailure ?? null, timerActive: snaps.timerActive });
  }
  return [...byNode.values()].sort((a, b) => a.node.localeCompare(b.node));
}
