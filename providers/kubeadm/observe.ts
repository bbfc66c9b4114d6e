/**
 * What `pulumi refresh` sees of a node: versions, kubelet, registration and readiness, the config
 * hash applied last and, on control planes, etcd membership. Read-only. `drift` lists only what an
 * update can converge (a node that is not joined or registered, a half-joined control plane, a
 * config that changed); versions and readiness are reported but repaired elsewhere (the host
 * steps pin versions; readiness waits for the CNI).
 */
import { isSshError, registerSecret } from "../ssh";
import { certificateExpiry, daysLeft } from "./cluster/certs";
import { getNode } from "./cluster/kubectl";
import { isVotingMember, listMembers, memberAt } from "./cluster/etcd";
import { adminKubeconfigPath } from "./paths";
import { anyAdmin, peerAdmin, type NodeContext } from "./phases/node-context";
import { hostFacts, kubeadmDone, type HostFacts } from "./probe";
import { newestBundle } from "./cluster/etcd-schedule";
import { readNodeBundles, scheduleFiles, staleness } from "./phases/etcd-snapshot-schedule";
import type { Observed, ObservedSnapshots } from "./types";

const STEP = "observe";

export const unobserved: Observed = {
  reachable: false,
  kubeletVersion: null,
  kubeadmVersion: null,
  kubeletActive: false,
  registered: false,
  ready: false,
  readyReason: null,
  appliedConfigHash: null,
  etcdMember: null,
  drift: [],
};

export async function observe(ctx: NodeContext): Promise<Observed> {
  let f: HostFacts;
  try {
    f = ctx.facts ?? (await hostFacts(ctx.host, STEP, ctx.inputs.init));
  } catch (e) {
    if (!isSshError(e, "connect")) throw e;
    return { ...unobserved, drift: [`host unreachable: ${e.failure.message}`] };
  }
  const done = kubeadmDone(f, ctx.inputs.init);
  // An init node whose init did not complete holds an admin.conf whose API does not answer.
  const admin = done ? await anyAdmin(ctx, STEP) : await peerAdmin(ctx, STEP);
  const isCp = ctx.inputs.role === "control-plane";
  const [node, members] = admin ? await Promise.all([getNode(admin, ctx.inputs.name, STEP), isCp ? listMembers(admin, STEP) : null]) : [null, null];
  const member = isCp && members ? memberAt(members, ctx.inputs.address) : undefined;
  const etcdMember: boolean | null = isCp && members ? !!member && isVotingMember(member) : null;
  const drift: string[] = [];
  if (!done) drift.push(ctx.inputs.init ? "kubeadm init has not completed" : "the node has not joined");
  else if (admin && !node) drift.push("the node is not registered in the cluster");
  if (etcdMember === false && done) drift.push(member?.started && member.learner ? "its etcd member is a learner that was never promoted" : "no started etcd member for this control plane");
  if (done && f.apiServerRestartPending) drift.push("kube-apiserver has not restarted since a file it reads at start-up changed");
  if (done && f.authnReloadPending) drift.push("kube-apiserver has not confirmed reloading the changed authentication configuration");
  if (done && f.reconfigurePending.length) drift.push(`a reconfiguration of ${f.reconfigurePending.join(", ")} started here and did not finish; pulumi up resumes it`);
  const expiry = isCp && done ? await certificateExpiry(ctx.host, STEP).catch(() => null) : null;
  const renewBefore = ctx.inputs.renewCertificatesBeforeDays;
  if (expiry && renewBefore !== undefined && daysLeft(expiry.date) < renewBefore) {
    drift.push(`its certificates expire on ${expiry.date.toISOString().slice(0, 10)} (${expiry.name}, ${daysLeft(expiry.date)} days left); pulumi up renews them`);
  }
  if (done && f.appliedHash !== ctx.inputs.configHash) drift.push(f.appliedHash ? "the applied kubeadm configuration differs from the rendered one" : "no applied configuration recorded");
  const round = ctx.inputs.osPatches?.round;
  if (done && round && f.osPatchDone !== round) drift.push(`OS patch round ${round} has not finished here (last finished: ${f.osPatchDone ?? "none"}); pulumi up resumes it`);
  const etcdSnapshots = isCp && done && ctx.inputs.etcdSnapshots ? await observeSnapshots(ctx, drift) : null;
  return {
    reachable: true,
    kubeletVersion: f.kubeletVersion,
    kubeadmVersion: f.kubeadmVersion,
    kubeletActive: f.kubeletActive,
    registered: !!node,
    ready: node?.ready ?? false,
    readyReason: node && !node.ready ? node.reason : null,
    appliedConfigHash: f.appliedHash,
    etcdMember,
    etcdSnapshots,
    osPatchRound: f.osPatchDone,
    certificatesExpire: expiry ? expiry.date.toISOString() : null,
    drift,
  };
}

/** The scheduled snapshots on this control plane: the newest one's age and size, and what an update would fix. */
async function observeSnapshots(ctx: NodeContext, drift: string[]): Promise<ObservedSnapshots> {
  const [b, stale] = await Promise.all([readNodeBundles(ctx, STEP), ctx.host.staleFiles(scheduleFiles(ctx.inputs), STEP)]);
  if (stale.length) drift.push(`the etcd snapshot schedule's ${stale.map((x) => x.path.replace(/^.*\//, "")).join(", ")} differ from the rendered ones`);
  if (!b.timer.active) drift.push("the etcd snapshot timer is not running");
  const why = staleness(b, ctx.inputs.etcdSnapshots!.maxAgeHours);
  if (why) drift.push(why);
  return { newest: newestBundle(b), onNode: b.bundles.length, lastFailure: b.failure, timerActive: b.timer.active };
}

/** The admin kubeconfig from the first control plane (a secret from here on). */
export async function readKubeconfig(ctx: NodeContext): Promise<string> {
  const out = (await ctx.host.run(`cat ${adminKubeconfigPath}`, { step: "kubeconfig", mutating: false })).stdout;
  registerSecret(out);
  return out;
}
