/**
 * How the deployer reaches an EKS cluster's API. The endpoint is private by default; two stack
 * variables say who else gets in, so nobody has to edit the blueprint or open the endpoint by hand:
 *
 * - `apiAccessCidrs`: opens the public endpoint to these public addresses only (private access
 *   stays on, so nodes keep using it);
 * - `apiPrivateAccessCidrs`: networks routed into the VPC (VPN, peering, a CI runner subnet) that
 *   may reach the private endpoint on 443, through a rule on the cluster security group.
 */
import { cidr4 } from "../../schema/primitives";
import type { EndpointSpec } from "../../spec";
import { contains, prefixLength } from "../cidr";
import { fail, fieldAt, variableAt, type RuleContext } from "../context";

type EksEndpoint = Extract<EndpointSpec, { kind: "eks-managed" }>;

/** Source addresses the public endpoint can never see. */
const nonPublic = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16"];

/** Checks each entry of a CIDR-list variable; returns the list when every entry is usable. */
function cidrList(ctx: RuleContext, name: string, extra: (cidr: string, i: number) => boolean): string[] | null {
  const list = (ctx.variables[name] as string[] | undefined) ?? [];
  let ok = true;
  list.forEach((c, i) => {
    if (!cidr4.safeParse(c).success) {
      fail(ctx, variableAt(ctx, name, [i]), "is not a CIDR", { expected: "an IPv4 network such as 203.0.113.10/32", found: JSON.stringify(c) });
      ok = false;
    } else if (!extra(c, i)) ok = false;
  });
  if (new Set(list).size !== list.length) {
    fail(ctx, variableAt(ctx, name), "lists a network twice");
    ok = false;
  }
  return ok ? list : null;
}

export function resolveEksApiAccess(ctx: RuleContext, ep: Omit<EksEndpoint, "privateAccessCidrs">): EksEndpoint | null {
  const publicCidrs = cidrList(ctx, "apiAccessCidrs", (c, i) => {
    const at = variableAt(ctx, "apiAccessCidrs", [i]);
    if (prefixLength(c) === 0) {
      fail(ctx, at, "opens the API to the whole internet", {
        found: c,
        hint: "list the public addresses that deploy (your office, a NAT gateway); if the API really must be open to everyone, write controlPlane.endpoint: {publicAccess: true, publicAccessCidrs: [0.0.0.0/0]} in clusterkit:overrides",
      });
      return false;
    }
    if (nonPublic.some((r) => contains(r, c))) {
      fail(ctx, at, "is a private network: the public endpoint never sees these source addresses", {
        found: c,
        hint: "networks routed into the VPC reach the private endpoint; list them in apiPrivateAccessCidrs instead",
      });
      return false;
    }
    return true;
  });
  const privateCidrs = cidrList(ctx, "apiPrivateAccessCidrs", (c, i) => {
    if (prefixLength(c) !== 0) return true;
    fail(ctx, variableAt(ctx, "apiPrivateAccessCidrs", [i]), "allows every address to the private endpoint", { found: c, hint: "list the networks that deploy: your VPN range, the CI runners' subnet" });
    return false;
  });
  if (!publicCidrs || !privateCidrs) return null;

  if (publicCidrs.length && ep.publicAccess) {
    const where = fieldAt(ctx, ["controlPlane", "endpoint", "publicAccess"]);
    fail(ctx, variableAt(ctx, "apiAccessCidrs"), `${where.file}: ${where.path} already opens the public endpoint; set the allow-list in one place`, {
      hint: "remove apiAccessCidrs, or remove publicAccess/publicAccessCidrs from the endpoint",
    });
    return null;
  }
  if (privateCidrs.length && !ep.privateAccess) {
    fail(ctx, variableAt(ctx, "apiPrivateAccessCidrs"), "the private endpoint is turned off (controlPlane.endpoint.privateAccess: false), so these networks would reach nothing");
    return null;
  }
  const publicAccess = ep.publicAccess || publicCidrs.length > 0;
  return { ...ep, publicAccess, publicAccessCidrs: ep.publicAccess ? ep.publicAccessCidrs : publicCidrs, privateAccessCidrs: privateCidrs };
}
