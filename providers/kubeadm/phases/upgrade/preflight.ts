/**
 * Before a node's upgrade changes anything: the checks the issue of a half-done upgrade would
 * otherwise find. The step must be one minor (or patch) up; an unfinished upgrade to another
 * version is refused; every node is Ready; no kubelet would leave the version-skew policy. On
 * control planes: etcd is healthy, without a learner or an alarm, with one voting member per
 * control plane; the API servers agree on their version (or show the mix of a run under way); no
 * CA, nor another control plane's certificate, ends within a day; there is room for kubeadm's
 * backups (and the snapshot). The first control plane, the one that applies the upgrade, runs these
 * before any node changes, and a refusal there stops every other node of the run. A worker waits
 * until every control plane runs the target (its kubelet, the last part a control plane upgrades,
 * says so), since a kubelet may not be newer than the API servers. The first control plane takes
 * an etcd snapshot. Then the target is recorded on the node: from here the run can stop anywhere
 * and resume. The rules themselves are in checks.ts.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { ClusterkitError } from "../../../../core/errors";
import { versionStep } from "../../../../core/render/kubeadm/upgrade";
import { certificateExpiries } from "../../cluster/certs";
import { isControlPlaneNode, listNodes } from "../../cluster/kubectl";
import { apiServerVersions, backupSpace, clusterVersion, etcdSnapshot, etcdSnapshotDir, keptUpgradeSnapshots } from "../../cluster/upgrade";
import { log } from "../../context";
import type { Phase } from "../../phase";
import { anyAdmin, facts, invalidate, where, type NodeContext } from "../node-context";
import { etcdGateProblem } from "../etcd-gate";
import { apiServerVersionsProblem, backupSpaceProblem, certificateProblem, kubeletSkewProblem, type Refusal } from "./checks";
import { upgradeTargetPath, writeMarker } from "./markers";
import { failedControlPlane } from "./run-state";
import { targetOf, upgradePending, upgradeWait } from "./target";

const refuse = (ctx: NodeContext, message: string, hint: string) => ClusterkitError.failure(where(ctx), "upgrade-preflight", message, hint);

export const upgradePreflight: Phase<NodeContext> = {
  name: "upgrade-preflight",
  async needed(ctx) {
    const f = await facts(ctx, this.name);
    return upgradePending(ctx, f) && f.upgradeTarget !== targetOf(ctx);
  },
  async run(ctx) {
    const step = this.name;
    const f = await facts(ctx, step);
    const target = targetOf(ctx);
    if (f.upgradeTarget) {
      throw refuse(ctx, `an upgrade to ${f.upgradeTarget} started on this node and did not finish; this run asks for ${target}`, `set kubernetesVersion back to ${f.upgradeTarget.replace(/^v/, "")} and run pulumi up to finish that upgrade first`);
    }
    const vs = versionStep(f.kubeletVersion!, target);
    if (vs.kind === "refused") throw refuse(ctx, vs.message, vs.hint);
    const admin = await anyAdmin(ctx, step);
    if (!admin) throw refuse(ctx, "no control plane answers with the admin kubeconfig, so the cluster's state cannot be checked", "bring a control plane back, then run pulumi up again");
    const nodes = await listNodes(admin, step);
    // A cordoned node is being worked on (another worker of the batch restarting its kubelet) or out of service on purpose.
    const notReady = nodes.filter((n) => !n.ready && !n.unschedulable);
    if (notReady.length) {
      throw refuse(ctx, `node(s) not Ready: ${notReady.map((n) => `${n.name} (${n.reason})`).join(", ")}; an upgrade drains nodes, so it starts only on a healthy cluster`, "fix or remove those nodes, then run pulumi up again");
    }
    refuseIf(ctx, kubeletSkewProblem(nodes, target));
    const cp = ctx.inputs.role === "control-plane";
    // The control plane that finds the cluster still at the old version applies the upgrade: it speaks for the whole run.
    const cluster = cp ? await clusterVersion(admin, step) : null;
    const applies = cluster !== null && cluster !== target;
    if (cluster !== null) await checkControlPlane(ctx, nodes.filter(isControlPlaneNode).length, applies, cluster);
    else await waitForControlPlanes(ctx, target);
    if (applies) {
      const file = await etcdSnapshot(ctx.host, `before-${target}`, step);
      log(`${ctx.label}: etcd snapshot before the upgrade to ${target}: ${file} on ${ctx.host.name} (${etcdSnapshotDir} keeps the newest ${keptUpgradeSnapshots} of these)`);
    }
    await writeMarker(ctx.host, upgradeTargetPath, target, step);
    log(`${ctx.label}: upgrading to ${target}`);
    invalidate(ctx);
  },
};

function refuseIf(ctx: NodeContext, problem: Refusal | null): void {
  if (problem) throw refuse(ctx, problem.message, problem.hint);
}

/** etcd, the API servers' versions, certificates (this node's and, for the first, every control plane's) and disk. */
async function checkControlPlane(ctx: NodeContext, controlPlanes: number, applies: boolean, cluster: string): Promise<void> {
  const step = "upgrade-preflight";
  const target = targetOf(ctx);
  await checkEtcd(ctx, controlPlanes);
  refuseIf(ctx, apiServerVersionsProblem(await apiServerVersions([ctx.host, ...ctx.peers], step), cluster, target));
  const certHosts = applies ? [ctx.host, ...ctx.peers] : [ctx.host];
  const expiries = await Promise.all(certHosts.map(async (h) => ({ name: h.name, self: h === ctx.host, expiries: await certificateExpiries(h, step) })));
  refuseIf(ctx, certificateProblem(expiries, new Date()));
  refuseIf(ctx, backupSpaceProblem(await backupSpace(ctx.host, step), applies));
}

async function checkEtcd(ctx: NodeContext, controlPlanes: number): Promise<void> {
  refuseIf(
    ctx,
    await etcdGateProblem(ctx.host, controlPlanes, "upgrade-preflight", {
      learnerHint: "run pulumi up without the version change first, so the half-joined control plane joins again",
      verb: "upgrade",
      gerund: "upgrading",
    }),
  );
}

async function waitForControlPlanes(ctx: NodeContext, target: string): Promise<void> {
  const deadline = Date.now() + upgradeWait.controlPlanesMs;
  for (let said = false; ; ) {
    const admin = await anyAdmin(ctx, "upgrade-preflight");
    const behind = admin ? (await listNodes(admin, "upgrade-preflight")).filter((n) => isControlPlaneNode(n) && n.kubeletVersion !== target) : null;
    if (behind && !behind.length) return;
    const failed = failedControlPlane(ctx.inputs.cluster);
    if (failed || Date.now() >= deadline) {
      const why = failed ? `the upgrade of control plane ${failed} failed in this run, and` : "";
      throw refuse(ctx, `${why} control plane(s) ${behind?.map((n) => `${n.name} (${n.kubeletVersion})`).join(", ") ?? "(none answers)"} are not at ${target} yet; workers upgrade after every control plane`.trim(), "run pulumi up again once the control planes are upgraded (it resumes where it stopped)");
    }
    if (!said) log(`${ctx.label}: waiting for the control planes to reach ${target} (${behind?.map((n) => n.name).join(", ") ?? "no control plane answers"})`);
    said = true;
    await sleep(upgradeWait.intervalMs);
  }
}
