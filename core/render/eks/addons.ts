/**
 * Which EKS managed add-ons a cluster gets, at which pinned version, with which IRSA role, and
 * when. The networking add-ons go in before the nodes so nodes come up Ready; CoreDNS and the EBS
 * CSI driver need nodes to run on, so they follow the node groups.
 */
import type { EksClusterArgs } from "./args";
import { addonVersion, type ManagedAddonName } from "./addon-versions";
import type { IrsaRoleSpec } from "./irsa";

export interface ManagedAddonPlan {
  name: ManagedAddonName;
  version: string;
  /** The IRSA role its service account uses, if any. */
  irsa: IrsaRoleSpec["key"] | null;
  phase: "before-nodes" | "after-nodes";
}

export function managedAddons(args: Pick<EksClusterArgs, "version" | "addons">): ManagedAddonPlan[] {
  const plan: ManagedAddonPlan[] = [];
  const add = (name: ManagedAddonName, irsa: ManagedAddonPlan["irsa"], phase: ManagedAddonPlan["phase"]) =>
    plan.push({ name, version: addonVersion(args.version, name), irsa, phase });
  if (args.addons.vpcCni) add("vpc-cni", "vpc-cni", "before-nodes");
  if (args.addons.kubeProxy) add("kube-proxy", null, "before-nodes");
  add("coredns", null, "after-nodes");
  add("aws-ebs-csi-driver", "ebs-csi", "after-nodes");
  return plan;
}
