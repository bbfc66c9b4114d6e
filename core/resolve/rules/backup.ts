/**
 * Scheduled etcd snapshots: only where clusterkit runs etcd (kubeadm platforms), and only with the
 * stack's backup key set, since the control planes seal their bundles with a key derived from it.
 */
import type { ClusterSpec } from "../../spec";
import { fail, fieldAt, type RuleContext } from "../context";

export function resolveBackup(ctx: RuleContext): ClusterSpec["backup"] {
  const schedule = ctx.blueprint.backup.etcd.schedule;
  if (schedule.kind !== "none" && ctx.blueprint.platform.kind === "eks") {
    fail(ctx, fieldAt(ctx, ["backup", "etcd", "schedule", "kind"]), "EKS runs etcd for you: there is no etcd to snapshot on a schedule", {
      expected: "none",
      found: schedule.kind,
      hint: "remove backup.etcd.schedule; back up Kubernetes objects with a tool such as Velero",
    });
  }
  return { etcd: { schedule } };
}
