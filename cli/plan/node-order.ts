/**
 * The order in which `pulumi up` works on a cluster's kubeadm nodes, from the dependencies the
 * program gives them (providers/kubeadm/plan.ts `waitsFor`): control planes one at a time in list
 * order, each worker after the first control plane. Nodes removed from the inventory go last: the
 * engine deletes after it has created and updated.
 */
import { waitsFor } from "../../providers/kubeadm/plan";
import { rollBlocker, rolloutBatches, type RollSubject } from "../../core/vsphere/rollout";
import { KUBEADM_NODE } from "./dynamic-diffs";
import type { PlannedResource, ProgramRun } from "./run-program";

export interface NodeStep {
  name: string;
  role: "control-plane" | "worker";
  /** What happens to the node (`same` when nothing). */
  action: string;
  /** The node it waits for; null for the first. */
  after: string | null;
}

const nodeOf = (r: PlannedResource) => ({ name: String(r.inputs.name), role: r.inputs.role === "control-plane" ? ("control-plane" as const) : ("worker" as const) });

export function kubeadmOrder(run: ProgramRun, changes: { urn: string; action: string }[], removed: { name: string; role: NodeStep["role"] }[] = []): NodeStep[] {
  const nodes = run.resources.filter((r) => r.type === KUBEADM_NODE);
  const actionOf = new Map(changes.map((c) => [c.urn, c.action]));
  const specOrder = nodes.map(nodeOf);
  const after = waitsFor(specOrder);
  const steps = nodes.map((r, i): NodeStep => ({ ...specOrder[i], action: actionOf.get(r.urn) ?? "same", after: after.get(specOrder[i].name) ?? null }));
  // Control planes first, as they join; workers keep their order among themselves.
  const gone = removed.map((n): NodeStep => ({ ...n, action: "delete", after: null }));
  return [...steps.filter((s) => s.role === "control-plane"), ...steps.filter((s) => s.role === "worker"), ...gone];
}

export const VM_GUARD = "pulumi-nodejs:dynamic/clusterkit:VmSizeGuard";

/** Guard inputs whose change replaces the VM, where it can be rolled (a size change elsewhere is refused or restarts in place). */
const rollKeys = ["template", "templateUuid", "linkedClone", "cpus", "memoryMiB", "cpuHotAdd", "memoryHotAdd"];

/**
 * The batches a vSphere VM roll goes through (core/vsphere/rollout.ts): the nodes whose VM guard
 * takes a new template, clone kind or size and whose VM can be rolled, control planes one at a
 * time, then workers in the upgrade batch size; empty when nothing rolls.
 */
export function vmRollout(run: ProgramRun, changes: { urn: string; action: string; keys: string[] }[]): string[][] {
  const rolled = new Set(changes.filter((c) => c.action === "update" && c.keys.some((k) => rollKeys.includes(k))).map((c) => c.urn));
  const nodes = run.resources
    .filter((r) => r.type === VM_GUARD && rolled.has(r.urn) && !rollBlocker(r.inputs as RollSubject))
    .map((r) => ({ name: String(r.inputs.node), role: r.inputs.role === "control-plane" ? ("control-plane" as const) : ("worker" as const) }));
  const upgrade = run.resources.find((r) => r.type === KUBEADM_NODE)?.inputs.upgrade as { workerBatchSize?: number } | undefined;
  return nodes.length ? rolloutBatches(nodes, upgrade?.workerBatchSize ?? 1) : [];
}
