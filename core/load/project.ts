/** The project on disk: finds it, lists stacks and blueprints, and loads and resolves them. */
import * as fs from "node:fs";
import * as path from "node:path";
import { ClusterkitError, type Issue, type Warning } from "../errors";
import { fleetIssues, fleetWarnings } from "../resolve/fleet";
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

/**
 * Stacks resolved from their files, kept for the process: a plan resolves the other stacks twice in
 * one process (the CLI for its warnings, then the program it runs, which does the same under
 * `pulumi up`), and resolving the fleet is most of a small plan's own work. Kept by the text of the
 * stack file and of its blueprint, so an edited file is resolved anew; failures are not kept.
 */
const resolvedFromDisk = new Map<string, { stackText: string; blueprintPath: string; blueprintText: string; resolved: Resolved }>();

function readText(absPath: string): string | undefined {
  try {
    return fs.readFileSync(absPath, "utf8");
  } catch {
    return undefined;
  }
}

function loadAndResolve(root: string, name: string): Resolved {
  const stackPath = path.join(root, stackFileName(name));
  const stackText = readText(stackPath);
  const hit = resolvedFromDisk.get(stackPath);
  if (hit && stackText === hit.stackText && readText(hit.blueprintPath) === hit.blueprintText) return hit.resolved;
  const stack = loadStackFile(root, name);
  const blueprintPath = path.join(root, blueprintFile(stack.config.blueprint));
  const blueprintText = readText(blueprintPath);
  const resolved = resolveStackFile(root, stack);
  if (stackText !== undefined && blueprintText !== undefined) resolvedFromDisk.set(stackPath, { stackText, blueprintPath, blueprintText, resolved });
  return resolved;
}

export interface FleetResult {
  resolved: Map<string, Resolved>;
  issues: Issue[];
  /** Stacks outside `only` that failed on their own, so fleet rules could not compare them. */
  warnings: Warning[];
}

const leftOut = "has problems of its own, so fleet-wide overlap checks left it out; run clusterkit validate";

/**
 * For `clusterkit validate`, the fleet gate: loads and resolves stacks, collecting every problem.
 * All stacks are resolved so that the fleet-wide overlap rules see the whole fleet; `only` limits
 * what is reported, and an overlap with a stack outside it is still an error.
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
      resolved.set(name, loadAndResolve(root, name));
    } catch (e) {
      if (!(e instanceof ClusterkitError)) throw e;
      if (!focus || focus.has(name)) issues.push(...e.issues);
      else warnings.push({ file: stackFileName(name), path: "", message: leftOut });
    }
  }
  issues.push(...fleetIssues([...resolved.values()], focus));
  return { resolved, issues, warnings };
}

/**
 * For a command on one stack (plan, the program under `pulumi up`): the stack's own problems are
 * errors, filed against its files; the other stacks never fail it. They may be drafts, broken or
 * untouched copies, so their problems and their overlaps with this stack come back as warnings
 * against their own files (`validate` makes the overlaps errors). `stack` is the config the Pulumi
 * runtime handed over; without it the stack file is read.
 */
export function loadStackAlone(root: string, name: string, stack?: StackFile): Resolved {
  const all = listStacks(root);
  if (!stack && !all.includes(name)) {
    throw new ClusterkitError([{ file: stackFileName(name), path: "", message: "does not exist", hint: all.length ? `stacks here: ${all.join(", ")}` : undefined }]);
  }
  const self = stack ? resolveStackFile(root, stack) : loadAndResolve(root, name);
  const others: Resolved[] = [];
  const warnings: Warning[] = [];
  for (const other of all) {
    if (other === name) continue;
    try {
      others.push(loadAndResolve(root, other));
    } catch (e) {
      if (!(e instanceof ClusterkitError)) throw e;
      warnings.push({ file: stackFileName(other), path: "", message: leftOut });
    }
  }
  return { ...self, warnings: [...self.warnings, ...warnings, ...fleetWarnings(self, others)] };
}
