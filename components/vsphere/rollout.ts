/**
 * The order of a VM roll (a new template, clone kind or size), as resource dependencies. A VM
 * whose guard recorded a roll waits for the kubeadm nodes of every earlier batch
 * (core/vsphere/rollout.ts): the engine then replaces one batch at a time, each node drained and out of etcd before its VM goes (the
 * VM's delete-before-replace takes the node's kubeadm resources, which depend on its UUID, first)
 * and joined before the next batch starts. A VM that is not rolled waits for nothing but its
 * guard, so a new cluster still clones every VM at once. The decision comes from the guards'
 * outputs after their update; in preview they are unknown and nothing is ordered, which changes
 * nothing since preview runs no step.
 */
import * as pulumi from "@pulumi/pulumi";
import { rolloutBatches, rolloutPredecessors } from "../../core/vsphere/rollout";
import type { ClusterSpec } from "../../core/spec";
import type { VmSizeGuard } from "../../providers/vsphere-node/resources";

export class VmRollout {
  private readonly batches: string[][];
  private resolveNodes!: (nodes: ReadonlyMap<string, pulumi.Resource>) => void;
  private readonly nodes = new Promise<ReadonlyMap<string, pulumi.Resource>>((resolve) => (this.resolveNodes = resolve));

  constructor(
    spec: ClusterSpec,
    private readonly guards: Map<string, VmSizeGuard>,
  ) {
    this.batches = rolloutBatches(spec.nodes, spec.upgrades.workerBatchSize);
  }

  /** What the node's VM waits for: its guard, and in a roll the nodes of the batches before it. */
  after(node: string): pulumi.Output<pulumi.Resource[]> {
    const guard = this.guards.get(node)!;
    const before = rolloutPredecessors(this.batches, node);
    return guard.rolledFrom.apply(async (from) => {
      if (!from || !before.length) return [guard];
      const nodes = await this.nodes;
      return [guard, ...before.map((n) => nodes.get(n)!)];
    });
  }

  /** The kubeadm node of each name, once they exist (they are registered after the VMs). */
  nodesRegistered(nodes: ReadonlyMap<string, pulumi.Resource>): void {
    this.resolveNodes(nodes);
  }

  /** Nodes on a rolled VM: a new machine joins the cluster that exists, never initialises one. */
  joinOnly(): pulumi.Output<string[]> {
    const names = [...this.guards.keys()];
    return pulumi.all(names.map((n) => this.guards.get(n)!.rolledFrom)).apply((froms) => names.filter((_, i) => !!froms[i]));
  }
}
