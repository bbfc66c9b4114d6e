/**
 * Managed node group and launch template settings as data: the AMI type for the pool's
 * architecture, taints in the EKS API's spelling, IMDSv2 with a hop limit, and encrypted gp3
 * volumes laid out the way each OS expects.
 */
import type { Taint } from "../../spec";
import type { EksNodeGroupArgs } from "./args";
import { architectureOf } from "./instance-types";

export function amiType(group: Pick<EksNodeGroupArgs, "amiFamily" | "instanceTypes">): string {
  const arches = new Set(group.instanceTypes.map(architectureOf));
  if (arches.size !== 1) throw new Error(`node group mixes architectures: ${group.instanceTypes.join(", ")}`);
  const arm = arches.has("arm64");
  return group.amiFamily === "bottlerocket" ? (arm ? "BOTTLEROCKET_ARM_64" : "BOTTLEROCKET_x86_64") : arm ? "AL2023_ARM_64_STANDARD" : "AL2023_x86_64_STANDARD";
}

const effects: Record<Taint["effect"], string> = { NoSchedule: "NO_SCHEDULE", NoExecute: "NO_EXECUTE", PreferNoSchedule: "PREFER_NO_SCHEDULE" };

export function eksTaints(taints: Taint[]): { key: string; value?: string; effect: string }[] {
  return taints.map((t) => ({ key: t.key, ...(t.value !== undefined ? { value: t.value } : {}), effect: effects[t.effect] }));
}

/** IMDSv2 only. A hop limit of 1 stops containers (one hop further) from reaching the node role. */
export function metadataOptions(hopLimit: 1 | 2): { httpEndpoint: string; httpTokens: string; httpPutResponseHopLimit: number; instanceMetadataTags: string } {
  return { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: hopLimit, instanceMetadataTags: "disabled" };
}

export interface BlockDevice {
  deviceName: string;
  ebs: { volumeType: "gp3"; encrypted: "true"; deleteOnTermination: "true"; volumeSize?: number };
}

/**
 * AL2023 boots and stores images on /dev/xvda. Bottlerocket keeps its OS on /dev/xvda (sized by
 * the AMI) and images and pod data on /dev/xvdb, so the pool's disk size goes there. Both are
 * encrypted with the account's EBS key.
 */
export function blockDevices(group: Pick<EksNodeGroupArgs, "amiFamily" | "diskGiB">): BlockDevice[] {
  const ebs = { volumeType: "gp3", encrypted: "true", deleteOnTermination: "true" } as const;
  if (group.amiFamily === "bottlerocket") {
    return [
      { deviceName: "/dev/xvda", ebs: { ...ebs } },
      { deviceName: "/dev/xvdb", ebs: { ...ebs, volumeSize: group.diskGiB } },
    ];
  }
  return [{ deviceName: "/dev/xvda", ebs: { ...ebs, volumeSize: group.diskGiB } }];
}

/** Resources the launch template tags at launch, so instances and their disks carry the cluster tags. */
export const launchTagResourceTypes = ["instance", "volume"] as const;
