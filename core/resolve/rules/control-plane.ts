/** Control-plane count and API endpoint, checked against the platform. */
import type { EndpointSpec } from "../../spec";
import { fail, fieldAt, variableAt, type RuleContext } from "../context";
import { resolveEksApiAccess } from "./eks-api-access";

export function resolveControlPlane(ctx: RuleContext, firstControlPlaneAddress: string | null): { count: number; endpoint: EndpointSpec } | null {
  const { controlPlane, platform } = ctx.blueprint;
  const ep = controlPlane.endpoint;
  let ok = true;

  if (platform.kind === "eks") {
    if (controlPlane.count !== undefined) {
      fail(ctx, fieldAt(ctx, ["controlPlane", "count"]), "EKS runs its own control plane; remove the count", { found: String(controlPlane.count) });
      ok = false;
    }
    for (const c of ["controllerManager", "scheduler", "etcd"] as const) {
      if (Object.keys(controlPlane.extraArgs[c]).length) {
        fail(ctx, fieldAt(ctx, ["controlPlane", "extraArgs", c]), "EKS runs its own control plane; its component flags cannot be set", { hint: "remove controlPlane.extraArgs from this blueprint" });
        ok = false;
      }
    }
    if (controlPlane.certSANs.length) {
      fail(ctx, fieldAt(ctx, ["controlPlane", "certSANs"]), "EKS issues the API server's certificate itself; its names cannot be set", { found: JSON.stringify(controlPlane.certSANs), hint: "remove controlPlane.certSANs from this blueprint" });
      ok = false;
    }
    if (ep.kind !== "eks-managed") {
      fail(ctx, fieldAt(ctx, ["controlPlane", "endpoint", "kind"]), "EKS clusters use the managed endpoint", { expected: '"eks-managed"', found: JSON.stringify(ep.kind) });
      return null;
    }
    if (ep.publicAccess && ep.publicAccessCidrs.length === 0) {
      fail(ctx, fieldAt(ctx, ["controlPlane", "endpoint", "publicAccessCidrs"]), "a public endpoint needs an explicit CIDR allow-list", {
        hint: "list the networks that may reach the API, e.g. [203.0.113.0/24]; 0.0.0.0/0 must be written out to be allowed",
      });
      ok = false;
    }
    if (!ep.privateAccess && !ep.publicAccess) {
      fail(ctx, fieldAt(ctx, ["controlPlane", "endpoint"]), "the endpoint must be reachable: enable privateAccess, publicAccess or both");
      ok = false;
    }
    const endpoint = resolveEksApiAccess(ctx, ep);
    return ok && endpoint ? { count: 0, endpoint } : null;
  }

  const count = controlPlane.count;
  const countAt = fieldAt(ctx, ["controlPlane", "count"]);
  if (count === undefined) {
    fail(ctx, countAt, "is required on kubeadm platforms", { expected: "1, 3 or 5", found: "nothing" });
    ok = false;
  } else if (count % 2 === 0) {
    fail(ctx, countAt, "must be odd so etcd keeps a quorum (an even count tolerates no more failures than the odd count below it)", {
      expected: "1, 3 or 5",
      found: String(count),
    });
    ok = false;
  } else if (count > 5) {
    fail(ctx, countAt, "more than 5 etcd members slows every write and adds no useful fault tolerance", { expected: "1, 3 or 5", found: String(count) });
    ok = false;
  }

  const kindAt = fieldAt(ctx, ["controlPlane", "endpoint", "kind"]);
  switch (ep.kind) {
    case "eks-managed":
      fail(ctx, kindAt, `the managed endpoint exists only on EKS, not on ${platform.kind}`, { expected: '"kube-vip" | "external-lb" | "first-node"', found: '"eks-managed"' });
      return null;
    case "kube-vip": {
      const vip = ctx.variables.controlPlaneVip as string | undefined;
      if (!vip) {
        fail(ctx, variableAt(ctx, "controlPlaneVip"), "endpoint kind kube-vip needs the virtual IP of the API server", { expected: "ipv4", found: "nothing" });
        return null;
      }
      return ok ? { count: count!, endpoint: { kind: "kube-vip", host: vip, port: ep.port, interface: ep.interface ?? null } } : null;
    }
    case "external-lb": {
      const host = ctx.variables.controlPlaneEndpoint as string | undefined;
      if (!host) {
        fail(ctx, variableAt(ctx, "controlPlaneEndpoint"), "endpoint kind external-lb needs your load balancer's host name or IP", { expected: "string", found: "nothing" });
        return null;
      }
      return ok ? { count: count!, endpoint: { kind: "external-lb", host, port: ep.port } } : null;
    }
    case "first-node":
      if (count !== undefined && count !== 1) {
        fail(ctx, kindAt, "first-node only works with a single control plane; with more, a node failure takes the endpoint down", {
          expected: '"kube-vip" | "external-lb"',
          found: '"first-node"',
        });
        return null;
      }
      return ok ? { count: 1, endpoint: { kind: "first-node", host: firstControlPlaneAddress, port: ep.port } } : null;
  }
}
