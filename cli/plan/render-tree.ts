/** The plan as text: the resource tree with each resource's key inputs, one per line. */
import type { PlannedResource, ProgramRun } from "./run-program";

const MAX = 110;

function brief(value: unknown): string {
  const s = JSON.stringify(value);
  return s.length > MAX ? `${s.slice(0, MAX - 1)}…` : s;
}

/** Tag maps repeat the cluster's tags on every resource; print those once, and only the extras inline. */
function briefInput(key: string, value: unknown, clusterTags: Record<string, string>): string {
  if (/^tags/.test(key) && value && typeof value === "object" && !Array.isArray(value)) {
    const tags = value as Record<string, unknown>;
    const common = Object.entries(clusterTags).every(([k, v]) => tags[k] === v);
    if (common) {
      const extra = Object.fromEntries(Object.entries(tags).filter(([k]) => !(k in clusterTags)));
      return Object.keys(extra).length ? `cluster tags + ${brief(extra)}` : "cluster tags";
    }
  }
  return brief(value);
}

export function renderTree(run: ProgramRun, clusterTags: Record<string, string> = {}): string {
  const children = new Map<string | null, PlannedResource[]>();
  for (const r of run.resources) children.set(r.parent, [...(children.get(r.parent) ?? []), r]);
  const lines: string[] = [];
  const walk = (parent: string | null, depth: number) => {
    for (const r of children.get(parent) ?? []) {
      const pad = "    ".repeat(depth);
      lines.push(`${pad}+ ${r.type}  ${r.name}`);
      for (const [k, v] of Object.entries(r.inputs)) lines.push(`${pad}      ${k}: ${briefInput(k, v, clusterTags)}`);
      if (r.dependsOn.length) lines.push(`${pad}      (after ${r.dependsOn.map((u) => u.split("::").pop()).join(", ")})`);
      walk(r.urn, depth + 1);
    }
  };
  walk(null, 0);
  const custom = run.resources.filter((r) => r.custom).length;
  lines.push("", "Outputs:");
  for (const [k, v] of Object.entries(run.outputs)) lines.push(`    ${k}: ${brief(v)}`);
  lines.push("", `${run.resources.length} resource(s) to create: ${custom} custom, ${run.resources.length - custom} component(s).`);
  return lines.join("\n");
}
