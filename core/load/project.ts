/** The project on disk: finds it, lists stacks and blueprints, and loads and resolves them. */
import * as fs from "node:fs";
import * as path from "node:path";
import { ClusterkitError, type Issue, type Warning } from "../errors";
import { fleetIssues } from "../resolve/fleet";
import { resolve, type Resolved } from "../resolve/resolve";
import { parseStackFile, stackFileName, type StackFile } from "./stack-file";
import { readYaml } from "./yaml-file";

export function findProjectRoot(start = process.cwd()): string {
  for (let dir = path.resolve(start); ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, "Pulumi.yaml")) && fs.existsSync(path.join(dir, "blueprints"))) return dir;
    if (path.dirname(dir) === dir) {
      throw new ClusterkitError([{ file: start, path: "", message: "is not inside a clusterkit project (no Pulumi.yaml with a blueprints/ folder above it)" }]);
    }
  }
}

export function listStacks(root: string): string[] {
  return fs
    .readdirSync(path.join(root, "stacks"))
    .map((f) => /^Pulumi\.(.+)\.ya?ml$/.exec(f)?.[1])
    .filter((s): s is string => !!s)
    .sort();
}

export function listBlueprints(root: string): string[] {
  return fs
    .readdirSync(path.join(root, "blueprints"))
    .filter((f) => f.endsWith(".yaml") && !f.endsWith(".schema.yaml"))
    .map((f) => f.replace(/\.yaml$/, ""))
    .sort();
}

export function loadStackFile(root: string, name: string): StackFile {
  const file = stackFileName(name);
  return parseStackFile(name, file, readYaml(path.join(root, file), file));
}

export function blueprintFile(name: string): string {
  return `blueprints/${name}.yaml`;
}

/** Resolves one stack from its already-parsed config (file or Pulumi runtime). */
export function resolveStackFile(root: string, stack: StackFile): Resolved {
  const file = blueprintFile(stack.config.blueprint);
  if (!fs.existsSync(path.join(root, file))) {
    throw new ClusterkitError([
      { file: stack.file, path: "config.clusterkit:blueprint", message: "names no blueprint", found: JSON.stringify(stack.config.blueprint), hint: `available: ${listBlueprints(root).join(", ")}` },
    ]);
  }
  return resolve({ file, raw: readYaml(path.join(root, file), file) }, stack);
}

export interface FleetResult {
  resolved: Map<string, Resolved>;
  issues: Issue[];
  /** Stacks outside `only` that failed on their own, so fleet rules could not compare them. */
  warnings: Warning[];
}

/**
 * Loads and resolves stacks, collecting every problem. All stacks are resolved so that the
 * fleet-wide overlap rules see the whole fleet; `only` limits what is reported.
 */
export function loadFleet(root: string, only?: string[]): FleetResult {
  const all = listStacks(root);
  const issues: Issue[] = [];
  for (const name of only ?? []) {
    if (!all.includes(name)) issues.push({ file: stackFileName(name), path: "", message: "does not exist", hint: all.length ? `stacks here: ${all.join(", ")}` : undefined });
  }
  const focus = only ? new Set(only) : undefined;
  const resolved = new Map<string, Resolved>();
  const warnings: Warning[] = [];
  for (const name of all) {
    try {
      resolved.set(name, resolveStackFile(root, loadStackFile(root, name)));
    } catch (e) {
      if (!(e instanceof ClusterkitError)) throw e;
      if (!focus || focus.has(name)) issues.push(...e.issues);
      else warnings.push({ file: stackFileName(name), path: "", message: "has problems of its own, so fleet-wide overlap checks left it out; run clusterkit validate" });
    }
  }
  issues.push(...fleetIssues([...resolved.values()], focus));
  return { resolved, issues, warnings };
}
