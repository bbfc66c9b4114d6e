/** Per-node facts the kubeadm configs need: address, taints, labels kubelet may set, the API endpoint. */
import { ClusterkitError, type Issue } from "../../errors";
import type { ClusterSpec, NodeSpec, Taint } from "../../spec";

export const controlPlaneTaint: Taint = { key: "node-role.kubernetes.io/control-plane", effect: "NoSchedule" };

/** The node's address; vSphere nodes on DHCP get theirs later, so callers pass `{ ...node, address }`. */
export function nodeAddress(node: NodeSpec): string {
  if (!node.address) {
    throw ClusterkitError.failure("(rendered kubeadm config)", `nodes.${node.name}.address`, `node ${node.name} has no address yet`, "pass { ...node, address } once the VM has its lease");
  }
  return node.address;
}

export function findNode(spec: ClusterSpec, name: string): NodeSpec {
  const node = spec.nodes.find((n) => n.name === name);
  if (!node) throw ClusterkitError.failure("(rendered kubeadm config)", "nodes", `no node named ${JSON.stringify(name)} in stack ${spec.stack}`);
  return node;
}

/** The control plane `kubeadm init` runs on: the first one, as `spec.nodes` lists them in join order. */
export function firstControlPlane(spec: ClusterSpec): NodeSpec {
  const cp = spec.nodes.find((n) => n.role === "control-plane");
  if (!cp) throw ClusterkitError.failure("(rendered kubeadm config)", "nodes", `stack ${spec.stack} has no control-plane node`);
  return cp;
}

/** kubeadm leaves `taints` unset → control-plane taint; an explicit list replaces it, so we add it back. */
export function nodeTaints(node: NodeSpec): Taint[] {
  const own = node.taints.map((t) => ({ ...t }));
  if (node.role !== "control-plane" || own.some((t) => t.key === controlPlaneTaint.key)) return own;
  return [{ ...controlPlaneTaint }, ...own];
}

// kubelet refuses to start when --node-labels sets a kubernetes.io/k8s.io label outside these
// (NodeRestriction would reject them anyway); we fail at render time instead of at boot.
const kubeletAllowedLabels = new Set([
  "kubernetes.io/hostname",
  "kubernetes.io/os",
  "kubernetes.io/arch",
  "beta.kubernetes.io/os",
  "beta.kubernetes.io/arch",
  "beta.kubernetes.io/instance-type",
  "node.kubernetes.io/instance-type",
  "topology.kubernetes.io/region",
  "topology.kubernetes.io/zone",
  "failure-domain.beta.kubernetes.io/region",
  "failure-domain.beta.kubernetes.io/zone",
]);
const kubeletAllowedNamespaces = ["kubelet.kubernetes.io", "node.kubernetes.io"];

function kubeletMaySet(key: string): boolean {
  const slash = key.indexOf("/");
  if (slash < 0) return true;
  const ns = key.slice(0, slash);
  const reserved = ["kubernetes.io", "k8s.io"].some((d) => ns === d || ns.endsWith(`.${d}`));
  if (!reserved) return true;
  return kubeletAllowedLabels.has(key) || kubeletAllowedNamespaces.some((d) => ns === d || ns.endsWith(`.${d}`));
}

/** `k=v,k2=v2` for kubelet's --node-labels, sorted; throws when kubelet would refuse a label. */
export function nodeLabelsArg(spec: ClusterSpec, node: NodeSpec): string | null {
  const bad = Object.keys(node.labels).filter((k) => !kubeletMaySet(k));
  if (bad.length) {
    const pool = node.pool ? spec.nodePools.find((p) => p.name === node.pool) : undefined;
    const issues: Issue[] = bad.map((key) =>
      pool && key in pool.labels
        ? { file: `blueprints/${spec.blueprint}.yaml`, path: `nodePools.${pool.name}.labels.${key}`, message: "kubelet may not set this label on itself", found: JSON.stringify(key), hint: "use your own prefix (e.g. clusterkit.dev/...), or node-role labels via kubectl after the join" }
        : { file: `stacks/Pulumi.${spec.stack}.yaml`, path: `config.clusterkit:variables.hosts[name=${node.name}].labels.${key}`, message: "kubelet may not set this label on itself", found: JSON.stringify(key), hint: "use your own prefix (e.g. clusterkit.dev/...)" },
    );
    throw new ClusterkitError(issues);
  }
  const pairs = Object.entries(node.labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return pairs.length ? pairs.map(([k, v]) => `${k}=${v}`).join(",") : null;
}

/** Port the API server listens on: the endpoint's own port unless a load balancer sits in front. */
export function apiServerBindPort(spec: ClusterSpec): number {
  const ep = spec.controlPlane.endpoint;
  if (ep.kind === "external-lb" || ep.kind === "eks-managed") return 6443;
  return ep.port;
}

function hostPort(host: string, port: number): string {
  return host.includes(":") ? `[${host}]:${port}` : `${host}:${port}`;
}

/** `host:port` every node and kubeconfig uses to reach the API server. */
export function controlPlaneEndpoint(spec: ClusterSpec): string {
  const ep = spec.controlPlane.endpoint;
  if (ep.kind === "eks-managed") throw ClusterkitError.failure("(rendered kubeadm config)", "controlPlane.endpoint", "kubeadm configs are not rendered for EKS");
  const host = ep.host ?? firstControlPlane(spec).address;
  if (!host) {
    throw ClusterkitError.failure("(rendered kubeadm config)", "controlPlane.endpoint.host", "the first control plane has no address yet", "pass the spec with the first control plane's address filled in");
  }
  return hostPort(host, ep.port);
}
