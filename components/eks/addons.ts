/**
 * EKS managed add-ons at pinned versions. The networking ones are created before the nodes so
 * nodes come up Ready; CoreDNS and the EBS CSI driver wait for nodes to run on. Each depends on the
 * cluster outright: on an upgrade they move to the new minor's pins only once the control plane
 * has (EKS refuses add-on updates while the cluster updates).
 */
import * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";
import type { ManagedAddonPlan } from "../../core/render/eks/addons";
import { addonTimeouts } from "../../core/render/eks/timeouts";
import { named, type EksBuildContext } from "./context";
import type { Irsa } from "./irsa";

export function createAddon(ctx: EksBuildContext, cluster: aws.eks.Cluster, plan: ManagedAddonPlan, irsa: Irsa, dependsOn: pulumi.Resource[]): aws.eks.Addon {
  const role = plan.irsa ? irsa.roles[plan.irsa] : undefined;
  if (plan.irsa && !role) throw new Error(`add-on ${plan.name} needs IRSA role ${plan.irsa}, which was not created`);
  const name = `${ctx.name}-${plan.name}`;
  return new aws.eks.Addon(
    name,
    {
      clusterName: cluster.name,
      addonName: plan.name,
      addonVersion: plan.version,
      ...(role ? { serviceAccountRoleArn: role.role.arn } : {}),
      // The add-on's settings are ours: take over whatever is there, and undo drift on update.
      resolveConflictsOnCreate: "OVERWRITE",
      resolveConflictsOnUpdate: "OVERWRITE",
      tags: named(ctx, name),
    },
    ctx.opts({ dependsOn: [cluster, ...dependsOn, ...(role?.attachments ?? [])], customTimeouts: addonTimeouts }),
  );
}
