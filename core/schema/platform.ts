/** Platform choice: a discriminated union on `kind`. Only platform-only settings live here. */
import { z } from "zod";
import { eksAccessEntrySchema } from "./eks-access";

/** How hosts get Kubernetes packages: pkgs.k8s.io, or a mirror for air-gapped sites. */
const packageSource = z
  .strictObject({
    /** Base URL that mirrors https://pkgs.k8s.io/core:/stable:/ (the `v1.NN/deb` or `v1.NN/rpm` layout). */
    mirror: z.url().optional(),
    /** Base URL that mirrors https://download.docker.com/linux, where RHEL-family hosts get containerd.io (Debian/Ubuntu use the OS's containerd). */
    containerdMirror: z.url().optional(),
    httpProxy: z.url().optional(),
    httpsProxy: z.url().optional(),
    noProxy: z.array(z.string()).default([]),
  })
  .default({ noProxy: [] });

export const baremetalPlatform = z.strictObject({
  kind: z.literal("baremetal"),
  packages: packageSource,
  /** Accept unknown host keys and print their fingerprints to pin. Off: pinning is the default. */
  trustOnFirstUse: z.boolean().default(false),
  /** Hosts bootstrapped at once. */
  concurrency: z.number().int().min(1).max(64).default(10),
});

export const vspherePlatform = z.strictObject({
  kind: z.literal("vsphere"),
  packages: packageSource,
  /** OS family of the template; decides the cloud-init network format (netplan or NetworkManager). */
  templateOs: z.enum(["ubuntu", "rhel"]).default("ubuntu"),
  linkedClone: z.boolean().default(false),
  concurrency: z.number().int().min(1).max(64).default(10),
});

export const eksPlatform = z.strictObject({
  kind: z.literal("eks"),
  /** NAT gateways: one per AZ (resilient) or a single one (cheaper). */
  natGateways: z.enum(["one-per-az", "single"]).default("one-per-az"),
  /** Give a KMS key ARN to use an existing key for secrets encryption; otherwise one is created. */
  kmsKeyArn: z.string().regex(/^arn:aws[a-z-]*:kms:/, "must be a KMS key ARN").optional(),
  logTypes: z
    .array(z.enum(["api", "audit", "authenticator", "controllerManager", "scheduler"]))
    .default(["api", "audit", "authenticator", "controllerManager", "scheduler"]),
  /** IMDSv2 hop limit on nodes: 1 blocks pods from the node role; 2 is needed by pods that use IMDS. */
  imdsHopLimit: z.union([z.literal(1), z.literal(2)]).default(1),
  /** More principals with access to the Kubernetes API (the creator is admin regardless). */
  access: z.array(eksAccessEntrySchema).default([]),
  /**
   * What AWS does when the cluster's Kubernetes minor leaves standard support (the cluster's
   * `upgradePolicy.supportType`): `extended` keeps it on that minor, at extended-support cost;
   * `standard` lets AWS upgrade the control plane to the next minor on its own.
   */
  supportType: z.enum(["extended", "standard"]).default("extended"),
});

export const platformSchema = z.discriminatedUnion("kind", [baremetalPlatform, vspherePlatform, eksPlatform]);
export type Platform = z.output<typeof platformSchema>;
export type PlatformKind = Platform["kind"];
export const platformKinds: PlatformKind[] = ["baremetal", "vsphere", "eks"];
