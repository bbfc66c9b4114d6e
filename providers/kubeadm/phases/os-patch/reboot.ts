/**
 * The reboot, when the round's policy asks for one (kured's pattern: `if-required` reads the OS's
 * own verdict). The boot id is recorded before `systemctl reboot`, so a run cut off anywhere can
 * tell whether the reboot happened: a new boot id says it did. The node must then answer over SSH
 * with a new boot within rebootTimeoutSeconds; its kubelet comes back on its own (it is enabled),
 * and the finish phase waits for the node's health.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { ClusterkitError } from "../../../../core/errors";
import { isSshError } from "../../../ssh";
import { log } from "../../context";
import type { Phase } from "../../phase";
import { invalidate, where, type NodeContext } from "../node-context";
import { markerScript } from "../upgrade/markers";
import { bootIdPath, osPatchBootPath, osPatchWait, patchOf, patchState, rebootedFor } from "./markers";

const STEP = "os-patch-reboot";

/** Whether the updates need a reboot by the round's policy; why, for the log. */
async function rebootWanted(ctx: NodeContext): Promise<string | null> {
  const p = patchOf(ctx);
  if (p.reboot === "never") return null;
  if (p.reboot === "always") return "the round reboots every node";
  const r = await ctx.host.run(p.rebootRequiredScript, { step: STEP, mutating: false, okCodes: [0, 1, 3], timeoutMs: 120_000 });
  if (r.code === 3) {
    throw ClusterkitError.failure(where(ctx), STEP, `the package manager cannot tell whether the updates need a reboot: ${r.stdout.trim() || r.stderr.trim()}`, "install dnf-plugins-core (for `dnf needs-restarting`), or set osPatches.reboot to always or never, then run pulumi up again");
  }
  const said = r.stdout
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith("More information"))
    .join(" ");
  return r.code === 1 ? `the updates need it${said ? ` (${said})` : ""}` : null;
}

export const osPatchReboot: Phase<NodeContext> = {
  name: STEP,
  async needed(ctx) {
    const { round } = patchOf(ctx);
    const st = await patchState(ctx.host, STEP);
    if (st.round !== round || st.packages !== round || rebootedFor(st, round)) return false;
    return (await rebootWanted(ctx)) !== null;
  },
  async run(ctx) {
    const { round, rebootTimeoutSeconds } = patchOf(ctx);
    const why = await rebootWanted(ctx);
    const before = (await patchState(ctx.host, STEP)).bootId;
    await ctx.host.run(`${markerScript(osPatchBootPath, [`${round} ${before}`])}\nsync`, { step: STEP, mutating: true });
    log(`${ctx.label}: rebooting: ${why ?? "the round asks for it"}`);
    const started = Date.now();
    try {
      await ctx.host.run("systemctl reboot", { step: STEP, mutating: true, timeoutMs: 60_000 });
    } catch (e) {
      // systemd may stop sshd before the command's exit status gets back.
      if (!isSshError(e, "connection-lost")) throw e;
    }
    invalidate(ctx);
    await waitForNewBoot(ctx, before, started + rebootTimeoutSeconds * 1000);
    log(`${ctx.label}: back after ${((Date.now() - started) / 1000).toFixed(1)} s in a new boot`);
  },
};

async function waitForNewBoot(ctx: NodeContext, before: string, deadline: number): Promise<void> {
  let last = "it still runs the boot it was asked to leave";
  for (;;) {
    await sleep(osPatchWait.intervalMs);
    try {
      const id = await ctx.host.read(`cat ${bootIdPath}`, STEP, 15_000);
      if (id && id !== before) return;
      last = "it still runs the boot it was asked to leave";
    } catch (e) {
      // While it boots, a host refuses connections, drops them, or (pam_nologin, until systemd
      // has finished booting) refuses every login but root's.
      if (!isSshError(e, "connect") && !isSshError(e, "connection-lost") && !isSshError(e, "auth")) throw e;
      last = `it does not answer over SSH (${e.failure.message})`;
    }
    if (Date.now() >= deadline) {
      const { rebootTimeoutSeconds } = patchOf(ctx);
      throw ClusterkitError.failure(
        where(ctx),
        STEP,
        `the node did not come back from its reboot within ${rebootTimeoutSeconds} s: ${last}`,
        "see the machine's console; once it is up, run pulumi up again (it resumes here, and the node stays cordoned until then), or raise osPatches.rebootTimeoutSeconds",
      );
    }
  }
}
