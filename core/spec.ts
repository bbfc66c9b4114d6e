/**
 * ClusterSpec: the fully resolved description of one cluster. Every default is explicit and every
 * derived value computed, so renderers and components never look anything up or guess. It holds no
 * secret values, only references to the config keys that carry them.
 */
import type { EtcdSchedule } from "./schema/backup";
import type { OsPatches } from "./schema/os-patches";
import type { Cni } from "./schema/cni";
import type { EksAccessEntry } from "./schema/eks-access";
import type { Oidc } from "./schema/oidc";
import type { Security } from "./schema/security";
import type { StorageClassInput } from "./schema/storage";
import type { ChartPin } from "./versions";

export interface PackageSource {
  mirror: string | null;
  /** Copy of https://download.docker.com/linux (containerd.io on RHEL-family hosts); null: Docker's. */
  containerdMirror: string | null;
  httpProxy: string | null;
  httpsProxy: string | null;
  noProxy: string[];
}

/** Air-gap mirrors of images and charts (OS packages: PackageSource). */
export interface Mirrors {
  /** Registry prefix (`host[:port][/path]`, no scheme) holding every image under its upstream name; null: pull from upstream. */
  images: string | null;
  /** `https://…` Helm repository with every pinned chart, or an `oci://…` registry path; null: each chart's upstream repository. */
  charts: string | null;
}

export interface SshEndpoint {
  user: string;
  port: number;
  /** Pinned SHA256 fingerprint; null means the host is refused unless trustOnFirstUse is set. */
  hostKey: string | null;
}

export interface BastionSpec extends SshEndpoint {
  address: string;
}

export interface BaremetalPlatformSpec {
  kind: "baremetal";
  packages: PackageSource;
  trustOnFirstUse: boolean;
  concurrency: number;
  bastion: BastionSpec | null;
  /** Loopback port of the API tunnel through the bastion (used only with a bastion). */
  apiTunnelPort: number;
}

export interface VspherePlatformSpec {
  kind: "vsphere";
  packages: PackageSource;
  templateOs: "ubuntu" | "rhel";
  linkedClone: boolean;
  concurrency: number;
  vcenter: {
    server: string;
    user: string;
    datacenter: string;
    computeCluster: string;
    resourcePool: string | null;
    datastore: string | null;
    datastoreCluster: string | null;
    network: string;
    template: string;
    folder: string;
  };
  /** Static addressing of the VMs; null when the VMs take DHCP leases. */
  staticNetwork: { prefixLength: number; gateway: string; nameservers: string[] } | null;
}

export interface EksSubnet {
  az: string;
  cidr: string;
}

export interface EksPlatformSpec {
  kind: "eks";
  natGateways: "one-per-az" | "single";
  kmsKeyArn: string | null;
  logTypes: string[];
  imdsHopLimit: 1 | 2;
  azs: string[];
  /** Access entries beyond the cluster creator's. */
  access: EksAccessEntry[];
  /** The cluster's upgrade policy: what AWS does when its minor leaves standard support. */
  supportType: "extended" | "standard";
  /** Where kubernetesVersion is set (the stack file when it overrides it), for the version guard's refusals. */
  versionSource: { file: string; path: string };
  vpc:
    | { kind: "new"; cidr: string; publicSubnets: EksSubnet[]; privateSubnets: EksSubnet[] }
    | { kind: "existing"; vpcId: string; privateSubnetIds: string[]; publicSubnetIds: string[] };
}

export type PlatformSpec = BaremetalPlatformSpec | VspherePlatformSpec | EksPlatformSpec;

export type EndpointSpec =
  | { kind: "kube-vip"; host: string; port: number; interface: string | null }
  | { kind: "external-lb"; host: string; port: number }
  | { kind: "first-node"; host: string | null; port: number }
  | {
      kind: "eks-managed";
      privateAccess: boolean;
      publicAccess: boolean;
      publicAccessCidrs: string[];
      /** Networks outside the VPC (VPN, peering, CI runners) allowed to the private endpoint on 443. */
      privateAccessCidrs: string[];
    };

export interface Taint {
  key: string;
  value?: string;
  effect: "NoSchedule" | "PreferNoSchedule" | "NoExecute";
}

export type PoolSize =
  | { kind: "vm"; cpus: number; memoryMiB: number; diskGiB: number }
  | { kind: "instance"; instanceTypes: string[]; diskGiB: number; capacityType: "ON_DEMAND" | "SPOT"; amiType: "al2023" | "bottlerocket" }
  | { kind: "host" };

export interface NodePoolSpec {
  name: string;
  min: number;
  max: number;
  desired: number;
  size: PoolSize;
  labels: Record<string, string>;
  taints: Taint[];
}

/** A machine kubeadm bootstraps (bare metal and vSphere). */
export interface NodeSpec {
  name: string;
  role: "control-plane" | "worker";
  /** Worker pool; null for control planes. */
  pool: string | null;
  /** Static address, or null while a DHCP lease is unknown (vSphere). */
  address: string | null;
  ssh: SshEndpoint;
  labels: Record<string, string>;
  taints: Taint[];
  size: PoolSize;
}

export type CniSpec =
  | (Omit<Extract<Cni, { kind: "cilium" }>, "eksMode"> & { version: string; chart: ChartPin; eksMode: "eni" | "chaining" | null })
  | (Extract<Cni, { kind: "flannel" }> & { version: string; chart: ChartPin })
  | (Extract<Cni, { kind: "weave" }> & { version: string });

export type StorageClassSpec = StorageClassInput & { name: string };

export type IngressSpec =
  | { kind: "none" }
  | {
      kind: "ingress-nginx" | "traefik";
      replicas: number;
      className: string;
      values: Record<string, unknown>;
      chart: ChartPin;
      /** How traffic reaches the controller. */
      exposure: { kind: "nlb" } | { kind: "metallb"; addressPool: string } | { kind: "host-network" };
    };

export interface SecretRef {
  /** Full Pulumi config key, e.g. `clusterkit:sshPrivateKey`. */
  key: string;
  purpose: string;
  required: boolean;
  /** Whether the stack file already holds a `secure:` value for it. */
  present: boolean;
}

export interface ClusterSpec {
  apiVersion: "clusterkit.dev/v1alpha1";
  kind: "ClusterSpec";
  name: string;
  stack: string;
  blueprint: string;
  region: string;
  platform: PlatformSpec;
  kubernetes: { version: string; minor: string };
  controlPlane: {
    count: number;
    endpoint: EndpointSpec;
    certSANs: string[];
    /** kubeadm platforms: extra component flags (name without `--` → value), empty by default. */
    extraArgs: { controllerManager: Record<string, string>; scheduler: Record<string, string>; etcd: Record<string, string> };
  };
  nodePools: NodePoolSpec[];
  /** kubeadm platforms only; empty on EKS. Control planes first, in join order. */
  nodes: NodeSpec[];
  networking: {
    /** Null on EKS, where pods take VPC addresses. */
    podCidr: string | null;
    serviceCidr: string;
    /** The node network: the VPC on EKS, the hosts' or VMs' subnet elsewhere. */
    nodeCidr: string;
    dnsDomain: string;
    /** 10th address of the service range, as kubeadm assigns it. */
    clusterDnsIp: string;
    /** First address of the service range: the `kubernetes` Service. */
    apiServerServiceIp: string;
    /** kube-proxy's mode on kubeadm platforms; null where kube-proxy is not ours (EKS) or Cilium replaces it. */
    kubeProxyMode: "iptables" | "nftables" | null;
  };
  cni: CniSpec;
  storage: { classes: StorageClassSpec[]; defaultClass: string };
  ingress: IngressSpec;
  oidc: Oidc | null;
  /** Where images and charts come from; null fields: upstream. OS packages: `platform.packages`. */
  mirrors: Mirrors;
  security: Security;
  /** Rolling Kubernetes upgrades on kubeadm platforms. */
  upgrades: { workerBatchSize: number; drainTimeoutSeconds: number };
  /** kubeadm platforms: certificates are renewed when fewer days than this are left. */
  certificates: { renewBeforeDays: number };
  /** kubeadm platforms: scheduled etcd snapshots on each control plane (`none` on EKS). */
  backup: { etcd: { schedule: EtcdSchedule } };
  /** kubeadm platforms: rolling OS package updates (`none` on EKS). */
  osPatches: OsPatches;
  /** All filled-in region variables, defaults applied. */
  variables: Record<string, unknown>;
  /** Applied to every resource that takes tags or labels. */
  tags: Record<string, string>;
  secrets: SecretRef[];
}
