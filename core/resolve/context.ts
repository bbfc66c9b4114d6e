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
  private readonly rejected: { file: string; path: string }[] = [];
  add(...issues: Issue[]): void {
    this.issues.push(...issues.filter((i) => !this.isRejected(i)));
  }
  warn(warning: Warning): void {
    if (!this.isRejected(warning)) this.warnings.push(warning);
  }
  /**
   * Marks a value as rejected (its own problems are already reported). Rules see it as absent,
   * so whatever they would say about it next ("is needed", "found 0") is a follow-on error about
   * the same field, and is dropped: one bad host or CIDR is one problem, not three.
   */
  reject(at: { file: string; path: string }): void {
    this.rejected.push(at);
  }
  private isRejected(i: { file: string; path: string }): boolean {
    return this.rejected.some((r) => r.file === i.file && (i.path === r.path || i.path.startsWith(`${r.path}.`) || i.path.startsWith(`${r.path}[`)));
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
  /** True when the cluster is named after the stack because the stack sets no clusterkit:clusterName. */
  clusterNameDefaulted: boolean;
  /** The stack's config of other namespaces (aws:, kubernetes:), for rules that must agree with it. */
  providerConfig: Record<string, unknown>;
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
