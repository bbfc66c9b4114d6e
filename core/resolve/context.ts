/**
 * What every resolution rule works on: the merged, parsed blueprint, the filled-in variables, and a
 * collector that attributes each problem to the file the user must edit.
 */
import { appendPath, joinPath, type Issue, type Warning } from "../errors";
import type { Blueprint } from "../schema/blueprint";

export type PathSeg = string | number;

export interface SourceFiles {
  blueprintFile: string;
  stackFile: string;
  stackName: string;
}

export class Collector {
  readonly issues: Issue[] = [];
  readonly warnings: Warning[] = [];
  add(...issues: Issue[]): void {
    this.issues.push(...issues);
  }
  warn(warning: Warning): void {
    this.warnings.push(warning);
  }
}

export interface RuleContext extends SourceFiles {
  blueprint: Blueprint;
  /** The stack's `clusterkit:overrides`, to attribute blueprint fields it set to the stack file. */
  overrides: Record<string, unknown>;
  variables: Record<string, unknown>;
  /** Where each variable's value came from. */
  variableOrigin: Record<string, { file: string; path: string }>;
  region: string;
  out: Collector;
}

export function hasPath(obj: unknown, path: readonly PathSeg[]): boolean {
  let cur = obj;
  for (const seg of path) {
    if (cur === null || typeof cur !== "object" || !(seg in (cur as object))) return false;
    cur = (cur as Record<PathSeg, unknown>)[seg];
  }
  return true;
}

/** File and path of a blueprint field, honouring stack overrides. */
export function fieldAt(ctx: RuleContext, path: readonly PathSeg[]): { file: string; path: string } {
  for (let i = path.length; i > 0; i--) {
    if (hasPath(ctx.overrides, path.slice(0, i))) {
      return { file: ctx.stackFile, path: joinPath(["config", "clusterkit:overrides", ...path]) };
    }
  }
  return { file: ctx.blueprintFile, path: joinPath(path) };
}

export function variableAt(ctx: RuleContext, name: string, sub: PathSeg[] = []): { file: string; path: string } {
  const origin = ctx.variableOrigin[name] ?? { file: ctx.stackFile, path: joinPath(["config", "clusterkit:variables", name]) };
  return { file: origin.file, path: appendPath(origin.path, sub) };
}

export function fail(ctx: RuleContext, at: { file: string; path: string }, message: string, extra: Partial<Issue> = {}): void {
  ctx.out.add({ ...at, message, ...extra });
}
