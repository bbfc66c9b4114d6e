/**
 * Scheduled etcd snapshots on a control plane (cluster/etcd-schedule.ts): the script, its service
 * and timer and the node key in place and the timer running; or, with the schedule turned off,
 * the timer stopped and the files removed (the bundles already on the node stay: they are backups).
 * When the newest bundle is older than the schedule allows (or none was ever taken), the update
 * takes one at once, so a `pulumi up` that converges also leaves a fresh snapshot behind. That
 * run's failure is reported, not fatal: a full backup disk must not stop an upgrade or a repair.
 */
import { log } from "../context";
import { failureSinceNewest, listNodeBundlesScript, newestBundle, parseNodeBundles, scheduleUnit, schedulePaths, type NodeBundles } from "../cluster/etcd-schedule";
import type { Phase } from "../phase";
import { kubeadmDone } from "../probe";
import type { RemoteFile } from "../../ssh";
import { shellQuote } from "../../ssh";
import type { NodeInputs } from "../types";
import { facts, type NodeContext } from "./node-context";

const timer = `${scheduleUnit}.timer`;
const service = `${scheduleUnit}.service`;

/** The files the schedule needs on this node, the key among them (secret). */
export function scheduleFiles(inputs: NodeInputs): RemoteFile[] {
  const s = inputs.etcdSnapshots;
  if (!s) return [];
  return [...s.files.map((f) => ({ ...f, secret: false })), { path: schedulePaths.key, content: inputs.etcdSnapshotKey ?? "", mode: "0600", secret: true }];
}

export async function readNodeBundles(ctx: NodeContext, step: string): Promise<NodeBundles> {
  return parseNodeBundles((await ctx.host.run(listNodeBundlesScript(), { step, mutating: false })).stdout, ctx.inputs.cluster);
}

/** Why the newest scheduled snapshot is not good enough, or null. */
export function staleness(b: NodeBundles, maxAgeHours: number, now = new Date()): string | null {
  const newest = newestBundle(b);
  const failure = failureSinceNewest(b);
  const failed = failure ? `; the last run failed at ${failure.at}: ${failure.what}` : "";
  if (!newest) return `no scheduled etcd snapshot on the node yet${failed}`;
  const hours = (now.getTime() - Date.parse(newest.takenAt)) / 3_600_000;
  if (hours > maxAgeHours) return `the newest scheduled etcd snapshot is ${hours.toFixed(1)} h old (backup.etcd.schedule.maxAgeHours: ${maxAgeHours})${failed}`;
  return failed ? failed.slice(2) : null;
}

interface Plan {
  stale: RemoteFile[];
  unitsChanged: boolean;
  timerRunning: boolean;
  snapshotNeeded: string | null;
  remove: boolean;
}

const plans = new WeakMap<NodeContext, Plan>();

export const etcdSnapshotSchedule: Phase<NodeContext> = {
  name: "etcd-snapshot-schedule",
  async needed(ctx) {
    if (ctx.inputs.role !== "control-plane") return false;
    if (!kubeadmDone(await facts(ctx, this.name), ctx.inputs.init)) return false;
    const s = ctx.inputs.etcdSnapshots;
    if (!s) {
      const present = await ctx.host.test(`[ -e ${schedulePaths.timer} ] || [ -e ${schedulePaths.key} ] || [ -e ${schedulePaths.script} ]`, this.name);
      plans.set(ctx, { stale: [], unitsChanged: false, timerRunning: false, snapshotNeeded: null, remove: present });
      return present;
    }
    const [stale, bundles] = await Promise.all([ctx.host.staleFiles(scheduleFiles(ctx.inputs), this.name), readNodeBundles(ctx, this.name)]);
    const plan: Plan = {
      stale,
      unitsChanged: stale.some((f) => f.path === schedulePaths.service || f.path === schedulePaths.timer),
      timerRunning: bundles.timer.active,
      snapshotNeeded: staleness(bundles, s.maxAgeHours),
      remove: false,
    };
    plans.set(ctx, plan);
    return plan.stale.length > 0 || !plan.timerRunning || plan.snapshotNeeded !== null;
  },
  async run(ctx) {
    const plan = plans.get(ctx)!;
    const step = this.name;
    if (plan.remove) {
      log(`${ctx.label}: backup.etcd.schedule is none: stopping ${timer} and removing its files (the bundles in ${schedulePaths.bundles} stay)`);
      const files = [schedulePaths.timer, schedulePaths.service, schedulePaths.script, schedulePaths.key].map(shellQuote).join(" ");
      await ctx.host.run(`systemctl disable --now ${timer} 2>/dev/null || true\nrm -f ${files}\nsystemctl daemon-reload`, { step, mutating: true });
      return;
    }
    if (plan.stale.length) {
      log(`${ctx.label}: writing ${plan.stale.map((f) => f.path).join(", ")}`);
      await ctx.host.writeFiles(plan.stale, step);
    }
    if (plan.unitsChanged || !plan.timerRunning) {
      // A changed timer is restarted, so its new OnCalendar= applies now rather than at the next boot.
      await ctx.host.run(`systemctl daemon-reload\nsystemctl enable ${timer}\nsystemctl ${plan.unitsChanged ? "restart" : "start"} ${timer}`, { step, mutating: true });
      log(`${ctx.label}: ${timer} enabled and running`);
    }
    if (plan.snapshotNeeded) {
      log(`${ctx.label}: ${plan.snapshotNeeded}; taking one now`);
      try {
        await ctx.host.run(`systemctl start ${service}`, { step, mutating: true, timeoutMs: 60 * 60_000 });
      } catch (e) {
        const after = await readNodeBundles(ctx, step).catch(() => null);
        const why = after?.failure?.what ?? (e as Error).message.split("\n")[0];
        log(`${ctx.label}: warning: the scheduled etcd snapshot failed (${why}); see journalctl -u ${service} on the node. The update goes on; refresh and drift keep reporting it`);
      }
    }
  },
};
