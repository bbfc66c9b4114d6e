/** Storage classes, each a discriminated union on the provisioner `kind`. Exactly one is the default. */
import { z } from "zod";

const classCommon = {
  default: z.boolean().default(false),
  reclaimPolicy: z.enum(["Delete", "Retain"]).default("Delete"),
  allowVolumeExpansion: z.boolean().default(true),
};

export const ebsClass = z.strictObject({
  kind: z.literal("ebs"),
  ...classCommon,
  volumeType: z.enum(["gp3", "io2"]).default("gp3"),
  iops: z.number().int().positive().optional(),
  throughputMiBps: z.number().int().positive().optional(),
  /** Always true unless set otherwise; unencrypted EBS is a CIS finding. */
  encrypted: z.boolean().default(true),
});

export const efsClass = z.strictObject({ kind: z.literal("efs"), ...classCommon, fileSystemId: z.string().optional() });

export const vsphereClass = z.strictObject({
  kind: z.literal("vsphere"),
  ...classCommon,
  /** vCenter storage policy (SPBM) the class provisions into. */
  storagePolicy: z.string().min(1),
  fsType: z.enum(["ext4", "xfs"]).default("ext4"),
});

export const localPathClass = z.strictObject({
  kind: z.literal("local-path"),
  ...classCommon,
  path: z.string().startsWith("/").default("/opt/local-path-provisioner"),
});

export const cephRbdClass = z.strictObject({
  kind: z.literal("ceph-rbd"),
  ...classCommon,
  clusterId: z.string().min(1),
  pool: z.string().min(1),
  monitors: z.array(z.string().min(1)).min(1),
});

export const storageClassSchema = z.discriminatedUnion("kind", [ebsClass, efsClass, vsphereClass, localPathClass, cephRbdClass]);
export type StorageClassInput = z.output<typeof storageClassSchema>;
export const storageKinds = ["ebs", "efs", "vsphere", "local-path", "ceph-rbd"] as const;
export type StorageKind = (typeof storageKinds)[number];
