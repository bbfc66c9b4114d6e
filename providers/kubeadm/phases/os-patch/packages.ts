/**
 * The node drained (drain-node.ts; a machine not joined yet has nothing to drain), then its
 * packages updated by the rendered script. A failed
 * update leaves the node cordoned: what the package manager left half-done is finished by the
 * next run (the script completes an interrupted dpkg first) before workloads come back.
 */
import { ClusterkitError } from "../../../../core/errors";
import { isSshError } from "../../../ssh";
import { log } from "../../context";
import type { Phase } from "../../phase";
import { cordonAndDrain } from "../drain-node";
import { anyAdmin, invalidate, where, type NodeContext } from "../node-context";
import { markerScript } from "../upgrade/markers";
import { joined, osPatchCordonedPath, osPatchPackagesPath, patchOf, patchState } from "./markers";

const STEP = "os-patch-packages";

/** The last lines of a failed command's output, for the error (apt and dnf say what broke at the end). */
const tail = (text: string, lines = 6) => text.trim().split("\n").slice(-lines).join("\n");

export const osPatchPackages: Phase<NodeContext> = {
  name: STEP,
  async needed(ctx) {
    const st = await patchState(ctx.host, STEP);
    return st.round === patchOf(ctx).round && st.packages !== patchOf(ctx).round;
  },
  async run(ctx) {
    const { round, patchScript } = patchOf(ctx);
    if (await joined(ctx, STEP)) {
      const admin = await anyAdmin(ctx, STEP);
      if (!admin) throw ClusterkitError.failure(where(ctx), STEP, "no control plane answers with the admin kubeconfig, so the node cannot be drained", "bring a control plane back, then run pulumi up again");
      const timeoutSec = ctx.inputs.upgrade?.drainTimeoutSeconds ?? 600;
      await cordonAndDrain(ctx, admin, STEP, { cordonedPath: osPatchCordonedPath, marker: round, purpose: `OS patch round ${round}`, work: "the round", timeoutSec });
      log(`${ctx.label}: drained; updating the OS packages`);
    }
    try {
      await ctx.host.run(patchScript, { step: STEP, mutating: true, timeoutMs: 45 * 60_000 });
    } catch (e) {
      if (!isSshError(e, "command")) throw e;
      throw ClusterkitError.failure(
        where(ctx),
        STEP,
        `updating the OS packages failed (exit ${e.failure.exitCode ?? "?"}):\n${tail(e.failure.stderr ?? "")}`,
        "fix what the package manager reports (a repository, a full disk, a held lock), then run pulumi up again: it resumes on this node, which stays cordoned until the round finishes here",
      );
    }
    await ctx.host.run(markerScript(osPatchPackagesPath, [round]), { step: STEP, mutating: true });
    invalidate(ctx);
  },
};
