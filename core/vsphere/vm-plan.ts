/**
 * The vSphere layout of a cluster, decided from the spec alone: one VM per node with its size and
 * tags, the DRS anti-affinity groups, and the disks of each clone measured against the template.
 * The component only turns these into resources.
 */
import { ClusterkitError, type Issue } from "../errors";
import type { ClusterSpec, NodeSpec } from "../spec";

export interface VmSize {
  cpus: number;
  memoryMiB: number;
  diskGiB: number;
}

export function vmSize(node: NodeSpec): VmSize {
  if (node.size.kind !== "vm") throw new Error(`node ${node.name} has no VM size (kind ${node.size.kind}); vSphere nodes are resolved with one`);
  const { cpus, memoryMiB, diskGiB } = node.size;
  return { cpus, memoryMiB, diskGiB };
}

/** Where the node's size was set, for messages about it. */
function sizeField(spec: ClusterSpec, node: NodeSpec): { file: string; path: string } {
  return { file: `blueprints/${spec.blueprint}.yaml`, path: node.pool ? `nodePools.${node.pool}.size.diskGiB` : "controlPlane.size.diskGiB" };
}

export function vmAnnotation(spec: ClusterSpec, node: NodeSpec): string {
  const what = node.role === "control-plane" ? "control plane" : `worker (pool ${node.pool})`;
  return `Kubernetes ${what} of cluster ${spec.name} (stack ${spec.stack}, blueprint ${spec.blueprint}). Managed by clusterkit through Pulumi.`;
}

export interface AntiAffinityGroup {
  /** DRS rule name, unique within the compute cluster. */
  name: string;
  nodes: string[];
}

/**
 * VMs DRS keeps on separate ESXi hosts: the control planes (an etcd quorum must survive a host
 * failure), and each worker pool (its replicas spread). A group of one needs no rule.
 */
export function antiAffinityGroups(spec: ClusterSpec): AntiAffinityGroup[] {
  const groups: AntiAffinityGroup[] = [{ name: `${spec.name}-control-plane`, nodes: spec.nodes.filter((n) => n.role === "control-plane").map((n) => n.name) }];
  for (const pool of spec.nodePools) {
    groups.push({ name: `${spec.name}-pool-${pool.name}`, nodes: spec.nodes.filter((n) => n.pool === pool.name).map((n) => n.name) });
  }
  return groups.filter((g) => g.nodes.length > 1);
}

export const roleTagKey = "clusterkit.dev/role";

/**
 * vCenter tag category names are global to the vCenter, so each cluster gets its own categories
 * (`clusterkit.dev/stack (vsphere-fra1)`); stacks sharing a vCenter never fight over them.
 */
export function tagCategoryName(spec: ClusterSpec, key: string): string {
  return `${key} (${spec.name})`;
}

/** Every tag key of the cluster: the spec's tags plus the node role. */
export function tagKeys(spec: ClusterSpec): string[] {
  return [...Object.keys(spec.tags), roleTagKey];
}

/** The tags one VM carries, as [category key, tag name]. */
export function vmTags(spec: ClusterSpec, node: NodeSpec): [string, string][] {
  return [...Object.entries(spec.tags), [roleTagKey, node.role]];
}

export interface TemplateDisk {
  size: number;
  thinProvisioned: boolean;
  eagerlyScrub: boolean;
  unitNumber: number;
}

export interface CloneDisk {
  label: string;
  size: number;
  unitNumber: number;
  thinProvisioned: boolean;
  eagerlyScrub: boolean;
}

/**
 * The clone's disks: the template's, in order and with its provisioning, the first (the root disk)
 * grown to the node's size. vSphere cannot shrink a cloned disk, and a linked clone shares the
 * template's disk, so its size must match exactly.
 */
export function cloneDisks(spec: ClusterSpec, node: NodeSpec, template: { name: string; disks: TemplateDisk[] }, linkedClone: boolean): CloneDisk[] {
  const want = vmSize(node).diskGiB;
  const at = sizeField(spec, node);
  const issues: Issue[] = [];
  if (template.disks.length === 0) {
    issues.push({ file: `stacks/Pulumi.${spec.stack}.yaml`, path: "config.clusterkit:variables.template", message: `template ${template.name} has no disk to clone` });
  } else {
    const root = template.disks[0].size;
    if (linkedClone && want !== root) {
      issues.push({ ...at, message: `a linked clone keeps the template's root disk size; template ${template.name} has ${root} GiB`, expected: `${root}`, found: `${want}`, hint: "set this size to the template's, or turn platform.linkedClone off to grow the disk" });
    } else if (want < root) {
      issues.push({ ...at, message: `vSphere cannot shrink a cloned disk; template ${template.name} has a ${root} GiB root disk`, expected: `>= ${root}`, found: `${want}` });
    }
  }
  if (issues.length) throw new ClusterkitError(issues);
  return template.disks.map((d, i) => ({
    label: `disk${i}`,
    size: i === 0 ? want : d.size,
    unitNumber: d.unitNumber,
    thinProvisioned: d.thinProvisioned,
    eagerlyScrub: d.eagerlyScrub,
  }));
}
