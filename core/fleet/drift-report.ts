/**
 * The drift report, `clusterkit drift --json FILE`: a stable, versioned document for CI and
 * dashboards. Stacks are sorted by name, resources by URN, properties by path; secrets are always
 * "[secret]". docs/fleet.md embeds the JSON Schema generated from this zod schema (a test keeps
 * them equal). Changes to the shape bump apiVersion.
 */
import { z } from "zod";

export const DRIFT_API_VERSION = "clusterkit.dev/drift/v1";

export const propertyDriftSchema = z.strictObject({
  /** Pulumi property path, e.g. `tags.Owner` or `ingress[0].cidrBlocks[1]`. */
  path: z.string(),
  /** Pulumi's diff kind: add, delete, update (or their -replace forms). */
  kind: z.enum(["add", "delete", "update", "add-replace", "delete-replace", "update-replace"]),
  /** The value in the Pulumi state (what was deployed); "[secret]" for secrets; absent for add. */
  old: z.unknown().optional(),
  /** The value the cloud reports now; "[secret]" for secrets; absent for delete. */
  new: z.unknown().optional(),
});

export const resourceDriftSchema = z.strictObject({
  urn: z.string(),
  type: z.string(),
  name: z.string(),
  /** "update": changed outside Pulumi; "delete": gone from the cloud. */
  change: z.enum(["update", "delete"]),
  properties: z.array(propertyDriftSchema),
});

export const stackErrorSchema = z.strictObject({
  /** auth: credentials missing, expired or refused; stack-not-found; timeout; cli: any other failure of the Pulumi CLI. */
  kind: z.enum(["auth", "stack-not-found", "timeout", "cli"]),
  message: z.string(),
});

export const stackDriftSchema = z.strictObject({
  stack: z.string(),
  /** clean: checked, no drift; drifted: checked, drift found; error: could not be checked. */
  status: z.enum(["clean", "drifted", "error"]),
  durationSeconds: z.number(),
  /** Pulumi's own count of refresh results by operation (same, update, delete). */
  changeSummary: z.record(z.string(), z.number()),
  resources: z.array(resourceDriftSchema),
  error: stackErrorSchema.nullable(),
});

export const driftReportSchema = z.strictObject({
  apiVersion: z.literal(DRIFT_API_VERSION),
  generatedAt: z.string(),
  pulumiVersion: z.string().nullable(),
  /** 1-based shard of the fleet this report covers, or null for the whole selection. */
  shard: z.strictObject({ index: z.number().int().min(1), count: z.number().int().min(1) }).nullable(),
  /** Exit code of the run: 0 no drift, 1 drift found, 2 a stack could not be checked. */
  exitCode: z.union([z.literal(0), z.literal(1), z.literal(2)]),
  summary: z.strictObject({
    stacks: z.number().int(),
    clean: z.number().int(),
    drifted: z.number().int(),
    errors: z.number().int(),
    driftedResources: z.number().int(),
  }),
  stacks: z.array(stackDriftSchema),
});

export type PropertyDrift = z.output<typeof propertyDriftSchema>;
export type ResourceDrift = z.output<typeof resourceDriftSchema>;
export type StackDrift = z.output<typeof stackDriftSchema>;
export type StackError = z.output<typeof stackErrorSchema>;
export type DriftReport = z.output<typeof driftReportSchema>;

export function driftReportJsonSchema(): Record<string, unknown> {
  return { ...z.toJSONSchema(driftReportSchema, { io: "output", unrepresentable: "any" }), title: "clusterkit drift report" };
}

/** Exit code of a run: any unchecked stack makes the result incomplete, which outranks drift. */
export function exitCodeOf(stacks: readonly StackDrift[]): 0 | 1 | 2 {
  if (stacks.some((s) => s.status === "error")) return 2;
  return stacks.some((s) => s.status === "drifted") ? 1 : 0;
}

export function buildReport(stacks: StackDrift[], meta: { generatedAt: string; pulumiVersion: string | null; shard: { index: number; count: number } | null }): DriftReport {
  const sorted = [...stacks].sort((a, b) => a.stack.localeCompare(b.stack));
  return {
    apiVersion: DRIFT_API_VERSION,
    ...meta,
    exitCode: exitCodeOf(sorted),
    summary: {
      stacks: sorted.length,
      clean: sorted.filter((s) => s.status === "clean").length,
      drifted: sorted.filter((s) => s.status === "drifted").length,
      errors: sorted.filter((s) => s.status === "error").length,
      driftedResources: sorted.reduce((n, s) => n + s.resources.length, 0),
    },
    stacks: sorted,
  };
}
