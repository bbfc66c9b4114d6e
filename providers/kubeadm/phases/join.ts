/**
 * `kubeadm join` with a bootstrap token made for this node alone (15 minutes, deleted after use).
 * Control planes also take the certificate key, and any stale etcd member with their address is
 * removed first (a member left by an earlier failed join would count against quorum), as is a node
 * object left under the node's name. The command
 * re-checks under the host's kubeadm lock that the node has not joined meanwhile.
 *
 * etcd refuses a new member (even a learner) while any voting member is unreachable. When a dead
 * control plane is replaced, it has left the inventory and a new host takes its place in the same
 * `pulumi up`, which deletes the old node only after the new one joined; so before a control-plane
 * join, a member that belongs to no control plane in the inventory and does not answer is removed,
 * under the same quorum rule as a removal (its node is deleted later, its unreachable host skipped).
 */
import { ClusterkitError } from "../../../core/errors";
import type { RemoteHost } from "../../ssh";
import { memberAt, quorumAfterRemoval, quorumLostProblem, quorumRunbook, quorumState, removeMember } from "../cluster/etcd";
import { log } from "../context";
import { deleteNode, getNode } from "../cluster/kubectl";
import { certificateKey, createJoinToken, deleteJoinToken, forgetCertificateKey } from "../cluster/tokens";
import { kubeletKubeconfigPath, underLock } from "../paths";
import type { Phase } from "../phase";
import { kubeadmConfig, type RuntimeSecrets } from "./files";
import { facts, invalidate, peerAdmin, where, type NodeContext } from "./node-context";

const JOIN_TIMEOUT_MS = 10 * 60_000;

async function admin(ctx: NodeContext, step: string): Promise<RemoteHost> {
  const a = await peerAdmin(ctx, step);
  if (!a) {
    throw ClusterkitError.failure(where(ctx), step, "no initialised control plane answers, so there is nothing to join", "the first control plane must be up: check it is reachable over SSH and holds /etc/kubernetes/admin.conf");
  }
  return a;
}

async function runJoin(ctx: NodeContext, a: RemoteHost, step: string, extra: RuntimeSecrets): Promise<void> {
  // This host has no kubelet.conf, so a node object by its name is left from before (the host was
  // reset or reinstalled); kubeadm refuses to join under the name of a Ready node.
  const stale = getNode(a, ctx.inputs.name, step);
  stale.catch(() => undefined); // awaited below; only there may it fail the join
  const creds = await createJoinToken(a, step);
  const secrets = { bootstrapToken: creds.token, caCertHash: creds.caCertHash, ...extra };
  try {
    if (await stale) await deleteNode(a, ctx.inputs.name, `${step} (stale node object)`);
    await ctx.host.writeFile(kubeadmConfig(ctx.inputs, secrets), step);
    await ctx.host.run(underLock(`if [ -f ${kubeletKubeconfigPath} ]; then echo "clusterkit: already joined"; exit 0; fi\n${ctx.inputs.kubeadmCommand.join(" ")}`), {
      step,
      mutating: true,
      timeoutMs: JOIN_TIMEOUT_MS,
      secrets: [creds.token, ...(extra.certificateKey ? [extra.certificateKey] : [])],
    });
    ctx.joinedNow = true;
  } finally {
    await deleteJoinToken(a, creds.token, step);
    invalidate(ctx);
  }
}

const needsJoin = async (ctx: NodeContext, step: string) => !ctx.inputs.init && !(await facts(ctx, step)).kubeletConf;

export const joinWorker: Phase<NodeContext> = {
  name: "kubeadm-join",
  async needed(ctx) {
    return ctx.inputs.role === "worker" && (await needsJoin(ctx, this.name));
  },
  async run(ctx) {
    await runJoin(ctx, await admin(ctx, this.name), this.name, {});
  },
};

/** Control-plane joins of one cluster run one at a time in this process, whatever the engine does. */
const controlPlaneQueue = new Map<string, Promise<unknown>>();

function oneAtATime<T>(cluster: string, fn: () => Promise<T>): Promise<T> {
  const prev = controlPlaneQueue.get(cluster) ?? Promise.resolve();
  const next = prev.then(fn, fn);
  controlPlaneQueue.set(cluster, next.catch(() => undefined));
  return next;
}

/**
 * Refuses the join while etcd has no quorum (no member can be added then; removing the dead ones
 * cannot give one back), then removes departed members that do not answer.
 */
async function prepareEtcdMembership(ctx: NodeContext, a: RemoteHost, step: string): Promise<void> {
  const state = await quorumState(a, step);
  let members = state.members;
  if (state.quorum.lost) {
    const p = quorumLostProblem(state.quorum, ctx.inputs.cluster);
    throw ClusterkitError.failure(where(ctx), step, `refusing to join ${ctx.inputs.name}: ${p.message}`, p.hint);
  }
  const stale = memberAt(members, ctx.host.address);
  if (stale) {
    await removeMember(a, stale.id, `${step} (stale etcd member ${stale.name || stale.id})`);
    members = members.filter((x) => x.id !== stale.id);
  }
  const departed = members.filter((m) => !ctx.inputs.controlPlanes.some((c) => memberAt([m], c.address)));
  const health = state.health;
  for (const m of departed.filter((d) => !health.get(d.id))) {
    const q = quorumAfterRemoval(members, health, m);
    if (!q.ok) {
      throw ClusterkitError.failure(
        where(ctx),
        step,
        `etcd member ${m.name || m.id} belongs to no control plane in the inventory and does not answer; etcd admits no new member while it is there, and removing it would leave ${q.healthy} healthy of ${q.remaining}, short of a quorum of ${q.needed}`,
        `bring enough control planes back first, or restore etcd from a snapshot: ${quorumRunbook}`,
      );
    }
    log(`${ctx.label}: removing etcd member ${m.name || m.id}: no control plane in the inventory has it, and it does not answer`);
    await removeMember(a, m.id, `${step} (departed etcd member ${m.name || m.id})`);
    members = members.filter((x) => x.id !== m.id);
  }
}

export const joinControlPlane: Phase<NodeContext> = {
  name: "kubeadm-join-control-plane",
  async needed(ctx) {
    return ctx.inputs.role === "control-plane" && (await needsJoin(ctx, this.name));
  },
  async run(ctx) {
    const step = this.name;
    await oneAtATime(ctx.inputs.cluster, async () => {
      const a = await admin(ctx, step);
      await prepareEtcdMembership(ctx, a, step);
      const key = await certificateKey(a, ctx.inputs.cluster, step);
      try {
        await runJoin(ctx, a, step, { certificateKey: key });
      } catch (e) {
        // The key may have expired early or been replaced by an upload elsewhere: next run uploads again.
        forgetCertificateKey(ctx.inputs.cluster);
        throw e;
      }
    });
  },
};
