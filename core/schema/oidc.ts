/** OIDC sign-in: the API server trusts the issuer, and groups are bound to cluster roles. */
import { z } from "zod";

export const oidcSchema = z.strictObject({
  issuerUrl: z.url(),
  clientId: z.string().min(1),
  usernameClaim: z.string().default("email"),
  groupsClaim: z.string().default("groups"),
  /** Prefixes keep OIDC identities from colliding with built-in users and groups such as system:masters. */
  usernamePrefix: z.string().default("oidc:"),
  groupsPrefix: z.string().default("oidc:"),
  /** Extra `scope` values the kubectl oidc-login plugin asks for. */
  extraScopes: z.array(z.string()).default(["email", "groups"]),
  bindings: z
    .array(z.strictObject({ group: z.string().min(1), clusterRole: z.string().min(1) }))
    .default([]),
});
export type Oidc = z.output<typeof oidcSchema>;
