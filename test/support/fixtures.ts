/** In-memory copies of the example blueprints and stacks (read from the fixture project), to mutate in rule tests. */
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { parseStackConfig } from "../../core/load/stack-file";
import { resolve, type Resolved } from "../../core/resolve/resolve";
import { ClusterkitError, formatIssue, type Issue } from "../../core/errors";
import { exampleRoot } from "./temp-project";

export type Raw = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export function blueprintRaw(name: string): Raw {
  return parse(fs.readFileSync(path.join(exampleRoot(), "blueprints", `${name}.yaml`), "utf8"));
}

export function stackConfigRaw(stack: string): Raw {
  return parse(fs.readFileSync(path.join(exampleRoot(), "stacks", `Pulumi.${stack}.yaml`), "utf8")).config;
}

export function resolveRaw(bpName: string, bp: Raw, stack: string, config: Raw): Resolved {
  const file = `stacks/Pulumi.${stack}.yaml`;
  return resolve({ file: `blueprints/${bpName}.yaml`, raw: bp }, parseStackConfig(stack, file, config));
}

/** Resolves and returns the issues it raised (empty when it resolved). */
export function issuesOf(fn: () => unknown): Issue[] {
  try {
    fn();
    return [];
  } catch (e) {
    if (e instanceof ClusterkitError) return e.issues;
    throw e;
  }
}

export function describeIssues(issues: Issue[]): string {
  return issues.map(formatIssue).join("\n");
}
