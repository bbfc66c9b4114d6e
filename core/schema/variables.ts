/**
 * ClusterClass-style region variables. A blueprint declares them (name, type, required or default,
 * description); every stack fills them in. The platforms read well-known ones (see
 * core/resolve/platform-variables.ts); any others become tags on the cluster's resources.
 */
import { z } from "zod";
import { cidr4, dnsLabel, ipv4, labels, sshFingerprint } from "./primitives";

export const hostSchema = z.strictObject({
  name: dnsLabel,
  /** Address clusterkit connects to over SSH, and the node's InternalIP. */
  address: ipv4,
  role: z.enum(["control-plane", "worker"]),
  /** Worker pool the host belongs to; must name a pool in the blueprint's nodePools. */
  pool: dnsLabel.optional(),
  sshUser: z.string().min(1).default("root"),
  sshPort: z.number().int().min(1).max(65535).default(22),
  /** Pinned host key. Without it, the host is refused unless trustOnFirstUse is set. */
  hostKey: sshFingerprint.optional(),
  labels: labels.default({}),
});
export type HostInput = z.output<typeof hostSchema>;

export const bastionSchema = z.strictObject({
  address: z.string().min(1),
  port: z.number().int().min(1).max(65535).default(22),
  user: z.string().min(1),
  hostKey: sshFingerprint,
});

/** The value schema for each variable type. Adding a type here makes it available to blueprints. */
export const variableTypes = {
  string: z.string(),
  integer: z.number().int(),
  boolean: z.boolean(),
  cidr: cidr4,
  ipv4: ipv4,
  "string-list": z.array(z.string().min(1)),
  "ipv4-list": z.array(ipv4),
  hosts: z.array(hostSchema).min(1),
  bastion: bastionSchema,
} as const;
export type VariableType = keyof typeof variableTypes;
export const variableTypeNames = Object.keys(variableTypes) as VariableType[];

export const variableDeclarationSchema = z.strictObject({
  name: z.string().regex(/^[a-z][A-Za-z0-9]*$/, "must be camelCase, starting with a lower-case letter"),
  type: z.enum(variableTypeNames as [VariableType, ...VariableType[]]),
  required: z.boolean().default(false),
  default: z.unknown().optional(),
  description: z.string().min(1),
});
export type VariableDeclaration = z.output<typeof variableDeclarationSchema>;
