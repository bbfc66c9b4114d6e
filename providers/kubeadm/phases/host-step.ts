/**
 * One host-preparation step (swap, kernel modules, sysctls, containerd, Kubernetes packages,
 * proxy) as a phase: its rendered check decides, its apply runs only when the check says so, and
 * the check must agree afterwards, so a step that "succeeds" without effect is caught.
 */
import { ClusterkitError } from "../../../core/errors";
import { redact } from "../../ssh";
import type { Phase } from "../phase";
import type { HostStepSpec } from "../types";
import type { HostContext } from "./host-context";

const CHECK_TIMEOUT_MS = 60_000;
/** Package installs over a slow mirror take minutes. */
const APPLY_TIMEOUT_MS = 15 * 60_000;

async function check(ctx: HostContext, step: HostStepSpec): Promise<"done" | "needed"> {
  const r = await ctx.host.run(step.check, { step: `prepare-host/${step.name}`, mutating: false, okCodes: [0, 1, 2], timeoutMs: CHECK_TIMEOUT_MS });
  if (r.code === 2) {
    throw ClusterkitError.failure(`host ${ctx.host.name} (${ctx.host.address})`, `prepare-host/${step.name}`, redact(`${step.description}: unsupported host: ${r.stderr.trim()}`));
  }
  return r.code === 0 ? "done" : "needed";
}

export function hostStepPhase(step: HostStepSpec): Phase<HostContext> {
  return {
    name: `prepare-host/${step.name}`,
    async needed(ctx) {
      return (await check(ctx, step)) === "needed";
    },
    async run(ctx) {
      await ctx.host.run(step.apply, { step: `prepare-host/${step.name}`, mutating: true, timeoutMs: APPLY_TIMEOUT_MS });
      if ((await check(ctx, step)) !== "done") {
        throw ClusterkitError.failure(`host ${ctx.host.name} (${ctx.host.address})`, `prepare-host/${step.name}`, `${step.description}: applied, but its check still reports work to do`, "run the step's check script on the host to see which condition fails");
      }
    },
  };
}

/** Names of the steps whose check reports work to do (read-only; for refresh). */
export async function pendingSteps(ctx: HostContext): Promise<string[]> {
  const out: string[] = [];
  for (const s of ctx.inputs.steps) if ((await check(ctx, s)) === "needed") out.push(s.name);
  return out;
}
