/**
 * Rolling OS patches: only where clusterkit manages the machines over SSH (kubeadm platforms). On
 * EKS the managed node groups take OS updates as new AMI releases, rolled by EKS itself.
 */
import type { ClusterSpec } from "../../spec";
import { fail, fieldAt, type RuleContext } from "../context";

export function resolveOsPatches(ctx: RuleContext): ClusterSpec["osPatches"] {
  const p = ctx.blueprint.osPatches;
  if (p.kind !== "none" && ctx.blueprint.platform.kind === "eks") {
    fail(ctx, fieldAt(ctx, ["osPatches", "kind"]), "EKS managed node groups are patched by new AMI releases, not in place over SSH", {
      expected: "none",
      found: p.kind,
      hint: "remove osPatches; an EKS node group rolls onto a new AMI release when its release version changes",
    });
  }
  return p;
}
