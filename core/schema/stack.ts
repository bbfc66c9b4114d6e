/**
 * A stack file, `stacks/Pulumi.<stack>.yaml`: standard Pulumi stack config. clusterkit's keys live
 * under the `clusterkit:` namespace; other namespaces (aws:, kubernetes:, …) pass through untouched.
 */
import { z } from "zod";

/** A `secure:` value as `pulumi config set --secret` writes it. */
export const secureValue = z.strictObject({ secure: z.string().min(1) });

/** Config keys that may only ever hold secrets, with what they are for. */
export const secretConfigKeys = {
  sshPrivateKey: "SSH private key clusterkit logs in to hosts with (bare metal, vSphere)",
  vspherePassword: "vCenter password (vSphere)",
  oidcClientSecret: "OIDC client secret, for the kubeconfig handed to OIDC users (optional)",
  cephUserKey: "key of the Ceph client the ceph-rbd storage classes authenticate as",
  backupKey: "key the etcd backup bundles of `clusterkit etcd snapshot` are sealed with (bare metal, vSphere; at least 32 characters)",
} as const;
export type SecretConfigKey = keyof typeof secretConfigKeys;

export const clusterkitConfigSchema = z.strictObject({
  blueprint: z.string().regex(/^[a-z0-9][-a-z0-9]*$/, "must be the name of a file in blueprints/ without .yaml"),
  /** AWS region on EKS (e.g. us-east-1); a site name on vSphere and bare metal (e.g. fra1). */
  region: z.string().regex(/^[a-z0-9][-a-z0-9]*$/, "must be lower-case letters, digits and '-'"),
  /** Name of the cluster; defaults to the stack name. */
  clusterName: z.string().optional(),
  variables: z.record(z.string(), z.unknown()).default({}),
  /** Deep-merged over the blueprint (objects merge, lists replace), then validated like the blueprint. */
  overrides: z.record(z.string(), z.unknown()).default({}),
  sshPrivateKey: secureValue.optional(),
  vspherePassword: secureValue.optional(),
  oidcClientSecret: secureValue.optional(),
  cephUserKey: secureValue.optional(),
  backupKey: secureValue.optional(),
  /** Written by `clusterkit clone-region`: the source stack and the sha256 of the blueprint file then. */
  clonedFrom: z
    .strictObject({
      stack: z.string().min(1),
      blueprintSha256: z.string().regex(/^[0-9a-f]{64}$/, "must be a lower-case hex sha256"),
    })
    .optional(),
});
export type ClusterkitConfig = z.output<typeof clusterkitConfigSchema>;

/** The file as a whole. `config` is checked key by key in core/load/stack-file.ts. */
export const stackFileSchema = z.strictObject({
  secretsprovider: z.string().optional(),
  encryptedkey: z.string().optional(),
  encryptionsalt: z.string().optional(),
  environment: z.unknown().optional(),
  config: z.record(z.string(), z.unknown()),
});
