/**
 * One line that tells the deployer how `pulumi up` (and the nightly `clusterkit drift`) reaches an
 * EKS cluster's API and as whom. The endpoint is private by default, so a deploy from a laptop or a
 * hosted CI runner hangs at the first in-cluster install unless one of these is arranged;
 * `validate` and `plan` print this before anything is deployed.
 */
import type { ClusterSpec } from "../../spec";

export function eksApiAccessNote(spec: ClusterSpec): string | null {
  const ep = spec.controlPlane.endpoint;
  if (spec.platform.kind !== "eks" || ep.kind !== "eks-managed") return null;
  const routes: string[] = [];
  if (ep.privateAccess) {
    const extra = ep.privateAccessCidrs.length ? ` or from ${ep.privateAccessCidrs.join(", ")} (apiPrivateAccessCidrs, port 443)` : "";
    routes.push(`the private endpoint, from inside the VPC ${spec.networking.nodeCidr}${extra}`);
  }
  if (ep.publicAccess) routes.push(`the public endpoint, from ${ep.publicAccessCidrs.join(", ")} only`);
  const others = spec.platform.access.length;
  const who = `as the AWS identity that creates the cluster (it becomes admin)${others ? ` or one of the ${others} principal(s) in platform.access` : ""}`;
  const hint =
    ep.privateAccess && !ep.publicAccess && ep.privateAccessCidrs.length === 0
      ? "; to deploy from a network routed into the VPC set apiPrivateAccessCidrs, from a public address apiAccessCidrs"
      : "";
  return `pulumi up and clusterkit drift reach the API through ${routes.join(", or ")}, ${who}${hint}`;
}
