/**
 * Fills in region variables: the platform's well-known ones plus the blueprint's own, typed, with
 * defaults applied. Unknown names, missing required ones and wrongly typed values are all reported.
 */
import { ClusterkitError, joinPath } from "../errors";
import type { Blueprint } from "../schema/blueprint";
import { didYouMean, zodIssues } from "../schema/issues";
import { variableTypes, type VariableType } from "../schema/variables";
import type { Collector, SourceFiles } from "./context";
import { placeholderIssues } from "./placeholders";
import { platformVariables } from "./platform-variables";

export interface DeclaredVariable {
  name: string;
  type: VariableType;
  required: boolean;
  default?: unknown;
  description: string;
  /** Index in the blueprint's `variables`, or null for a platform variable it did not restate. */
  index: number | null;
}

export function declaredVariables(bp: Blueprint, files: SourceFiles, out: Collector): DeclaredVariable[] {
  const wellKnown = platformVariables[bp.platform.kind];
  const declared = new Map<string, DeclaredVariable>();
  for (const [name, v] of Object.entries(wellKnown)) declared.set(name, { name, ...v, index: null });
  bp.variables.forEach((v, index) => {
    const known = wellKnown[v.name];
    const path = joinPath(["variables", index]);
    if (known && known.type !== v.type) {
      out.add({ file: files.blueprintFile, path: `${path}.type`, message: `variable '${v.name}' is read by the ${bp.platform.kind} platform`, expected: known.type, found: v.type });
      return;
    }
    if (v.default !== undefined) {
      const r = variableTypes[v.type].safeParse(v.default);
      if (!r.success) out.add(...zodIssues(r.error, files.blueprintFile, ["variables", index, "default"], v.default, variableTypes[v.type]));
    }
    if (declared.has(v.name) && declared.get(v.name)!.index !== null) {
      out.add({ file: files.blueprintFile, path: `${path}.name`, message: `variable '${v.name}' is declared twice` });
    }
    declared.set(v.name, { ...v, required: v.required || (known?.required ?? false), index });
  });
  return [...declared.values()];
}

export interface FilledVariables {
  values: Record<string, unknown>;
  origin: Record<string, { file: string; path: string }>;
}

export function fillVariables(decls: DeclaredVariable[], given: Record<string, unknown>, files: SourceFiles, out: Collector): FilledVariables {
  const values: Record<string, unknown> = {};
  const origin: Record<string, { file: string; path: string }> = {};
  const names = decls.map((d) => d.name);
  for (const name of Object.keys(given)) {
    if (!names.includes(name)) {
      const s = didYouMean(name, names);
      out.add({
        file: files.stackFile,
        path: joinPath(["config", "clusterkit:variables", name]),
        message: "unknown region variable",
        hint: s ? `did you mean '${s}'?` : `the blueprint declares: ${names.join(", ")}`,
      });
    }
  }
  let holes = 0;
  for (const d of decls) {
    const stackPath = ["config", "clusterkit:variables", d.name];
    const left = d.name in given ? placeholderIssues(files.stackFile, stackPath, given[d.name]) : [];
    holes += left.length;
    if (left.length) out.add(...left);
    else if (d.name in given) {
      const schema = variableTypes[d.type];
      const r = schema.safeParse(given[d.name]);
      if (r.success) {
        values[d.name] = r.data;
        origin[d.name] = { file: files.stackFile, path: joinPath(stackPath) };
      } else {
        out.add(...zodIssues(r.error, files.stackFile, stackPath, given[d.name], schema));
        out.reject({ file: files.stackFile, path: joinPath(stackPath) });
      }
    } else if (d.default !== undefined) {
      values[d.name] = variableTypes[d.type].safeParse(d.default).data;
      origin[d.name] = { file: files.blueprintFile, path: joinPath(["variables", d.index ?? 0, "default"]) };
    } else if (d.required) {
      out.add({
        file: files.stackFile,
        path: joinPath(stackPath),
        message: `required region variable is missing: ${d.description}`,
        expected: d.type,
        found: "nothing",
      });
    }
  }
  // Rules further on would only repeat the gaps as follow-on errors: report the placeholders alone.
  if (holes) throw new ClusterkitError(out.issues);
  return { values, origin };
}
