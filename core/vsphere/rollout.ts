/**
 * Rolling VMs onto a new template or size. vSphere clones a VM from its template only when it
 * creates it, so a new template means new VMs; clusterkit keeps CPU and memory hot-add off, so a
 * new size means a powered-off VM, and the roll replaces it rather than stopping every VM at once.
 * Each node keeps its name and static address (its identity in the inventory and in the API
 * server's certificates and etcd's member list), so the old VM goes before the new one is cloned: drain, remove the etcd member, delete, clone, join, Ready; then
 * the next. This is Cluster API's `maxSurge: 0` rollout. A surge VM would need a spare name and
 * address per node.
 *
 * Control planes go one at a time in list order, then workers in `upgrades.workerBatchSize`
 * batches. Taking one control plane out leaves etcd one member short while the new one joins, so
 * the roll needs at least three control planes. A DHCP node cannot be rolled: every node's kubeadm
 * inputs carry each control plane's address, and a new VM's lease is known only after it exists.
 */
import { ClusterkitError } from "../errors";

export interface RolloutNode {
  name: string;
  role: "control-plane" | "worker";
}

/** The batches a roll goes through, in order: each control plane alone, then the workers. */
export function rolloutBatches(nodes: RolloutNode[], workerBatchSize: number): string[][] {
  const cps = nodes.filter((n) => n.role === "control-plane").map((n) => [n.name]);
  const workers = nodes.filter((n) => n.role === "worker").map((n) => n.name);
  const size = Math.max(1, workerBatchSize);
  const batches: string[][] = [];
  for (let i = 0; i < workers.length; i += size) batches.push(workers.slice(i, i + size));
  return [...cps, ...batches];
}

/** The nodes whose Kubernetes node must be back before this node's VM may go: every earlier batch. */
export function rolloutPredecessors(batches: string[][], node: string): string[] {
  const at = batches.findIndex((b) => b.includes(node));
  return at <= 0 ? [] : batches.slice(0, at).flat();
}

/** At least this many control planes for one to be rolled: etcd keeps a majority while one is out. */
export const minControlPlanesToRoll = 3;

/** What decides whether a node's VM can be replaced one node at a time. */
export interface RollSubject {
  /** Older guard state has neither: a worker with static addresses and enough control planes. */
  role?: "control-plane" | "worker";
  controlPlanes?: number;
  /** Whether the node takes a DHCP lease. */
  dhcp?: boolean;
}

/**
 * Why the node's VM cannot be replaced one node at a time, with the way round; null when it can.
 * The program (which marks the VM's size as replace-on-change) and the guard (which records the
 * roll) both decide with this, from the same inputs.
 */
export function rollBlocker(subject: RollSubject): { why: string; hint: string } | null {
  if (subject.dhcp) {
    return {
      why: "clusterkit replaces VMs one node at a time only with static addresses (a new VM's DHCP lease is known only after it exists, and every node's kubeadm settings carry the control planes' addresses)",
      hint: "give the nodes static addresses (nodeIps and nodeCidr in the stack) first",
    };
  }
  const cps = subject.controlPlanes ?? minControlPlanesToRoll;
  if (subject.role === "control-plane" && cps < minControlPlanesToRoll) {
    return {
      why: `with ${cps} control plane${cps === 1 ? "" : "s"} the old VM's etcd member would go before the new one joins, leaving ${cps === 1 ? "no etcd at all" : "etcd a single member, which one more failure takes down"}`,
      hint: `add control planes first (controlPlane.count: ${minControlPlanesToRoll} in the blueprint)`,
    };
  }
  return null;
}

export interface TemplateSubject extends RollSubject {
  node: string;
  stack: string;
  /** The blueprint, for a change of `platform.linkedClone`. */
  file: string;
}

export type TemplateDecision = { kind: "unchanged" } | { kind: "roll"; from: string };

/** How a VM is cloned: all fixed when vSphere creates it (the provider's `clone` block). */
export interface CloneSource {
  template?: string;
  /** The template's UUID: Packer and other image builders replace a template under its old name. */
  templateUuid?: string;
  linkedClone?: boolean;
}

/**
 * Whether the node's VM is cloned again (another template, the same template rebuilt, or a linked
 * clone where there was a full one or back), and whether that can be done one node at a time;
 * throws the refusal otherwise. State from before the guard recorded one records it now.
 */
export function checkTemplate(subject: TemplateSubject, prev: CloneSource, next: CloneSource): TemplateDecision {
  const differs = <K extends keyof CloneSource>(k: K) => prev[k] !== undefined && next[k] !== undefined && prev[k] !== next[k];
  const template = differs("template");
  const rebuilt = !template && differs("templateUuid");
  const linked = differs("linkedClone");
  if (!template && !rebuilt && !linked) return { kind: "unchanged" };
  const templateField = { file: `stacks/Pulumi.${subject.stack}.yaml`, path: "config.clusterkit:variables.template" };
  const where = template
    ? { ...templateField, expected: JSON.stringify(prev.template), found: JSON.stringify(next.template), what: "a new template" }
    : rebuilt
      ? { ...templateField, expected: `template ${prev.templateUuid}`, found: `template ${next.templateUuid}`, what: `template ${JSON.stringify(next.template)}, rebuilt under its old name (vCenter reports a new UUID),` }
      : { file: subject.file, path: "platform.linkedClone", expected: String(prev.linkedClone), found: String(next.linkedClone), what: "another kind of clone" };
  const blocker = rollBlocker(subject);
  if (blocker) {
    throw new ClusterkitError([
      {
        file: where.file,
        path: where.path,
        message: `${where.what} means a new VM for ${subject.node} (vSphere clones a VM from its template only when it creates it), and ${blocker.why}; nothing was changed`,
        expected: where.expected,
        found: where.found,
        hint: `${blocker.hint}; or keep the VMs as they are and patch them in place one node at a time: osPatches: { kind: rolling, round: <name> } (README, "OS patches")`,
      },
    ]);
  }
  return { kind: "roll", from: rebuilt ? `${prev.template} (${prev.templateUuid})` : (prev.template ?? next.template ?? "") };
}
