/**
 * The removal of a node, in order: cordon and drain through the eviction API (PodDisruptionBudgets
 * hold, also for a dead node, whose pods are then not waited for), remove a control plane's etcd member, `kubeadm reset` and clean-up on the host, delete the
 * node object. Each step checks first, so a removal interrupted halfway resumes where it stopped.
 */
import { isSshError } from "../../ssh";
import { cordon, deleteNode, drain, getNode, kubeletGone } from "../cluster/kubectl";
import { listMembers, memberAt, removeMember } from "../cluster/etcd";
import { log } from "../context";
import type { Phase } from "../phase";
import { hostFacts } from "../probe";
import type { TeardownContext } from "./context";
import { resetHost } from "./reset";

export const readNode: Phase<TeardownContext> = {
  name: "read-node",
  async needed(ctx) {
    return !!ctx.admin;
  },
  async run(ctx) {
    ctx.node = await getNode(ctx.admin!, ctx.inputs.name, "delete");
  },
};

export const drainNode: Phase<TeardownContext> = {
  name: "drain",
  async needed(ctx) {
    return !!ctx.admin && !!ctx.node;
  },
  async run(ctx) {
    if (!ctx.node!.unschedulable) await cordon(ctx.admin!, ctx.host.name, "delete/cordon");
    const gone = kubeletGone(ctx.node!);
    if (gone) log(`${ctx.label}: the node's kubelet stopped posting status (${ctx.node!.message ?? "NodeStatusUnknown"}); its pods are evicted without waiting for a kubelet that cannot confirm`);
    await drain(ctx.admin!, ctx.host.name, "delete/drain", { kubeletGone: gone });
  },
};

export const removeEtcdMember: Phase<TeardownContext> = {
  name: "remove-etcd-member",
  async needed(ctx) {
    if (ctx.inputs.role !== "control-plane" || !ctx.admin) return false;
    return !!memberAt(await listMembers(ctx.admin, this.name), ctx.host.address);
  },
  async run(ctx) {
    const m = memberAt(await listMembers(ctx.admin!, this.name), ctx.host.address)!;
    await removeMember(ctx.admin!, m.id, `delete/${this.name}`);
  },
};

export const resetNode: Phase<TeardownContext> = {
  name: "kubeadm-reset",
  async needed(ctx) {
    try {
      return (await hostFacts(ctx.host, this.name)).traces;
    } catch (e) {
      // A host that is gone cannot be reset; the cluster side is still cleaned up.
      if (!isSshError(e, "connect")) throw e;
      log(`${ctx.label}: host unreachable, skipping kubeadm reset (${e.failure.message})`);
      return false;
    }
  },
  async run(ctx) {
    await resetHost(ctx.host, `delete/${this.name}`);
  },
};

export const deleteNodeObject: Phase<TeardownContext> = {
  name: "delete-node",
  async needed(ctx) {
    return !!ctx.admin && !!ctx.node;
  },
  async run(ctx) {
    await deleteNode(ctx.admin!, ctx.host.name, `delete/${this.name}`);
  },
};

export const teardownSteps = [readNode, drainNode, removeEtcdMember, resetNode, deleteNodeObject];
