/**
 * The region variables each platform reads. They are declared implicitly for every blueprint of
 * that platform; a blueprint may restate one (same type) to give it a default or a better
 * description, and may declare extra variables of its own, which become tags.
 */
import type { PlatformKind } from "../schema/platform";
import type { VariableType } from "../schema/variables";

export interface WellKnownVariable {
  type: VariableType;
  required: boolean;
  description: string;
}

const kubeadmCommon: Record<string, WellKnownVariable> = {
  nodeCidr: { type: "cidr", required: true, description: "The subnet the nodes live on." },
  podCidr: { type: "cidr", required: false, description: "Pod network; overrides the blueprint's networking.podCidr." },
  serviceCidr: { type: "cidr", required: false, description: "Service network; overrides the blueprint's networking.serviceCidr." },
  controlPlaneVip: { type: "ipv4", required: false, description: "Virtual IP kube-vip holds for the API server (endpoint kind kube-vip)." },
  controlPlaneEndpoint: { type: "string", required: false, description: "Host name or IP of your load balancer (endpoint kind external-lb)." },
  ingressAddressPool: { type: "string", required: false, description: "MetalLB L2 pool for the ingress controller: a CIDR or a-b range. Without it, ingress uses hostNetwork." },
};

export const platformVariables: Record<PlatformKind, Record<string, WellKnownVariable>> = {
  eks: {
    vpcCidr: { type: "cidr", required: false, description: "CIDR of the VPC clusterkit creates (omit when vpcId is given)." },
    azs: { type: "string-list", required: true, description: "Availability zones of the region to spread subnets and nodes over (at least 2)." },
    serviceCidr: { type: "cidr", required: false, description: "Service network; overrides the blueprint's networking.serviceCidr." },
    vpcId: { type: "string", required: false, description: "Use this existing VPC instead of creating one." },
    privateSubnetIds: { type: "string-list", required: false, description: "Existing private subnets (with vpcId), one per AZ." },
    publicSubnetIds: { type: "string-list", required: false, description: "Existing public subnets (with vpcId), one per AZ." },
    apiAccessCidrs: { type: "string-list", required: false, description: "Public addresses that may reach the API: opens the public endpoint to these only (private access stays on)." },
    apiPrivateAccessCidrs: { type: "string-list", required: false, description: "Networks routed into the VPC (VPN, peering, CI runners) allowed to the private API endpoint on port 443." },
  },
  vsphere: {
    vcenterServer: { type: "string", required: true, description: "vCenter host name." },
    vcenterUser: { type: "string", required: true, description: "vCenter user; its password is the secret clusterkit:vspherePassword." },
    datacenter: { type: "string", required: true, description: "vSphere datacenter." },
    computeCluster: { type: "string", required: true, description: "Compute cluster the VMs run in (DRS anti-affinity applies here)." },
    resourcePool: { type: "string", required: false, description: "Resource pool path; defaults to the cluster's root pool." },
    datastore: { type: "string", required: false, description: "Datastore for the VM disks (or datastoreCluster)." },
    datastoreCluster: { type: "string", required: false, description: "Datastore cluster for the VM disks (or datastore)." },
    network: { type: "string", required: true, description: "Port group the VMs attach to." },
    template: { type: "string", required: true, description: "Template VM to clone (see README: preparing a template)." },
    folder: { type: "string", required: false, description: "VM folder; defaults to clusterkit/<cluster>." },
    vcenterThumbprint: { type: "string", required: false, description: "SHA-1 thumbprint of vCenter's TLS certificate, for the in-cluster CPI/CSI when vCenter uses its own (VMCA) CA." },
    gateway: { type: "ipv4", required: false, description: "Default gateway for static node IPs." },
    nameservers: { type: "ipv4-list", required: false, description: "DNS servers for static node IPs." },
    nodeIps: { type: "ipv4-list", required: false, description: "Static IPs, one per node: control planes first, then pools in blueprint order. Omit for DHCP." },
    ...kubeadmCommon,
  },
  baremetal: {
    hosts: { type: "hosts", required: true, description: "The host inventory: name, address, role, pool, SSH user and pinned host key." },
    bastion: { type: "bastion", required: false, description: "Jump host to reach the nodes through." },
    apiTunnelPort: { type: "integer", required: false, description: "Loopback port of the API tunnel through the bastion (1024-65535); default derived from the stack name." },
    ...kubeadmCommon,
  },
};
