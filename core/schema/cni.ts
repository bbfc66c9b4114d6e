/** CNI choice: a discriminated union on `kind`. Options are curated; `values` is the raw escape hatch. */
import { z } from "zod";
import { helmValues } from "./primitives";

export const ciliumCni = z.strictObject({
  kind: z.literal("cilium"),
  /** Replace kube-proxy with Cilium's eBPF service handling; kubeadm then skips its kube-proxy phase. */
  kubeProxyReplacement: z.boolean().default(false),
  hubble: z.strictObject({ enabled: z.boolean().default(false), ui: z.boolean().default(false) }).default({ enabled: false, ui: false }),
  /** Transparent encryption between nodes. */
  encryption: z.enum(["none", "wireguard"]).default("none"),
  /** EKS only: `eni` replaces aws-node with Cilium's own ENI IPAM; `chaining` runs on top of the VPC CNI. */
  eksMode: z.enum(["eni", "chaining"]).optional(),
  values: helmValues.default({}),
});

export const flannelCni = z.strictObject({
  kind: z.literal("flannel"),
  /** host-gw needs every node on one L2 segment; wireguard encrypts node-to-node traffic. */
  backend: z.enum(["vxlan", "host-gw", "wireguard"]).default("vxlan"),
  /** Run the chart's kube-network-policies agent so NetworkPolicies are enforced (Flannel alone ignores them). */
  networkPolicy: z.boolean().default(false),
  values: helmValues.default({}),
});

export const weaveCni = z.strictObject({
  kind: z.literal("weave"),
  /** Weave Net is archived and unmaintained since 2021; using it must be a deliberate choice. */
  acknowledgeUnmaintained: z.boolean().default(false),
});

export const cniSchema = z.discriminatedUnion("kind", [ciliumCni, flannelCni, weaveCni]);
export type CniInput = z.input<typeof cniSchema>;
export type Cni = z.output<typeof cniSchema>;
