/**
 * A node that started joining but did not finish is cleaned before the retry: kubeadm's files
 * without a kubelet.conf; a kubelet.conf but no node object in the cluster; or, on a control
 * plane, no API server manifest, or no started etcd member that votes. kubeadm adds a control
 * plane's member as a learner and promotes it once it caught up; a join that failed in between
 * leaves a started learner, which counts for no quorum and must not pass for joined. The node
 * object and any etcd member with its address go too. A node that cannot be judged (no control
 * plane answers) is left alone: a healthy node must never be reset on a guess.
 */
import { getNode, deleteNode } from "../cluster/kubectl";
import { isVotingMember, listMembers, memberAt, removeMember, type EtcdMember } from "../cluster/etcd";
import type { Phase } from "../phase";
import { resetHost } from "../teardown/reset";
import { facts, invalidate, peerAdmin, type NodeContext } from "./node-context";

export type Verdict = { half: false } | { half: true; why: string };

async function judge(ctx: NodeContext, step: string): Promise<Verdict> {
  const f = await facts(ctx, step);
  if (!f.kubeletConf) return f.traces ? { half: true, why: "kubeadm files without a kubelet.conf" } : { half: false };
  const admin = await peerAdmin(ctx, step);
  if (!admin) return { half: false };
  if (!(await getNode(admin, ctx.host.name, step))) return { half: true, why: "kubelet.conf present but the node is not registered" };
  if (ctx.inputs.role !== "control-plane") return { half: false };
  if (!f.apiServerManifest) return { half: true, why: "registered, but no API server manifest" };
  return etcdVerdict(memberAt(await listMembers(admin, step), ctx.host.address));
}

/** Whether a registered control plane's etcd member makes it joined (pure). */
export function etcdVerdict(member: EtcdMember | undefined): Verdict {
  if (!member) return { half: true, why: "no etcd member for its address" };
  if (!member.started) return { half: true, why: "its etcd member never started" };
  if (!isVotingMember(member)) return { half: true, why: "its etcd member is a learner that was never promoted" };
  return { half: false };
}

export const cleanHalfJoined: Phase<NodeContext> = {
  name: "clean-half-joined",
  async needed(ctx) {
    if (ctx.inputs.init) return false;
    const v = await judge(ctx, this.name);
    ctx.halfJoined = v.half ? v.why : undefined;
    return v.half;
  },
  async run(ctx) {
    const step = `${this.name} (${ctx.halfJoined})`;
    await resetHost(ctx.host, step);
    invalidate(ctx);
    const admin = await peerAdmin(ctx, step);
    if (!admin) return;
    if (await getNode(admin, ctx.host.name, step)) await deleteNode(admin, ctx.host.name, step);
    if (ctx.inputs.role === "control-plane") {
      const stale = memberAt(await listMembers(admin, step), ctx.host.address);
      if (stale) await removeMember(admin, stale.id, step);
    }
  },
};
