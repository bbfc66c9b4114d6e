/**
 * The plan as text: the resource tree with each resource's inputs, never cut (see render-value.ts).
 * Expects a run whose invented values are already marked unknown (known-after-apply.ts).
 */
import { valueRenderer } from "./render-value";
import type { PlannedResource, ProgramRun } from "./run-program";
import { wrapLine } from "./wrap";

export interface TreeOptions {
  /** Where long values wrap; 120 unless given. */
  width?: number;
  /** Each input on one line, however long, instead of wrapped and one key per line. */
  wide?: boolean;
}

export function renderTree(run: ProgramRun, clusterTags: Record<string, string> = {}, opts: TreeOptions = {}): string {
  const width = opts.width ?? 120;
  const values = valueRenderer({ width, wide: !!opts.wide, clusterTags });
  const children = new Map<string | null, PlannedResource[]>();
  for (const r of run.resources) children.set(r.parent, [...(children.get(r.parent) ?? []), r]);
  const lines: string[] = [];
  const walk = (parent: string | null, depth: number) => {
    for (const r of children.get(parent) ?? []) {
      const pad = "    ".repeat(depth);
      const inner = `${pad}      `;
      lines.push(`${pad}+ ${r.type}  ${r.name}`);
      for (const [k, v] of Object.entries(r.inputs)) lines.push(...values.entry(k, v, inner, `${r.name} ${k}`));
      if (r.dependsOn.length) {
        const after = `(after ${r.dependsOn.map((u) => u.split("::").pop()).join(", ")})`;
        lines.push(...(opts.wide ? [inner + after] : wrapLine(inner, after, `${inner}  `, width)));
      }
      walk(r.urn, depth + 1);
    }
  };
  walk(null, 0);
  const custom = run.resources.filter((r) => r.custom).length;
  lines.push("", "Outputs:");
  for (const [k, v] of Object.entries(run.outputs)) lines.push(...values.entry(k, v, "    ", `output ${k}`));
  lines.push("", `${run.resources.length} resource(s) to create: ${custom} custom, ${run.resources.length - custom} component(s).`);
  return lines.join("\n");
}
