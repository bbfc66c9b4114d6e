/**
 * The Pulumi program's edge: reads this stack's config from the Pulumi runtime, validates it with
 * the same schemas and rules as `clusterkit validate` (including fleet-wide overlaps against the
 * other stack files), and returns the resolved spec. Problems become a RunError, which Pulumi
 * prints without a stack trace.
 */
import * as pulumi from "@pulumi/pulumi";
import { ClusterkitError, formatIssue } from "../core/errors";
import { findProjectRoot, listStacks, loadStackFile, resolveStackFile } from "../core/load/project";
import { NAMESPACE, parseStackConfig, stackFileName } from "../core/load/stack-file";
import { fleetIssues } from "../core/resolve/fleet";
import type { Resolved } from "../core/resolve/resolve";
import { secretConfigKeys } from "../core/schema/stack";

/** Pulumi hands structured config values over as JSON text. */
function decode(value: string): unknown {
  const t = value.trim();
  if (t.startsWith("{") || t.startsWith("[")) {
    try {
      return JSON.parse(t);
    } catch {
      return value;
    }
  }
  return value;
}

export function runtimeConfigMap(): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(pulumi.runtime.allConfig())) {
    const sub = key.startsWith(`${NAMESPACE}:`) ? key.slice(NAMESPACE.length + 1) : null;
    // Secret values never enter the pure layer: it only needs to know they are set.
    out[key] = sub !== null && sub in secretConfigKeys ? { secure: "(set)" } : decode(value);
  }
  return out;
}

export function resolveProgram(root: string, stackName: string, config: Record<string, unknown>): Resolved {
  try {
    const self = resolveStackFile(root, parseStackConfig(stackName, stackFileName(stackName), config));
    const others: Resolved[] = [];
    for (const name of listStacks(root)) {
      if (name === stackName) continue;
      try {
        others.push(resolveStackFile(root, loadStackFile(root, name)));
      } catch (e) {
        if (!(e instanceof ClusterkitError)) throw e; // another stack's own problems are its own
      }
    }
    const clashes = fleetIssues([self, ...others], new Set([stackName]));
    if (clashes.length) throw new ClusterkitError(clashes);
    return self;
  } catch (e) {
    if (e instanceof ClusterkitError) throw new pulumi.RunError(`clusterkit: invalid configuration\n${e.issues.map(formatIssue).join("\n")}`);
    throw e;
  }
}

/** Project root: Pulumi runs the program in the folder holding Pulumi.yaml. */
export function projectRoot(): string {
  return findProjectRoot(process.cwd());
}
