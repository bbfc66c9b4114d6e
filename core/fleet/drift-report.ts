/**
 * The drift report, `clusterkit drift --json FILE`: a stable, versioned document for CI and
 * dashboards. Stacks are sorted by name, resources by URN, properties by path; secrets are always
 * "[secret]". docs/fleet.md embeds the JSON Schema generated from this zod schema (a test keeps
 * them equal). Changes to the shape bump apiVersion.
 */
import { z } from "zod";

export const DRIFT_API_VERSION = "clusterkit.dev/drift/v1";

export const propertyDriftSchema = z.strictObject({
  path: z.string().describe("Pulumi property path, e.g. tags.Owner or ingress[0].cidrBlocks[1]"),
  kind: z.enum(["add", "delete", "update", "add-replace", "delete-replace", "update-replace"]).describe("Pulumi's diff kind for the property"),
  old: z.unknown().optional().describe('The value in the Pulumi state (what was deployed); "[secret]" for secrets; absent when the property was added'),
  new: z.unknown().optional().describe('The value the cloud reports now; "[secret]" for secrets; absent when the property was removed'),
});

export const resourceDriftSchema = z.strictObject({
  urn: z.string().describe("The resource's Pulumi URN"),
  type: z.string().describe("Pulumi type token, e.g. aws:ec2/securityGroup:SecurityGroup"),
  name: z.string().describe("The resource's name (the last part of the URN)"),
  change: z.enum(["update", "delete"]).describe("update: changed outside Pulumi; delete: gone from the cloud"),
  properties: z.array(propertyDriftSchema).describe("Changed properties, sorted by path; empty for delete"),
});

export const stackErrorSchema = z.strictObject({
  kind: z
    .enum(["auth", "stack-not-found", "timeout", "cli"])
    .describe("auth: credentials missing, expired or refused; stack-not-found: never deployed or in another backend; timeout: cancelled after --timeout; cli: any other failure of the Pulumi CLI"),
  message: z.string().describe("The CLI's own error lines (Pulumi filters secrets out of them)"),
});

export const snapshotReportSchema = z.strictObject({
  node: z.string().describe("The control plane's node name"),
  newest: z
    .strictObject({
      name: z.string().describe("The bundle's file name on the node"),
      takenAt: z.string().describe("ISO 8601 time the snapshot was taken"),
      ageSeconds: z.number().int().describe("Its age when the report was written"),
      bytes: z.number().int().describe("The bundle's size"),
    })
    .nullable()
    .describe("The newest scheduled snapshot on the node; null when it holds none"),
  onNode: z.number().int().describe("Bundles kept on the node"),
  lastFailure: z.strictObject({ at: z.string(), what: z.string() }).nullable().describe("The last failed run not followed by a newer bundle; null otherwise"),
  timerActive: z.boolean().describe("Whether the node's snapshot timer is active"),
});

export const stackDriftSchema = z.strictObject({
  stack: z.string(),
  status: z.enum(["clean", "drifted", "error"]).describe("clean: checked, no drift; drifted: checked, drift found; error: could not be checked"),
  durationSeconds: z.number(),
  changeSummary: z.record(z.string(), z.number()).describe("Pulumi's own count of refresh outcomes by operation: same, update, delete"),
  resources: z.array(resourceDriftSchema).describe("Drifted resources, sorted by URN"),
  error: stackErrorSchema.nullable().describe("Why the stack could not be checked; null otherwise"),
  etcdSnapshots: z
    .array(snapshotReportSchema)
    .describe("Scheduled etcd snapshots (backup.etcd.schedule) as the refresh read them from each control plane, sorted by node; a report, not drift (a stale or failing schedule shows as drift of its node); empty without a schedule or when the stack could not be checked"),
});

export const driftReportSchema = z.strictObject({
  apiVersion: z.literal(DRIFT_API_VERSION),
  generatedAt: z.string().describe("ISO 8601 time the report was written"),
  pulumiVersion: z.string().nullable().describe("Version of the Pulumi CLI that ran the refreshes"),
  shard: z
    .strictObject({ index: z.number().int().min(1), count: z.number().int().min(1) })
    .nullable()
    .describe("The 1-based shard of the fleet this report covers (--shard i/n), or null"),
  exitCode: z.union([z.literal(0), z.literal(1), z.literal(2)]).describe("0: no drift; 1: drift found; 2: a stack could not be checked"),
  summary: z.strictObject({
    stacks: z.number().int(),
    clean: z.number().int(),
    drifted: z.number().int(),
    errors: z.number().int(),
    driftedResources: z.number().int(),
  }),
  stacks: z.array(stackDriftSchema).describe("One entry per checked stack, sorted by name"),
});

export type PropertyDrift = z.output<typeof propertyDriftSchema>;
export type ResourceDrift = z.output<typeof resourceDriftSchema>;
export type StackDrift = z.output<typeof stackDriftSchema>;
export type StackError = z.output<typeof stackErrorSchema>;
export type SnapshotReport = z.output<typeof snapshotReportSchema>;
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
