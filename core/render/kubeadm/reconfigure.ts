/**
 * Reconfiguring a running kubeadm cluster (pure): which component each part of the cluster-wide
 * documents configures, so a change can be rolled out by restarting exactly those, and which
 * settings cannot change in place at all. kubeadm's documented flow ("Reconfiguring a kubeadm
 * cluster"): edit the kubeadm-config ConfigMap, then on each control plane regenerate the affected
 * static pod manifests (`kubeadm init phase control-plane|etcd`), which the kubelet picks up; edit
 * the kubelet-config ConfigMap, then on each node `kubeadm upgrade node phase kubelet-config` and
 * restart the kubelet; edit the kube-proxy ConfigMap and restart its DaemonSet's pods.
 *
 * Each node keeps, per component, a hash of what that component reads (`restartOn`), so the diff
 * and the preview name what a change restarts where; and the settings fixed for the cluster's
 * life (`fixedSettings`), as values, so a refusal can say from what to what.
 */
import { createHash } from "node:crypto";
import type { ClusterSpec, NodeSpec } from "../../spec";
import { clusterConfiguration, kubeadmApiVersion } from "./cluster-configuration";
import { kubeProxyConfiguration } from "./kube-proxy";
import { kubeletConfiguration } from "./kubelet";
import { apiServerBindPort, controlPlaneEndpoint, nodeAddress } from "./node";
import { nodeRegistration } from "./node-registration";
import { toYaml, toYamlDocs } from "./yaml";

/** Static pods in the order kubeadm upgrades them on a control plane. */
export const staticPods = ["etcd", "kube-apiserver", "kube-controller-manager", "kube-scheduler"] as const;
export type StaticPod = (typeof staticPods)[number];

/**
 * What a change restarts, in the order a node applies them: the API server's serving certificate
 * (new certSANs; it is reissued, then the API server restarted), the static pods, the kubelet,
 * kube-proxy's DaemonSet, and the add-ons kubeadm installs (CoreDNS and kube-proxy, re-applied when
 * their image repository changes).
 */
export const components = ["apiserver-certificate", ...staticPods, "kubelet", "kube-proxy", "addons"] as const;
export type Component = (typeof components)[number];

/** Components that only exist, or are only acted on, on control planes. */
const controlPlaneOnly: readonly Component[] = ["apiserver-certificate", ...staticPods, "addons"];

type Owner = readonly Component[] | "fixed" | "version" | "type";

/**
 * Every top-level key of the rendered ClusterConfiguration and what reads it. A key missing here
 * fails the rendering (a test renders many specs), so nothing new can slip past the classification.
 */
const clusterConfigOwners: Record<string, Owner> = {
  apiVersion: "type",
  kind: "type",
  kubernetesVersion: "version",
  clusterName: "fixed",
  controlPlaneEndpoint: "fixed",
  networking: "fixed",
  proxy: "fixed",
  imageRepository: [...staticPods, "addons"],
  dns: ["addons"],
  apiServer: ["kube-apiserver"],
  controllerManager: ["kube-controller-manager"],
  scheduler: ["kube-scheduler"],
  etcd: ["etcd"],
};

const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");

/** What each component reads from the cluster-wide documents. */
export function componentInputs(spec: ClusterSpec): Record<Component, unknown> {
  const cc = clusterConfiguration(spec) as Record<string, unknown>;
  const out = Object.fromEntries(components.map((c) => [c, {} as Record<string, unknown>])) as Record<Component, Record<string, unknown>>;
  for (const [key, value] of Object.entries(cc)) {
    const owner = clusterConfigOwners[key];
    if (owner === undefined) throw new Error(`reconfigure.ts: ClusterConfiguration.${key} has no owner; say which component reads it`);
    if (typeof owner === "string") continue;
    for (const c of owner) out[c][key] = value;
  }
  // A new SAN needs a new certificate (kubeadm does not reissue one that exists), then a restart.
  const { certSANs, ...apiServer } = cc.apiServer as { certSANs: string[] };
  out["kube-apiserver"].apiServer = apiServer;
  out["apiserver-certificate"] = { certSANs };
  out.kubelet = { kubelet: kubeletConfiguration(spec) };
  out["kube-proxy"] = { kubeProxy: kubeProxyConfiguration(spec) };
  return out;
}

/** Per component, a hash of what it reads (the components that run on this node). */
export function restartOn(spec: ClusterSpec, node: NodeSpec): Partial<Record<Component, string>> {
  const inputs = componentInputs(spec);
  const mine = components.filter((c) => node.role === "control-plane" || !controlPlaneOnly.includes(c));
  return Object.fromEntries(mine.map((c) => [c, sha256(JSON.stringify(inputs[c]))]));
}

/** The components whose hash changed, in rollout order; a component absent on either side is left out. */
export function changedComponents(olds: Partial<Record<Component, string>>, news: Partial<Record<Component, string>>): Component[] {
  return components.filter((c) => olds[c] !== undefined && news[c] !== undefined && olds[c] !== news[c]);
}

/** Settings fixed for the cluster's life, as plain values (nothing secret). */
export interface FixedSettings {
  clusterName: string;
  cni: string;
  podCidr: string | null;
  serviceCidr: string;
  dnsDomain: string;
  controlPlaneEndpoint: string;
  etcd: "stacked";
}

export function fixedSettings(spec: ClusterSpec): FixedSettings {
  const cni = spec.cni.kind === "cilium" ? `cilium${spec.cni.kubeProxyReplacement ? " (replacing kube-proxy)" : ""}` : spec.cni.kind;
  return {
    clusterName: spec.name,
    cni,
    podCidr: spec.networking.podCidr,
    serviceCidr: spec.networking.serviceCidr,
    dnsDomain: spec.networking.dnsDomain,
    controlPlaneEndpoint: controlPlaneEndpoint(spec),
    // The only topology clusterkit builds; an external etcd would need a migration of the data.
    etcd: "stacked",
  };
}

/** Why a fixed setting cannot change in place, where it is set, and what to do instead. */
const why: Record<keyof FixedSettings, { field: string; reason: string; instead: string }> = {
  clusterName: {
    field: "the stack's clusterkit:clusterName (or the stack name)",
    reason: "the cluster name is in the kubeadm-config ConfigMap, every kubeconfig and the names of the cluster's resources; kubeadm cannot rename a cluster",
    instead: "keep the name; a cluster under another name is a new stack (clusterkit clone-region), with the workloads moved across",
  },
  cni: {
    field: "cni in the blueprint",
    reason: "pods keep the network the old plugin gave them and the two plugins' routes and rules collide, so a CNI (or Cilium's kube-proxy replacement) cannot be swapped under a running cluster",
    instead: "keep the CNI; build a new cluster with the new one and move the workloads",
  },
  podCidr: {
    field: "the pod range (networking.podCidr in the blueprint, or the podCidr variable)",
    reason: "the pod range is split into every node's podCIDR when the node registers, and is in the CNI's IP pools and kube-proxy's clusterCIDR; kubeadm cannot change it in place",
    instead: "set it back; a new pod range needs a new cluster",
  },
  serviceCidr: {
    field: "the service range (networking.serviceCidr in the blueprint, or the serviceCidr variable)",
    reason: "every Service's ClusterIP was allocated from the service range, the `kubernetes` Service address is in the API server's certificate and the DNS address in every kubelet's configuration; kubeadm cannot change it in place",
    instead: "set it back; a new service range needs a new cluster",
  },
  dnsDomain: {
    field: "networking.dnsDomain in the blueprint",
    reason: "the cluster domain is in every running pod's resolv.conf, CoreDNS and the API server's certificate",
    instead: "set it back; a new domain needs a new cluster",
  },
  controlPlaneEndpoint: {
    field: "controlPlane.endpoint in the blueprint, or the controlPlaneVip / controlPlaneEndpoint variable",
    reason: "the endpoint is in every node's kubelet.conf, every kubeconfig and the certificates kubeadm issued; kubeadm does not move it",
    instead: "set it back (to move the endpoint, point the old name or address at the new one outside clusterkit)",
  },
  etcd: {
    field: "the etcd topology",
    reason: "moving etcd between stacked and external needs a migration of its data",
    instead: "keep it",
  },
};

export interface FixedSettingChange {
  setting: keyof FixedSettings;
  message: string;
  hint: string;
}

/** Each fixed setting that differs, with the refusal's words; empty when none does. */
export function fixedSettingChanges(olds: FixedSettings, news: FixedSettings): FixedSettingChange[] {
  return (Object.keys(why) as (keyof FixedSettings)[])
    .filter((k) => olds[k] !== news[k])
    .map((k) => ({
      setting: k,
      message: `${why[k].field} changed from ${JSON.stringify(olds[k])} to ${JSON.stringify(news[k])}, which cannot change on a running cluster: ${why[k].reason}`,
      hint: why[k].instead,
    }));
}

/**
 * The config `kubeadm init phase control-plane|etcd|certs|addon --config` reads on a control
 * plane: this node's own InitConfiguration (where its API server listens, its registration; no
 * bootstrap token, no certificate key: nothing here is secret), the ClusterConfiguration and
 * kube-proxy's configuration (`addon kube-proxy` would otherwise apply kubeadm's defaults).
 */
export function reconfigureConfig(spec: ClusterSpec, node: NodeSpec): string {
  const init = {
    apiVersion: kubeadmApiVersion,
    kind: "InitConfiguration",
    nodeRegistration: nodeRegistration(spec, node),
    localAPIEndpoint: { advertiseAddress: nodeAddress(node), bindPort: apiServerBindPort(spec) },
  };
  const proxy = kubeProxyConfiguration(spec);
  return toYamlDocs([init, clusterConfiguration(spec), ...(proxy ? [proxy] : [])]);
}

/** Where kube-proxy's DaemonSet finds its kubeconfig (kubeadm's addon mounts it there). */
export const kubeProxyKubeconfig = "/var/lib/kube-proxy/kubeconfig.conf";

/**
 * The data of the ConfigMaps kubeadm keeps the cluster-wide configuration in, by ConfigMap and
 * key, as `kubectl patch --type merge` writes them (other keys, e.g. kube-proxy's
 * kubeconfig.conf, stay). kube-proxy's config keeps the kubeconfig kubeadm's addon points it at.
 */
export function configMapData(spec: ClusterSpec): { "kubeadm-config": Record<string, string>; "kubelet-config": Record<string, string>; "kube-proxy": Record<string, string> | null } {
  const proxy = kubeProxyConfiguration(spec);
  return {
    "kubeadm-config": { ClusterConfiguration: toYaml(clusterConfiguration(spec)) },
    "kubelet-config": { kubelet: toYaml(kubeletConfiguration(spec)) },
    "kube-proxy": proxy ? { "config.conf": toYaml({ ...proxy, clientConnection: { kubeconfig: kubeProxyKubeconfig } }) } : null,
  };
}

/** Which ConfigMap holds what a component reads (null: nothing cluster-wide to edit first). */
export function configMapOf(c: Component): "kubeadm-config" | "kubelet-config" | "kube-proxy" | null {
  if (c === "kubelet") return "kubelet-config";
  if (c === "kube-proxy") return "kube-proxy";
  return "kubeadm-config";
}
