/**
 * EKS access entries as the EKS API spells them: the principal, the access policy's ARN in the
 * cluster's partition and its scope. The creator's own admin entry is EKS's doing
 * (bootstrapClusterCreatorAdminPermissions) and is not listed here.
 */
import { createHash } from "node:crypto";
import { eksAccessPolicies, type EksAccessEntry } from "../../schema/eks-access";
import type { Partition } from "./partition";

export interface EksAccessEntryArgs {
  principalArn: string;
  policyArn: string;
  scope: { type: "cluster" } | { type: "namespace"; namespaces: string[] };
}

export function accessPolicyArn(partition: Partition, policy: EksAccessEntry["policy"]): string {
  return `arn:${partition}:eks::aws:cluster-access-policy/${eksAccessPolicies[policy]}`;
}

export function accessEntryArgs(partition: Partition, entries: EksAccessEntry[]): EksAccessEntryArgs[] {
  return entries.map((e) => ({
    principalArn: e.principalArn,
    policyArn: accessPolicyArn(partition, e.policy),
    scope: e.scope.kind === "cluster" ? { type: "cluster" } : { type: "namespace", namespaces: e.scope.namespaces },
  }));
}

/**
 * A stable resource-name suffix per principal, independent of list order (reordering the list must
 * not recreate entries): its kind and name, plus a short hash of the whole ARN so that names which
 * differ only in punctuation or account stay apart (role/ci in 111… → role-ci-3f2a9c).
 */
export function principalSlug(principalArn: string): string {
  const readable = principalArn.split(":").slice(5).join(":").replace(/[^A-Za-z0-9-]+/g, "-").replace(/^-|-$/g, "").toLowerCase();
  return `${readable}-${createHash("sha256").update(principalArn).digest("hex").slice(0, 6)}`;
}
