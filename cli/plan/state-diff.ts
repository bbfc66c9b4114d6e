/**
 * What `pulumi up` would change, offline: the resources the program registers under mocks against
 * the resources of a state export, by URN. clusterkit's own dynamic resources are decided by their
 * providers' real diff (dynamic-diffs.ts), so replaces and refusals are the engine's; any other
 * resource by its inputs, which shows what changes but leaves update-or-replace to its provider.
 */
import { ClusterkitError, formatIssue, type Issue } from "../../core/errors";
import { compareInputs, isPlain, opaque, topKeys, type PathChange } from "./compare-inputs";
import { dynamicProviders, KUBEADM_NODE } from "./dynamic-diffs";
import { kubeadmOrder, vmRollout, type NodeStep } from "./node-order";
import type { PlannedResource, ProgramRun } from "./run-program";
import type { StateExport, StateResource } from "./state-file";
import { decodeStateValue, StateSecret } from "./state-values";

export type ChangeAction = "create" | "update" | "replace" | "delete" | "refuse" | "same";

export interface ResourceChange {
  urn: string;
  type: string;
  name: string;
  action: ChangeAction;
  /** Input keys whose value changes (top level), and the changed paths below them. */
  keys: string[];
  paths: PathChange[];
  /** Input keys that cannot be compared offline (secrets, values known only after deploy). */
  unknownKeys: string[];
  /** Who decided the action: the resource's own provider diff (clusterkit's resources) or the inputs. */
  decidedBy: "provider" | "inputs" | "state";
  /** replace: the keys the provider (or the resource's `replaceOnChanges`) replaces on, and whether the old one goes first. */
  replaceKeys?: string[];
  deleteBeforeReplace?: boolean;
  /** refuse: what the provider's diff said. */
  refusal?: Issue[];
  /** delete: left over from an earlier, interrupted replace (`delete: true` in state). */
  pendingDelete?: boolean;
}

export interface StateChanges {
  state: string;
  stateTime: string | null;
  resourcesInState: number;
  summary: Record<ChangeAction, number>;
  /** Every resource except the unchanged ones; those with keys that cannot be compared are under `notComparable`. */
  resources: ResourceChange[];
  notComparable: { urn: string; unknownKeys: string[] }[];
  /** The kubeadm nodes in the order `pulumi up` works on them; empty without kubeadm nodes. */
  kubeadmOrder: NodeStep[];
  /** vSphere: the batches of nodes whose VMs are cloned again (a new template or size), in order; empty when none. */
  vmRollout: string[][];
}

/** Stand-in for a secret the export holds encrypted: the same on both sides of a provider diff. */
const NOT_COMPARABLE = "[not comparable offline]";

const urnName = (urn: string) => urn.split("::").pop() ?? urn;

/** Not the program's own: the stack itself and the providers the engine makes on its own. */
const engineOwned = (r: StateResource) => r.type === "pulumi:pulumi:Stack" || (r.type.startsWith("pulumi:providers:") && urnName(r.urn).startsWith("default"));

/** The state's side without secret wrappers: known secrets as their value, others as a stand-in. */
function plainOf(v: unknown): unknown {
  if (v instanceof StateSecret) return v.known ? plainOf(v.value) : NOT_COMPARABLE;
  if (Array.isArray(v)) return v.map(plainOf);
  if (isPlain(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plainOf(x)]));
  return v;
}

/**
 * Old outputs and new inputs as a provider's diff receives them. What the plan cannot know (a
 * secret, a value known only after deploy) is taken as unchanged on both sides; compareInputs
 * lists it as unknown.
 */
function forProvider(old: unknown, now: unknown): [unknown, unknown] {
  if (now === undefined) return [plainOf(old), undefined];
  if (old instanceof StateSecret && !old.known) return opaque(now) ? [NOT_COMPARABLE, NOT_COMPARABLE] : [now, now];
  if (old instanceof StateSecret) return forProvider(old.value, now);
  if (opaque(now)) {
    const o = plainOf(old);
    return [o, o];
  }
  if (isPlain(old) && isPlain(now)) {
    const olds: Record<string, unknown> = {};
    const news: Record<string, unknown> = {};
    for (const k of new Set([...Object.keys(old), ...Object.keys(now)])) {
      const [o, n] = forProvider(old[k], now[k]);
      if (o !== undefined) olds[k] = o;
      if (n !== undefined) news[k] = n;
    }
    return [olds, news];
  }
  if (Array.isArray(old) && Array.isArray(now) && old.length === now.length) {
    const pairs = old.map((o, i) => forProvider(o, now[i]));
    return [pairs.map((p) => p[0]), pairs.map((p) => p[1])];
  }
  return [plainOf(old), now];
}

const getAt = (o: unknown, path: string[]): unknown => path.reduce<unknown>((v, k) => (isPlain(v) ? v[k] : undefined), o);
function setAt(o: Record<string, unknown>, path: string[], value: unknown): void {
  let at = o;
  for (const k of path.slice(0, -1)) {
    if (!isPlain(at[k])) at[k] = {};
    at = at[k] as Record<string, unknown>;
  }
  if (value === undefined) delete at[path[path.length - 1]];
  else at[path[path.length - 1]] = value;
}

/** The engine keeps these inputs as they are in state (the resource's `ignoreChanges`). */
function withIgnored(news: Record<string, unknown>, oldInputs: Record<string, unknown>, ignored: string[]): Record<string, unknown> {
  if (!ignored.length) return news;
  const out = structuredClone(news);
  for (const p of ignored) {
    const path = p.split(".");
    setAt(out, path, getAt(oldInputs, path));
  }
  return out;
}

async function compareOne(r: PlannedResource, old: StateResource, ignored: string[], replaceOn: { keys: string[]; deleteFirst: boolean }): Promise<ResourceChange> {
  const base = { urn: r.urn, type: r.type, name: r.name };
  if (!r.custom) return { ...base, action: "same", keys: [], paths: [], unknownKeys: [], decidedBy: "state" };
  const oldInputs = decodeStateValue(old.inputs ?? {}) as Record<string, unknown>;
  const news = withIgnored(r.inputs, oldInputs, ignored);
  const cmp = compareInputs(oldInputs, news);
  const keys = topKeys(cmp.changed.map((c) => c.path));
  const unknownKeys = topKeys(cmp.unknown).filter((k) => !keys.includes(k));
  const found = { ...base, keys, paths: cmp.changed, unknownKeys };
  const provider = dynamicProviders[r.type];
  if (!provider?.diff) {
    const replaceKeys = keys.filter((k) => replaceOn.keys.includes(k));
    if (replaceKeys.length) return { ...found, action: "replace", decidedBy: "inputs", replaceKeys, deleteBeforeReplace: replaceOn.deleteFirst };
    return { ...found, action: keys.length ? "update" : "same", decidedBy: "inputs" };
  }
  const oldOutputs = decodeStateValue(old.outputs ?? old.inputs ?? {}) as Record<string, unknown>;
  // The engine hands the diff the program's serialised provider beside the inputs; the plan does
  // not record it (SDK plumbing), and it is the state's as long as the provider code is the same.
  const plumbing = Object.fromEntries(Object.entries(oldOutputs).filter(([k]) => k.startsWith("__") && !(k in news)));
  const [olds, newsForDiff] = forProvider(oldOutputs, { ...plumbing, ...news }) as [Record<string, unknown>, Record<string, unknown>];
  try {
    const d = await provider.diff(old.id ?? "", olds, newsForDiff);
    if (d.replaces?.length) return { ...found, action: "replace", decidedBy: "provider", replaceKeys: d.replaces, deleteBeforeReplace: !!d.deleteBeforeReplace };
    return { ...found, action: d.changes === false ? "same" : "update", decidedBy: "provider" };
  } catch (e) {
    // The diff refuses the change: `pulumi up` would stop here, before touching anything.
    const refusal = e instanceof ClusterkitError ? e.issues : [{ file: `${r.type} ${r.name}`, path: "", message: `the provider's diff failed: ${e instanceof Error ? e.message : String(e)}` }];
    return { ...found, action: "refuse", decidedBy: "provider", refusal };
  }
}

/** Kubeadm nodes the state has and the program no longer registers, as the state names them. */
function removedNodes(state: StateExport, all: ResourceChange[]): { name: string; role: "control-plane" | "worker" }[] {
  const deleted = new Set(all.filter((c) => c.action === "delete" && c.type === KUBEADM_NODE).map((c) => c.urn));
  return state.resources
    .filter((r) => deleted.has(r.urn) && !r.delete)
    .map((r) => ({ name: typeof r.inputs?.name === "string" ? r.inputs.name : urnName(r.urn), role: r.inputs?.role === "control-plane" ? "control-plane" : "worker" }));
}

export async function diffAgainstState(run: ProgramRun, state: StateExport): Promise<StateChanges> {
  const live = new Map(state.resources.filter((r) => !r.delete).map((r) => [r.urn, r]));
  const registered = new Set(run.resources.map((r) => r.urn));
  const all: ResourceChange[] = [];
  for (const r of run.resources) {
    const old = live.get(r.urn);
    if (!old) all.push({ urn: r.urn, type: r.type, name: r.name, action: "create", keys: [], paths: [], unknownKeys: [], decidedBy: "state" });
    else all.push(await compareOne(r, old, run.ignoreChanges?.[r.urn] ?? [], { keys: run.replaceOnChanges?.[r.urn] ?? [], deleteFirst: !!run.deleteBeforeReplace?.includes(r.urn) }));
  }
  // The engine deletes dependents before what they depend on: the reverse of the state's order.
  for (const old of [...state.resources].reverse()) {
    if (engineOwned(old) || (registered.has(old.urn) && !old.delete)) continue;
    all.push({ urn: old.urn, type: old.type, name: urnName(old.urn), action: "delete", keys: [], paths: [], unknownKeys: [], decidedBy: "state", ...(old.delete ? { pendingDelete: true } : {}) });
  }
  const summary: Record<ChangeAction, number> = { create: 0, update: 0, replace: 0, delete: 0, refuse: 0, same: 0 };
  for (const c of all) summary[c.action]++;
  return {
    state: state.file,
    stateTime: state.time,
    resourcesInState: state.resources.length,
    summary,
    resources: all.filter((c) => c.action !== "same"),
    notComparable: all.filter((c) => c.action === "same" && c.unknownKeys.length).map((c) => ({ urn: c.urn, unknownKeys: c.unknownKeys })),
    kubeadmOrder: kubeadmOrder(run, all, removedNodes(state, all)),
    vmRollout: all.some((c) => c.action === "refuse") ? [] : vmRollout(run, all),
  };
}

/** A refusal as one line per issue, the way errors print. */
export const refusalText = (c: ResourceChange) => (c.refusal ?? []).map(formatIssue).join("\n");
