/**
 * The change view of the text plan (`plan --state`): what `pulumi up` would create, update,
 * replace, delete or refuse compared with a state export, the changed input paths of each, and the
 * order of the kubeadm nodes. Values shown are short and never secret (compare-inputs.ts).
 */
import { valueRenderer } from "./render-value";
import type { ProgramRun } from "./run-program";
import { refusalText, type ResourceChange, type StateChanges } from "./state-diff";
import { wrapLine } from "./wrap";

const MAX_PATHS = 12;

const sign: Record<ResourceChange["action"], string> = { create: "+", update: "~", replace: "+-", delete: "-", refuse: "!", same: " " };

function headline(c: ResourceChange): string {
  const keys = c.keys.length ? `: ${c.keys.join(", ")}` : "";
  switch (c.action) {
    case "create":
      return "create";
    case "delete":
      return c.pendingDelete ? "delete (left over from an interrupted replace)" : "delete";
    case "replace":
      return `replace${c.deleteBeforeReplace ? " (the old one is deleted first)" : ""}, because of ${(c.replaceKeys ?? []).join(", ")}${keys}`;
    case "refuse":
      return `refused by its provider's diff${keys}`;
    case "update":
      if (c.decidedBy === "inputs") return `update (its provider decides whether in place or by replacing)${keys}`;
      return c.keys.length ? `update${keys}` : "update (its provider reports a change, e.g. drift seen at the last refresh)";
    default:
      return "no change";
  }
}

export function renderChanges(changes: StateChanges, run: ProgramRun, stack: string, opts: { width: number; wide: boolean; clusterTags: Record<string, string> }): string {
  const values = valueRenderer(opts);
  const inputsOf = new Map(run.resources.map((r) => [r.urn, r.inputs]));
  const when = changes.stateTime ? `, written ${changes.stateTime}` : "";
  const lines = [`Changes against ${changes.state} (${changes.resourcesInState} resource(s) in state${when}), as \`pulumi up --stack ${stack}\` would make them:`, ""];
  for (const c of changes.resources) {
    lines.push(`  ${sign[c.action]} ${c.type}  ${c.name}  ${headline(c)}`);
    const inner = "        ";
    if (c.action === "create") for (const [k, v] of Object.entries(inputsOf.get(c.urn) ?? {})) lines.push(...values.entry(k, v, inner, `${c.name} ${k}`));
    for (const p of c.paths.slice(0, MAX_PATHS)) lines.push(`${inner}${p.path}: ${p.before !== undefined && p.after !== undefined ? `${p.before} → ${p.after}` : "changed"}`);
    if (c.paths.length > MAX_PATHS) lines.push(`${inner}… and ${c.paths.length - MAX_PATHS} more changed path(s) (\`--json\` lists them all)`);
    if (c.action === "refuse") lines.push(...refusalText(c).split("\n").map((l) => `${inner}${l}`));
  }
  if (!changes.resources.length) lines.push("  No changes: every resource the program registers matches the state.");

  if (changes.kubeadmOrder.some((s) => s.action !== "same")) {
    const width = Math.max(...changes.kubeadmOrder.map((s) => s.name.length));
    lines.push("", "Kubeadm nodes, in the order `pulumi up` works on them (a refusal stops it at that node):");
    changes.kubeadmOrder.forEach((s, i) => {
      const what = s.action === "same" ? "no change" : s.action;
      lines.push(`  ${String(i + 1).padStart(2)}. ${s.name.padEnd(width)}  ${s.role.padEnd(13)}  ${what.padEnd(9)}${s.after ? `  after ${s.after}` : ""}`.trimEnd());
    });
  }
  if (changes.vmRollout.length) {
    lines.push(
      "",
      "VMs cloned again (a new template, clone kind or size), one batch at a time in this order. Each node is drained",
      "(a control plane also leaves etcd), its VM is deleted and cloned again, and the new machine is prepared, joins and",
      "is Ready before the next batch starts:",
    );
    changes.vmRollout.forEach((batch, i) => lines.push(`  ${String(i + 1).padStart(2)}. ${batch.join(", ")}`));
  }
  if (changes.notComparable.length) {
    const names = changes.notComparable.map((n) => `${n.urn.split("::").pop()} (${n.unknownKeys.join(", ")})`);
    const note = `Not comparable offline, taken as unchanged: secrets, and values known only after deploy, in ${changes.notComparable.length} unchanged resource(s): ${names.join("; ")}`;
    lines.push("", ...(opts.wide ? [note] : wrapLine("", note, "    ", opts.width)));
  }
  const s = changes.summary;
  lines.push("", `${s.create} to create, ${s.update} to update, ${s.replace} to replace, ${s.delete} to delete, ${s.refuse} refused, ${s.same} unchanged.`);
  return lines.join("\n");
}
