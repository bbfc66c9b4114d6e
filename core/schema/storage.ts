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

export const efsClass = z.strictObject({
  kind: z.literal("efs"),
  ...classCommon,
  /** An existing EFS file system; each volume becomes an access point in it. */
  fileSystemId: z.string().regex(/^fs-[0-9a-f]{8,17}$/, "must be an EFS file system ID such as fs-0123456789abcdef0"),
});

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
  /** local-path-provisioner cannot grow a volume, so expansion is off and may not be turned on. */
  allowVolumeExpansion: z.boolean().default(false),
  path: z.string().startsWith("/").default("/opt/local-path-provisioner"),
});

export const cephRbdClass = z.strictObject({
  kind: z.literal("ceph-rbd"),
  ...classCommon,
  clusterId: z.string().min(1),
  pool: z.string().min(1),
  monitors: z.array(z.string().min(1)).min(1),
  /** Ceph client the driver authenticates as; its key is the secret clusterkit:cephUserKey. */
  userId: z.string().regex(/^[A-Za-z0-9._-]+$/, "must be a Ceph client name without the 'client.' prefix").default("kubernetes"),
  fsType: z.enum(["ext4", "xfs"]).default("ext4"),
});

export const storageClassSchema = z.discriminatedUnion("kind", [ebsClass, efsClass, vsphereClass, localPathClass, cephRbdClass]);
export type StorageClassInput = z.output<typeof storageClassSchema>;
export const storageKinds = ["ebs", "efs", "vsphere", "local-path", "ceph-rbd"] as const;
export type StorageKind = (typeof storageKinds)[number];
