/**
 * EKS access entries: which IAM principals, besides the identity that created the cluster, may use
 * the Kubernetes API, with which EKS access policy, over the whole cluster or some namespaces.
 * Account IDs differ per stack, so stacks usually set this list with
 * `clusterkit:overrides.platform.access` (a list there replaces the blueprint's).
 */
import { z } from "zod";
import { dnsLabel } from "./primitives";

/** EKS access policies by the Kubernetes user-facing role each resembles (EKS User Guide, "access policy permissions"). */
export const eksAccessPolicies = {
  "cluster-admin": "AmazonEKSClusterAdminPolicy",
  admin: "AmazonEKSAdminPolicy",
  edit: "AmazonEKSEditPolicy",
  view: "AmazonEKSViewPolicy",
  /** view, plus reading Secrets: what a preview-only refresh of Helm releases needs. */
  "admin-view": "AmazonEKSAdminViewPolicy",
} as const;
export type EksAccessPolicy = keyof typeof eksAccessPolicies;

const accessScope = z.discriminatedUnion("kind", [
  z.strictObject({ kind: z.literal("cluster") }),
  z.strictObject({ kind: z.literal("namespaces"), namespaces: z.array(dnsLabel).min(1, "list at least one namespace") }),
]);

export const eksAccessEntrySchema = z.strictObject({
  /** An IAM role or user; a role session (arn:aws:sts::…:assumed-role/…) cannot hold an access entry. */
  principalArn: z
    .string()
    .regex(/^arn:aws[a-z-]*:iam::\d{12}:(role|user)\/[\w+=,.@/-]+$/, "must be the ARN of an IAM role or user, e.g. arn:aws:iam::111122223333:role/ci (not an assumed-role session)"),
  policy: z.enum(Object.keys(eksAccessPolicies) as [EksAccessPolicy, ...EksAccessPolicy[]]),
  scope: accessScope.default({ kind: "cluster" }),
});
export type EksAccessEntry = z.output<typeof eksAccessEntrySchema>;
