/**
 * A blueprint: the shape of a cluster, independent of region. Stacks pick one by name and fill in
 * its region variables. Field names here are the user-facing vocabulary shared by all platforms.
 */
import { z } from "zod";
import { backupSchema } from "./backup";
import { osPatchesSchema } from "./os-patches";
import { cniSchema } from "./cni";
import { ingressSchema } from "./ingress";
import { mirrorsSchema } from "./mirrors";
import { oidcSchema } from "./oidc";
import { platformSchema } from "./platform";
import { certSAN, cidr4, dnsLabel, kubernetesVersion, labels, taint } from "./primitives";
import { securitySchema } from "./security";
import { storageClassSchema } from "./storage";
import { variableDeclarationSchema } from "./variables";

export const endpointSchema = z.discriminatedUnion("kind", [
  /** A virtual IP held by kube-vip static pods on the control planes (ARP). Needs the `controlPlaneVip` variable. */
  z.strictObject({ kind: z.literal("kube-vip"), port: z.number().int().default(6443), interface: z.string().optional() }),
  /** A load balancer the user runs. Needs the `controlPlaneEndpoint` variable (host name or IP). */
  z.strictObject({ kind: z.literal("external-lb"), port: z.number().int().default(6443) }),
  /** The first control plane's address; only for a single control plane. */
  z.strictObject({ kind: z.literal("first-node"), port: z.number().int().default(6443) }),
  /** EKS's managed endpoint. Private by default; public access needs an explicit CIDR allow-list. */
  z.strictObject({
    kind: z.literal("eks-managed"),
    privateAccess: z.boolean().default(true),
    publicAccess: z.boolean().default(false),
    publicAccessCidrs: z.array(cidr4).default([]),
  }),
]);
export type EndpointInput = z.output<typeof endpointSchema>;

/** VM size on vSphere. */
export const vmSize = z.strictObject({
  cpus: z.number().int(),
  memoryMiB: z.number().int(),
  diskGiB: z.number().int(),
});

/** Instance shape on EKS. Instance types are strings so new families need no clusterkit release. */
export const instanceSize = z.strictObject({
  instanceTypes: z.array(z.string().regex(/^[a-z][a-z0-9-]*\.[a-z0-9]+$/, "must be an EC2 instance type such as m6i.large")).min(1),
  diskGiB: z.number().int().default(50),
  capacityType: z.enum(["ON_DEMAND", "SPOT"]).default("ON_DEMAND"),
  amiType: z.enum(["al2023", "bottlerocket"]).default("al2023"),
});

export const nodePoolSchema = z.strictObject({
  /** Fixed size. Give either count, or min and max (and optionally desired). */
  count: z.number().int().min(0).optional(),
  min: z.number().int().min(0).optional(),
  max: z.number().int().min(0).optional(),
  desired: z.number().int().min(0).optional(),
  size: z.union([vmSize, instanceSize]).optional(),
  labels: labels.default({}),
  taints: z.array(taint).default([]),
});
export type NodePoolInput = z.output<typeof nodePoolSchema>;

/** How `pulumi up` rolls a Kubernetes upgrade over a kubeadm cluster (control planes always go one at a time). */
export const upgradesSchema = z.strictObject({
  /** Workers upgraded at once, like k0sctl's worker disruption: each is drained, upgraded and back Ready before its slot frees. */
  workerBatchSize: z.number().int().min(1).default(1),
  /** How long one node's drain may take before the upgrade stops there (the node is uncordoned). */
  drainTimeoutSeconds: z.number().int().min(30).default(600),
});

/** kubeadm platforms: when `pulumi up` renews the control planes' certificates (kubeadm issues them for a year). */
export const certificatesSchema = z.strictObject({
  renewBeforeDays: z.number().int().min(7).max(300).default(60),
});

/** Flags of one control-plane component: name without the leading `--` → value. */
const componentFlags = z.record(z.string().regex(/^[a-z0-9][a-z0-9-]*$/, "must be a flag name without the leading --, e.g. node-monitor-grace-period"), z.union([z.string(), z.number(), z.boolean()]));

/**
 * kubeadm platforms: extra flags for the controller manager, the scheduler and etcd (kubeadm's
 * `extraArgs`). A change is rolled out by `pulumi up`, one control plane at a time. clusterkit's own
 * CIS flag (`profiling`) cannot be overridden.
 */
export const extraArgsSchema = z
  .strictObject({
    controllerManager: componentFlags.default({}),
    scheduler: componentFlags.default({}),
    etcd: componentFlags.default({}),
  })
  .superRefine((a, ctx) => {
    for (const c of ["controllerManager", "scheduler"] as const) {
      if ("profiling" in a[c]) ctx.addIssue({ code: "custom", path: [c, "profiling"], message: "clusterkit keeps profiling off (CIS 1.3.2 / 1.4.1); remove this flag" });
    }
  });

export const blueprintSchema = z.strictObject({
  apiVersion: z.literal("clusterkit.dev/v1alpha1"),
  kind: z.literal("Blueprint"),
  name: dnsLabel,
  description: z.string().default(""),
  kubernetesVersion,
  platform: platformSchema,
  controlPlane: z.strictObject({
    /** Control-plane nodes on kubeadm platforms: 1, 3 or 5. EKS runs its own control plane. */
    count: z.number().int().min(1).optional(),
    endpoint: endpointSchema,
    size: vmSize.optional(),
    extraArgs: extraArgsSchema.default({ controllerManager: {}, scheduler: {}, etcd: {} }),
    /**
     * kubeadm platforms: more names and addresses for the API server's serving certificate (a DNS
     * name clients use, a second load balancer). The endpoint and the `kubernetes` Service's
     * address are always in it. Changing the list reissues the certificate in place.
     */
    certSANs: z.array(certSAN).default([]),
  }),
  nodePools: z.record(dnsLabel, nodePoolSchema).refine((p) => Object.keys(p).length > 0, "at least one node pool is needed"),
  networking: z
    .strictObject({
      podCidr: cidr4.optional(),
      serviceCidr: cidr4.optional(),
      dnsDomain: z.string().regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/).default("cluster.local"),
      /**
       * kubeadm platforms: how kube-proxy programs Services, `iptables` (kube-proxy's default) or
       * `nftables` (GA since Kubernetes 1.33; needs Linux 5.13 or newer). Changeable in place.
       */
      kubeProxyMode: z.enum(["iptables", "nftables"]).optional(),
    })
    .default({ dnsDomain: "cluster.local" }),
  cni: cniSchema,
  storage: z.strictObject({ classes: z.record(dnsLabel, storageClassSchema) }),
  ingress: ingressSchema.default({ kind: "traefik", replicas: 2, className: "traefik", values: {} }),
  oidc: oidcSchema.optional(),
  /** Air-gapped sites: where images and charts come from (OS packages: platform.packages). */
  mirrors: mirrorsSchema,
  security: securitySchema.default(securitySchema.parse({})),
  upgrades: upgradesSchema.default(upgradesSchema.parse({})),
  certificates: certificatesSchema.default(certificatesSchema.parse({})),
  /** kubeadm platforms: scheduled etcd snapshots on the control planes. */
  backup: backupSchema.default(backupSchema.parse({})),
  /** kubeadm platforms: rolling OS package updates and reboots, one node at a time. */
  osPatches: osPatchesSchema.default({ kind: "none" }),
  variables: z.array(variableDeclarationSchema).default([]),
});

export type BlueprintInput = z.input<typeof blueprintSchema>;
export type Blueprint = z.output<typeof blueprintSchema>;
