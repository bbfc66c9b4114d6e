/**
 * The region variables of a cloned stack. Network ranges come from the address plan, EKS zones
 * from `--set` or the region table; values bound to a site (vCenter objects, host addresses and
 * keys, VIPs, existing VPC ids) become `<fill-in: …>` placeholders; everything else is copied,
 * with the old region's name replaced where it appears as a word. Pure: the caller does the I/O.
 */
import type { PlatformKind } from "../schema/platform";
import { nthAddress } from "../resolve/cidr";
import { placeholder } from "../resolve/placeholders";
import type { Allocation, RangeKind } from "./address-plan";

export interface CloneDeclaration {
  name: string;
  description: string;
}

export interface CloneInput {
  platform: PlatformKind;
  from: { stack: string; region: string; variables: Record<string, unknown>; nodes: { name: string; role: string }[] };
  to: { stack: string; region: string };
  decls: readonly CloneDeclaration[];
  ranges: Allocation;
  /** EKS only. */
  azs: string[] | null;
  sets: Record<string, unknown>;
}

export interface Rewrite {
  path: string;
  from: string;
  to: string;
}

export interface CloneValues {
  variables: Record<string, unknown>;
  rewrites: Rewrite[];
}

const rangeVariables: Record<string, RangeKind> = { vpcCidr: "node", nodeCidr: "node", podCidr: "pod", serviceCidr: "service" };

/** Names of vCenter objects, existing AWS networks and endpoints: they exist per site, never derivable. */
const siteBound = new Set(["vcenterServer", "vcenterUser", "datacenter", "computeCluster", "resourcePool", "datastore", "datastoreCluster", "network", "template", "folder", "vpcId", "controlPlaneEndpoint"]);

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** Replaces the old region where it stands as a word (`ber1-cp-1`, `platform-us-east-1`), keeping case. */
export function replaceRegion(text: string, from: string, to: string): string {
  if (!from || from === to) return text;
  return text.replace(new RegExp(`(?<![A-Za-z0-9])${escape(from)}(?![A-Za-z0-9])`, "gi"), (m) => (m === m.toUpperCase() && m !== m.toLowerCase() ? to.toUpperCase() : to));
}

function rewriteDeep(value: unknown, path: string, from: string, to: string, out: Rewrite[]): unknown {
  if (typeof value === "string") {
    const next = replaceRegion(value, from, to);
    if (next !== value) out.push({ path, from: value, to: next });
    return next;
  }
  if (Array.isArray(value)) return value.map((v, i) => rewriteDeep(v, `${path}[${i}]`, from, to, out));
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, rewriteDeep(v, `${path}.${k}`, from, to, out)]));
  }
  return value;
}

function sentence(description: string): string {
  return description.replace(/\.$/, "").replace(/^./, (c) => c.toLowerCase());
}

function hostsFor(input: CloneInput, hosts: Record<string, unknown>[], nodeCidr: string, rewrites: Rewrite[]): Record<string, unknown>[] {
  return hosts.map((h, i) => {
    const out = rewriteDeep(h, `hosts[${i}]`, input.from.region, input.to.region, rewrites) as Record<string, unknown>;
    const name = String(out.name ?? `host ${i + 1}`);
    out.address = placeholder(`IPv4 address of host ${name} in ${nodeCidr}`);
    if ("hostKey" in h) out.hostKey = placeholder(`SSH host key fingerprint of ${name} (ssh-keyscan -t ed25519 ADDRESS | ssh-keygen -lf -)`);
    return out;
  });
}

function siteValue(input: CloneInput, name: string, value: unknown, nodeCidr: string, rewrites: Rewrite[]): unknown {
  const { to, from } = input;
  const decl = input.decls.find((d) => d.name === name);
  const what = decl ? sentence(decl.description) : name;
  switch (name) {
    case "hosts":
      return Array.isArray(value) ? hostsFor(input, value as Record<string, unknown>[], nodeCidr, rewrites) : placeholder(`host inventory of ${to.region}`);
    case "bastion": {
      const b = { ...(value as Record<string, unknown>) };
      b.address = placeholder(`address of the SSH jump host for ${to.region}`);
      b.hostKey = placeholder("SSH host key fingerprint of the jump host (ssh-keyscan -t ed25519 ADDRESS | ssh-keygen -lf -)");
      return b;
    }
    case "gateway":
      return placeholder(`default gateway of the node network ${nodeCidr}`);
    case "controlPlaneVip":
      return placeholder(`free address in ${nodeCidr} for the API server VIP (kube-vip)`);
    case "ingressAddressPool":
      return placeholder(`MetalLB address pool in ${nodeCidr} for ingress, e.g. ${nthAddress(nodeCidr, 240)}-${nthAddress(nodeCidr, 250)}`);
    case "nodeIps":
      return (value as unknown[]).map((_, i) => {
        const n = from.nodes[i];
        return placeholder(`static IP in ${nodeCidr} of node ${i + 1}${n ? ` (${n.role})` : ""}`);
      });
    case "nameservers":
      return (value as unknown[]).map((_, i) => placeholder(`DNS server ${i + 1} for ${to.region}`));
    case "privateSubnetIds":
    case "publicSubnetIds":
      return (value as unknown[]).map((_, i) => placeholder(`${name === "privateSubnetIds" ? "private" : "public"} subnet ${i + 1} of the existing VPC in ${to.region}`));
    default:
      return placeholder(`${what} in ${to.region} (${from.stack} has ${JSON.stringify(value)})`);
  }
}

const siteSpecific = new Set([...siteBound, "hosts", "bastion", "gateway", "controlPlaneVip", "ingressAddressPool", "nodeIps", "nameservers", "privateSubnetIds", "publicSubnetIds"]);

export function cloneValues(input: CloneInput): CloneValues {
  const rewrites: Rewrite[] = [];
  const variables: Record<string, unknown> = {};
  const nodeCidr = input.ranges.node;
  const rangeOf = (name: string): string | null => {
    const kind = rangeVariables[name];
    if (!kind) return null;
    if (name === "vpcCidr" && input.platform !== "eks") return null;
    if (name === "nodeCidr" && input.platform === "eks") return null;
    return input.ranges[kind];
  };
  // Source order first, so the new file reads like the old one; then what the clone adds.
  const names = [...new Set([...Object.keys(input.from.variables), ...(input.platform === "eks" ? ["vpcCidr", "azs", "serviceCidr"] : ["nodeCidr", "podCidr", "serviceCidr"])])];
  for (const name of names) {
    const value = input.from.variables[name];
    if (name in input.sets) variables[name] = input.sets[name];
    else if (rangeOf(name)) variables[name] = rangeOf(name);
    else if (name === "azs" && input.platform === "eks") variables[name] = input.azs;
    else if (siteSpecific.has(name)) variables[name] = siteValue(input, name, value, nodeCidr, rewrites);
    else if (value !== undefined) variables[name] = rewriteDeep(value, name, input.from.region, input.to.region, rewrites);
  }
  for (const [name, value] of Object.entries(input.sets)) if (!(name in variables)) variables[name] = value;
  return { variables, rewrites };
}
