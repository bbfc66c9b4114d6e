/** Network ranges: resolution, and every overlap and containment rule within one stack. */
import type { ClusterSpec, NodeSpec } from "../../spec";
import { contains, ipInRange, nthAddress, overlaps, poolBounds, prefixLength } from "../cidr";
import { fail, fieldAt, variableAt, type RuleContext } from "../context";

type Networking = ClusterSpec["networking"];

/** Where each of the stack's ranges was set, for messages that span stacks. */
export function rangeOrigins(ctx: RuleContext): Record<"node" | "pod" | "service", { file: string; path: string }> {
  const v = ctx.variables;
  const source = (name: "podCidr" | "serviceCidr") => (v[name] !== undefined ? variableAt(ctx, name) : fieldAt(ctx, ["networking", name]));
  return { node: variableAt(ctx, ctx.blueprint.platform.kind === "eks" ? "vpcCidr" : "nodeCidr"), pod: source("podCidr"), service: source("serviceCidr") };
}

export function resolveNetworking(ctx: RuleContext): Networking | null {
  const kind = ctx.blueprint.platform.kind;
  const v = ctx.variables;
  const net = ctx.blueprint.networking;
  const origin = rangeOrigins(ctx);

  const nodeVar = kind === "eks" ? "vpcCidr" : "nodeCidr";
  const nodeCidr = v[nodeVar] as string | undefined;
  const serviceCidr = (v.serviceCidr as string | undefined) ?? net.serviceCidr;
  const podCidr = kind === "eks" ? null : ((v.podCidr as string | undefined) ?? net.podCidr ?? null);

  if (!serviceCidr) fail(ctx, variableAt(ctx, "serviceCidr"), "a service CIDR is needed: set networking.serviceCidr in the blueprint or this variable", { expected: "cidr", found: "nothing" });
  if (kind !== "eks" && !podCidr) fail(ctx, variableAt(ctx, "podCidr"), "a pod CIDR is needed: set networking.podCidr in the blueprint or this variable", { expected: "cidr", found: "nothing" });
  if (kind === "eks" && net.podCidr) fail(ctx, fieldAt(ctx, ["networking", "podCidr"]), "EKS pods take VPC addresses; remove podCidr");
  const cni = ctx.blueprint.cni;
  const proxyReplaced = cni.kind === "cilium" && cni.kubeProxyReplacement === true;
  if (net.kubeProxyMode && kind === "eks") {
    fail(ctx, fieldAt(ctx, ["networking", "kubeProxyMode"]), "on EKS, kube-proxy is EKS's managed add-on, which clusterkit does not configure", { found: net.kubeProxyMode, hint: "remove networking.kubeProxyMode; it applies to bare metal and vSphere" });
  }
  if (net.kubeProxyMode && proxyReplaced) {
    fail(ctx, fieldAt(ctx, ["networking", "kubeProxyMode"]), "Cilium replaces kube-proxy in this blueprint (cni.kubeProxyReplacement), so there is no kube-proxy to configure", { found: net.kubeProxyMode, hint: "remove networking.kubeProxyMode" });
  }
  if (!nodeCidr || !serviceCidr || (kind !== "eks" && !podCidr)) return null;

  let ok = true;
  if (prefixLength(serviceCidr) < 12) {
    fail(ctx, origin.service, "the API server accepts at most a /12 service range", { expected: "/12 or smaller", found: serviceCidr });
    ok = false;
  }
  if (kind === "eks" && (prefixLength(nodeCidr) < 16 || prefixLength(nodeCidr) > 24)) {
    fail(ctx, variableAt(ctx, "vpcCidr"), "AWS VPCs are between /16 and /24 (and clusterkit needs room for two subnets per AZ)", { expected: "/16../24", found: nodeCidr });
    ok = false;
  }
  const ranges: [string, string, { file: string; path: string }][] = [
    ["node", nodeCidr, origin.node],
    ["service", serviceCidr, origin.service],
  ];
  if (podCidr) ranges.push(["pod", podCidr, origin.pod]);
  for (let i = 0; i < ranges.length; i++) {
    for (let j = i + 1; j < ranges.length; j++) {
      const [an, a] = ranges[i];
      const [bn, b, bAt] = ranges[j];
      if (overlaps(a, b)) {
        fail(ctx, bAt, `the ${bn} range overlaps the ${an} range ${a}`, { found: b, hint: "pod, service and node ranges must be disjoint, or packets are routed to the wrong place" });
        ok = false;
      }
    }
  }
  if (!ok) return null;
  return {
    podCidr,
    serviceCidr,
    nodeCidr,
    dnsDomain: net.dnsDomain,
    clusterDnsIp: nthAddress(serviceCidr, 10),
    apiServerServiceIp: nthAddress(serviceCidr, 1),
    kubeProxyMode: kind === "eks" || proxyReplaced ? null : (net.kubeProxyMode ?? "iptables"),
  };
}

/** Node, VIP and ingress-pool addresses must sit inside the node network and not collide. */
export function checkAddresses(ctx: RuleContext, net: Networking, nodes: NodeSpec[]): void {
  // Nodes are ordered control planes first; point at the entry the user wrote, in their order.
  const hostIndex = new Map(((ctx.variables.hosts as { name: string }[] | undefined) ?? []).map((h, i) => [h.name, i]));
  const where = (i: number) =>
    ctx.blueprint.platform.kind === "baremetal" ? variableAt(ctx, "hosts", [hostIndex.get(nodes[i].name) ?? i, "address"]) : variableAt(ctx, "nodeIps", [i]);
  const taken = new Map<string, string>();
  const edges = poolBounds(net.nodeCidr)!;
  nodes.forEach((n, i) => {
    if (!n.address) return;
    const at = where(i);
    if (!contains(net.nodeCidr, n.address)) fail(ctx, at, `node ${n.name} is outside the node network ${net.nodeCidr}`, { found: n.address });
    else if (prefixLength(net.nodeCidr) < 31 && [edges.first, edges.last].includes(n.address)) {
      fail(ctx, at, `node ${n.name} has the network or broadcast address of ${net.nodeCidr}`, { found: n.address });
    }
    for (const [name, r] of [["pod", net.podCidr], ["service", net.serviceCidr]] as const) {
      if (r && contains(r, n.address)) fail(ctx, at, `node ${n.name} sits in the ${name} range ${r}`, { found: n.address });
    }
    if (taken.has(n.address)) fail(ctx, at, `node ${n.name} has the same address as ${taken.get(n.address)}`, { found: n.address });
    taken.set(n.address, n.name);
  });
  const vip = ctx.variables.controlPlaneVip as string | undefined;
  if (vip && ctx.blueprint.controlPlane.endpoint.kind === "kube-vip") {
    const at = variableAt(ctx, "controlPlaneVip");
    if (!contains(net.nodeCidr, vip)) fail(ctx, at, `kube-vip announces the VIP by ARP, so it must be inside the node network ${net.nodeCidr}`, { found: vip });
    if (taken.has(vip)) fail(ctx, at, `the VIP is already node ${taken.get(vip)}'s address`, { found: vip, hint: "pick a free address in the node network" });
    taken.set(vip, "the control-plane VIP");
  }
  const gateway = ctx.variables.gateway as string | undefined;
  if (gateway && !contains(net.nodeCidr, gateway)) fail(ctx, variableAt(ctx, "gateway"), `the gateway must be inside the node network ${net.nodeCidr}`, { found: gateway });
  if (gateway && taken.has(gateway)) fail(ctx, variableAt(ctx, "gateway"), `the gateway address is already taken by ${taken.get(gateway)}`, { found: gateway, hint: "the default gateway is the router of the node network, never a node or the VIP" });
  const pool = ctx.variables.ingressAddressPool as string | undefined;
  if (pool !== undefined) {
    const at = variableAt(ctx, "ingressAddressPool");
    const b = poolBounds(pool);
    if (!b) fail(ctx, at, "is not an address pool", { expected: "a CIDR or a first-last range, e.g. 10.20.0.240-10.20.0.250", found: JSON.stringify(pool) });
    else {
      if (!contains(net.nodeCidr, b.first) || !contains(net.nodeCidr, b.last)) fail(ctx, at, `MetalLB L2 answers ARP only inside the node network ${net.nodeCidr}`, { found: pool });
      for (const [ip, owner] of taken) if (ipInRange(ip, b.first, b.last)) fail(ctx, at, `the pool contains ${owner}'s address ${ip}`, { found: pool });
    }
  }
  if (net.podCidr) {
    const perNode = 2 ** Math.max(0, 24 - prefixLength(net.podCidr));
    if (nodes.length > perNode) fail(ctx, rangeOrigins(ctx).pod, `a /24 per node fits only ${perNode} node(s) in ${net.podCidr}`, { found: `${nodes.length} nodes` });
  }
}
