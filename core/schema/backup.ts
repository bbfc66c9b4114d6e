/**
 * Backups a blueprint asks for. Scheduled etcd snapshots run on the control planes themselves (a
 * systemd timer each), so they go on when clusterkit's machine is off; `clusterkit etcd snapshot
 * --collect` copies them off the nodes to the backup target.
 */
import { z } from "zod";

/**
 * systemd's OnCalendar= (systemd.time(7)): a shorthand such as `hourly` or an expression such as
 * `*-*-* 00/6:00:00`. Only the characters those use, so the value cannot break out of the unit file.
 */
const onCalendar = z
  .string()
  .min(1)
  .max(80)
  .regex(/^[A-Za-z0-9*,./:~ -]+$/, "must be a systemd OnCalendar= expression such as hourly, daily or *-*-* 00/6:00:00 (systemd.time(7))");

export const etcdScheduleSchema = z.discriminatedUnion("kind", [
  z.strictObject({ kind: z.literal("none") }),
  z.strictObject({
    kind: z.literal("systemd-timer"),
    onCalendar: onCalendar.default("hourly"),
    /** Spreads the control planes' runs apart (systemd's RandomizedDelaySec=), so they do not all write at once. */
    randomizedDelaySeconds: z.number().int().min(0).max(3600).default(300),
    /** Bundles each control plane keeps on its own disk; older ones are removed after each run. */
    keepOnNode: z.number().int().min(1).max(100).default(3),
    /** `pulumi refresh` and `clusterkit drift` report a control plane whose newest snapshot is older than this. */
    maxAgeHours: z.number().int().min(1).max(24 * 31).default(3),
  }),
]);
export type EtcdSchedule = z.output<typeof etcdScheduleSchema>;

export const backupSchema = z.strictObject({
  etcd: z.strictObject({ schedule: etcdScheduleSchema.default({ kind: "none" }) }).default({ schedule: { kind: "none" } }),
});
