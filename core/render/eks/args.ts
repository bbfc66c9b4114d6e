/**
 * The EKS component's arguments: user-facing settings in the vocabulary of `@pulumi/eks`
 * (endpointPrivateAccess, publicAccessCidrs, encryptionConfigKeyArn, …), plain data so the
 * mapping from a ClusterSpec is a pure function and the component can also be used on its own.
 */
import type { ClusterSpec, EksPlatformSpec, EksSubnet, Taint } from "../../spec";
import { accessEntryArgs, type EksAccessEntryArgs } from "./access";
import { partitionOf } from "./partition";

export interface EksNodeGroupArgs {
  name: string;
  instanceTypes: string[];
  capacityType: "ON_DEMAND" | "SPOT";
  amiFamily: "al2023" | "bottlerocket";
  /** Root volume (AL2023) or data volume (Bottlerocket), gp3 and encrypted. */
  diskGiB: number;
  minSize: number;
  maxSize: number;
  desiredSize: number;
  /** Nodes a rolling update (a new Kubernetes version, a new launch template) takes down at once. */
  maxUnavailable: number;
  labels: Record<string, string>;
  taints: Taint[];
}

export type EksNetworkArgs =
  | { kind: "new"; cidr: string; publicSubnets: EksSubnet[]; privateSubnets: EksSubnet[]; natGateways: "one-per-az" | "single" }
  | { kind: "existing"; vpcId: string; privateSubnetIds: string[]; publicSubnetIds: string[] };

export interface EksClusterArgs {
  clusterName: string;
  region: string;
  /** Kubernetes minor, e.g. "1.34"; AWS picks the patch. */
  version: string;
  /** What AWS does at the end of the minor's standard support: stay (EXTENDED) or upgrade on its own (STANDARD). */
  upgradePolicy: { supportType: "EXTENDED" | "STANDARD" };
  /** For the version guard's refusals: the stack, and where kubernetesVersion is set. */
  versionGuard: { stack: string; file: string; path: string };
  network: EksNetworkArgs;
  endpointPrivateAccess: boolean;
  endpointPublicAccess: boolean;
  publicAccessCidrs: string[];
  /** Networks allowed to the private endpoint on 443, by a rule on the cluster security group. */
  privateAccessCidrs: string[];
  /** Principals with access to the API besides the creator (who is admin through EKS itself). */
  accessEntries: EksAccessEntryArgs[];
  /** Customer KMS key for secrets envelope encryption; null: the component creates one. */
  encryptionConfigKeyArn: string | null;
  enabledClusterLogTypes: string[];
  /** Retention of the control-plane log group (a value CloudWatch accepts). */
  clusterLogRetentionDays: number;
  authenticationMode: "API_AND_CONFIG_MAP";
  serviceIpv4Cidr: string;
  /** IMDSv2 hop limit on nodes: 1 keeps pods away from the node role's credentials. */
  imdsHopLimit: 1 | 2;
  nodeGroups: EksNodeGroupArgs[];
  /** Managed add-ons that another component may replace (coredns and the EBS CSI driver always run). */
  addons: { vpcCni: boolean; kubeProxy: boolean };
  /**
   * Cilium in ENI mode is the only CNI: no VPC CNI, an IRSA role for the cilium-operator, and the
   * node groups are created only once the CNI is installed (EksCluster.nodesAfterCni), because
   * without it no node becomes Ready and EKS fails the node group.
   */
  ciliumEni: boolean;
  tags: Record<string, string>;
}

/** Retention periods CloudWatch Logs accepts, in days. */
export const logRetentionChoices = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653] as const;

/** The smallest accepted retention that keeps logs at least `days` long. */
export function logRetentionDays(days: number): number {
  return logRetentionChoices.find((d) => d >= days) ?? 3653;
}

/**
 * Cilium's ENI mode replaces the VPC CNI. Until its agent runs on a node, pods scheduled there
 * would get no network; Cilium removes this taint once the agent is ready.
 */
export const ciliumAgentNotReadyTaint: Taint = { key: "node.cilium.io/agent-not-ready", value: "true", effect: "NoExecute" };

function network(platform: EksPlatformSpec): EksNetworkArgs {
  const vpc = platform.vpc;
  return vpc.kind === "new"
    ? { kind: "new", cidr: vpc.cidr, publicSubnets: vpc.publicSubnets, privateSubnets: vpc.privateSubnets, natGateways: platform.natGateways }
    : { kind: "existing", vpcId: vpc.vpcId, privateSubnetIds: vpc.privateSubnetIds, publicSubnetIds: vpc.publicSubnetIds };
}

export function eksClusterArgs(spec: ClusterSpec): EksClusterArgs {
  const platform = spec.platform;
  const endpoint = spec.controlPlane.endpoint;
  if (platform.kind !== "eks" || endpoint.kind !== "eks-managed") throw new Error(`eksClusterArgs: stack ${spec.stack} is not an EKS cluster`);
  const ciliumEni = spec.cni.kind === "cilium" && spec.cni.eksMode === "eni";
  const kubeProxyReplaced = spec.cni.kind === "cilium" && spec.cni.kubeProxyReplacement;
  return {
    clusterName: spec.name,
    region: spec.region,
    version: spec.kubernetes.minor,
    upgradePolicy: { supportType: platform.supportType === "standard" ? "STANDARD" : "EXTENDED" },
    versionGuard: { stack: spec.stack, ...platform.versionSource },
    network: network(platform),
    endpointPrivateAccess: endpoint.privateAccess,
    endpointPublicAccess: endpoint.publicAccess,
    publicAccessCidrs: endpoint.publicAccess ? endpoint.publicAccessCidrs : [],
    privateAccessCidrs: endpoint.privateAccessCidrs,
    accessEntries: accessEntryArgs(partitionOf(spec.region), platform.access),
    encryptionConfigKeyArn: platform.kmsKeyArn,
    enabledClusterLogTypes: platform.logTypes,
    clusterLogRetentionDays: logRetentionDays(spec.security.auditLog.maxAgeDays),
    authenticationMode: "API_AND_CONFIG_MAP",
    serviceIpv4Cidr: spec.networking.serviceCidr,
    imdsHopLimit: platform.imdsHopLimit,
    nodeGroups: spec.nodePools.map((pool) => {
      if (pool.size.kind !== "instance") throw new Error(`eksClusterArgs: pool ${pool.name} has no instance size`);
      return {
        name: pool.name,
        instanceTypes: pool.size.instanceTypes,
        capacityType: pool.size.capacityType,
        amiFamily: pool.size.amiType,
        diskGiB: pool.size.diskGiB,
        minSize: pool.min,
        maxSize: pool.max,
        desiredSize: pool.desired,
        // One node at a time: the pool keeps all but one node serving through an upgrade.
        maxUnavailable: 1,
        labels: pool.labels,
        taints: ciliumEni ? [...pool.taints, ciliumAgentNotReadyTaint] : pool.taints,
      };
    }),
    addons: { vpcCni: !ciliumEni, kubeProxy: !kubeProxyReplaced },
    ciliumEni,
    tags: spec.tags,
  };
}
