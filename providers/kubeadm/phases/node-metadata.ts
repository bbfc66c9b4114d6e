/**
 * Labels and taints after registration. kubeadm sets them once, when the node registers; a later
 * change in the inventory or blueprint is applied with kubectl, touching only the keys that
 * changed (labels others set on the node are left alone).
 */
import { getNode, label, taint, taintArg } from "../cluster/kubectl";
import type { Phase } from "../phase";
import type { Taint } from "../types";
import { anyAdmin, type NodeContext } from "./node-context";

export interface MetadataChange {
  setLabels: Record<string, string>;
  removeLabels: string[];
  setTaints: Taint[];
  removeTaints: Taint[];
}

/** What to change, from the previous desired metadata to the new one (pure). */
export function metadataChange(old: { labels: Record<string, string>; taints: Taint[] }, next: { labels: Record<string, string>; taints: Taint[] }): MetadataChange {
  const setLabels = Object.fromEntries(Object.entries(next.labels).filter(([k, v]) => old.labels[k] !== v));
  const removeLabels = Object.keys(old.labels).filter((k) => !(k in next.labels));
  const key = (t: Taint) => taintArg(t);
  const oldKeys = new Set(old.taints.map(key));
  const nextKeys = new Set(next.taints.map(key));
  return { setLabels, removeLabels, setTaints: next.taints.filter((t) => !oldKeys.has(key(t))), removeTaints: old.taints.filter((t) => !nextKeys.has(key(t)) && !next.taints.some((n) => n.key === t.key && n.effect === t.effect)) };
}

export const isEmptyChange = (c: MetadataChange) => !Object.keys(c.setLabels).length && !c.removeLabels.length && !c.setTaints.length && !c.removeTaints.length;

export function nodeMetadataPhase(previous: { labels: Record<string, string>; taints: Taint[] }): Phase<NodeContext> {
  return {
    name: "node-metadata",
    async needed(ctx) {
      return !isEmptyChange(metadataChange(previous, ctx.inputs));
    },
    async run(ctx) {
      const c = metadataChange(previous, ctx.inputs);
      const admin = await anyAdmin(ctx, this.name);
      if (!admin || !(await getNode(admin, ctx.host.name, this.name))) return;
      await label(admin, ctx.host.name, c.setLabels, c.removeLabels, this.name);
      await taint(admin, ctx.host.name, c.setTaints, c.removeTaints, this.name);
    },
  };
}
