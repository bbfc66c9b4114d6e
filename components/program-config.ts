/**
 * The Pulumi program's edge: reads this stack's config from the Pulumi runtime, validates it with
 * the same schemas and rules as `clusterkit plan` (overlaps with the other stack files are
 * warnings, see docs/fleet.md), and returns the resolved spec. Problems become a RunError, which
 * Pulumi prints without a stack trace.
 */
import * as pulumi from "@pulumi/pulumi";
import { ClusterkitError, formatIssue } from "../core/errors";
import { findProjectRoot, loadStackAlone } from "../core/load/project";
import { NAMESPACE, parseStackConfig, stackFileName } from "../core/load/stack-file";
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
    // Like `clusterkit plan`: other stacks' drafts and overlaps only warn; validate is the fleet gate.
    return loadStackAlone(root, stackName, parseStackConfig(stackName, stackFileName(stackName), config));
  } catch (e) {
    if (e instanceof ClusterkitError) throw new pulumi.RunError(`clusterkit: invalid configuration\n${e.issues.map(formatIssue).join("\n")}`);
    throw e;
  }
}

/** Project root: Pulumi runs the program in the folder holding Pulumi.yaml. */
export function projectRoot(): string {
  return findProjectRoot(process.cwd());
}
