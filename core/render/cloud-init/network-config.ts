/**
 * The node's network configuration in the format its template OS expects from cloud-init:
 * netplan (network config v2) on Ubuntu, which cloud-init hands to netplan as is; network config
 * v1 on the RHEL family, which cloud-init renders into NetworkManager connections. Static
 * addressing comes from the stack's nodeIps; without them the NIC takes a DHCP lease.
 */
import { stringify } from "yaml";
import type { ClusterSpec, NodeSpec, VspherePlatformSpec } from "../../spec";

/**
 * Name the RHEL family gives the single vmxnet3 NIC of a VM (PCI slot 192). Network config v1
 * cannot match by pattern, so it names the interface; Ubuntu matches `en*` instead.
 */
export const rhelDefaultNic = "ens192";

export interface NodeAddressing {
  kind: "static" | "dhcp";
  /** CIDR notation, e.g. 10.3.10.11/24 (static only). */
  address?: string;
  gateway?: string;
  nameservers?: string[];
}

function vsphere(spec: ClusterSpec): VspherePlatformSpec {
  if (spec.platform.kind !== "vsphere") throw new Error(`cloud-init network config is rendered for vSphere VMs, not ${spec.platform.kind}`);
  return spec.platform;
}

export function nodeAddressing(spec: ClusterSpec, node: NodeSpec): NodeAddressing {
  const net = vsphere(spec).staticNetwork;
  if (!net || !node.address) return { kind: "dhcp" };
  return { kind: "static", address: `${node.address}/${net.prefixLength}`, gateway: net.gateway, nameservers: net.nameservers };
}

/** The NIC name on RHEL: the one the blueprint gives kube-vip, if any, is the node's NIC. */
export function rhelNicName(spec: ClusterSpec): string {
  const ep = spec.controlPlane.endpoint;
  return ep.kind === "kube-vip" && ep.interface ? ep.interface : rhelDefaultNic;
}

function netplan(a: NodeAddressing): Record<string, unknown> {
  const nic: Record<string, unknown> = { match: { name: "en*" }, dhcp4: a.kind === "dhcp", dhcp6: false };
  if (a.kind === "static") {
    nic.addresses = [a.address];
    // 0.0.0.0/0 rather than "default": cloud-init before 23.x rejects the keyword.
    nic.routes = [{ to: "0.0.0.0/0", via: a.gateway }];
    if (a.nameservers?.length) nic.nameservers = { addresses: a.nameservers };
  }
  return { version: 2, ethernets: { primary: nic } };
}

function networkV1(a: NodeAddressing, nic: string): Record<string, unknown> {
  const subnet: Record<string, unknown> =
    a.kind === "dhcp" ? { type: "dhcp4" } : { type: "static", address: a.address, gateway: a.gateway, ...(a.nameservers?.length ? { dns_nameservers: a.nameservers } : {}) };
  return { version: 1, config: [{ type: "physical", name: nic, subnets: [subnet] }] };
}

/** The network config document (YAML) for one node. */
export function renderNetworkConfig(spec: ClusterSpec, node: NodeSpec): string {
  const a = nodeAddressing(spec, node);
  const doc = vsphere(spec).templateOs === "ubuntu" ? netplan(a) : networkV1(a, rhelNicName(spec));
  return stringify(doc, { lineWidth: 0 });
}
