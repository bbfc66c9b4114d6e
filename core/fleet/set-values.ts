/**
 * `--set key=value` for clone-region: a region variable of the blueprint, typed by its
 * declaration. Lists are comma-separated; hosts and bastion take JSON. Values are validated like
 * the stack file would be, so a bad one exits 2 before anything is written.
 */
import type { Issue } from "../errors";
import { didYouMean, zodIssues } from "../schema/issues";
import { variableTypes, type VariableType } from "../schema/variables";

export interface SetDeclaration {
  name: string;
  type: VariableType;
}

function convert(type: VariableType, text: string): unknown {
  switch (type) {
    case "string-list":
    case "ipv4-list":
      return text.split(",").map((s) => s.trim()).filter(Boolean);
    case "integer":
      return /^-?\d+$/.test(text.trim()) ? Number(text) : text;
    case "boolean":
      return text === "true" ? true : text === "false" ? false : text;
    case "hosts":
    case "bastion":
      try {
        return JSON.parse(text);
      } catch {
        return text;
      }
    default:
      return text;
  }
}

/** Parses every `--set`, collecting all problems (reported against the `--set` option). */
export function parseSets(sets: readonly string[], decls: readonly SetDeclaration[]): { values: Record<string, unknown>; issues: Issue[] } {
  const values: Record<string, unknown> = {};
  const issues: Issue[] = [];
  const names = decls.map((d) => d.name);
  for (const item of sets) {
    const eq = item.indexOf("=");
    const at = { file: "(command line)", path: `--set ${item.slice(0, eq < 0 ? undefined : eq)}` };
    if (eq <= 0) {
      issues.push({ ...at, message: "must be key=value", found: JSON.stringify(item) });
      continue;
    }
    const name = item.slice(0, eq);
    const decl = decls.find((d) => d.name === name);
    if (!decl) {
      const s = didYouMean(name, names);
      issues.push({ ...at, message: "is not a region variable of the blueprint", hint: s ? `did you mean '${s}'?` : `the blueprint declares: ${names.join(", ")}` });
      continue;
    }
    const value = convert(decl.type, item.slice(eq + 1));
    const schema = variableTypes[decl.type];
    const r = schema.safeParse(value);
    if (!r.success) {
      issues.push(...zodIssues(r.error, "(command line)", [`--set ${name}`], value, schema));
      continue;
    }
    if (name in values) issues.push({ ...at, message: "is given twice" });
    // The value as given (not zod's output with defaults filled in), as a user would write it.
    values[name] = value;
  }
  return { values, issues };
}
