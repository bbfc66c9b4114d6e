/** Checks a blueprint on its own, for blueprints no stack uses yet. */
import * as path from "node:path";
import type { Issue } from "../errors";
import { Collector } from "../resolve/context";
import { declaredVariables } from "../resolve/variables";
import { blueprintSchema } from "../schema/blueprint";
import { zodIssues } from "../schema/issues";
import { blueprintFile } from "./project";
import { readYaml } from "./yaml-file";
import { ClusterkitError } from "../errors";

export function checkBlueprint(root: string, name: string): Issue[] {
  const file = blueprintFile(name);
  let raw: unknown;
  try {
    raw = readYaml(path.join(root, file), file);
  } catch (e) {
    if (e instanceof ClusterkitError) return e.issues;
    throw e;
  }
  const r = blueprintSchema.safeParse(raw);
  if (!r.success) return zodIssues(r.error, file, [], raw, blueprintSchema);
  const out = new Collector();
  if (r.data.name !== name) out.add({ file, path: "name", message: "must match the file name", expected: JSON.stringify(name), found: JSON.stringify(r.data.name) });
  declaredVariables(r.data, { blueprintFile: file, stackFile: "", stackName: "" }, out);
  return out.issues;
}
