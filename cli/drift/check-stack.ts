/**
 * One stack's drift check through the Pulumi Automation API: `pulumi stack select`, then a
 * preview-only refresh (`stack.previewRefresh()`, which runs `pulumi refresh --preview-only` and
 * streams the engine events back). Nothing is written to the state. The events are turned into the
 * report by the pure code in core/fleet; this file only drives the CLI and keeps the clock.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { LocalWorkspace, PulumiCommand, Stack, StackNotFoundError, type EngineEvent } from "@pulumi/pulumi/automation";
import { changeSummaryFromEvents, driftFromEvents, errorDiagnostics, reportOnlyUpdates, snapshotReports } from "../../core/fleet/drift-events";
import { classifyFailure } from "../../core/fleet/drift-errors";
import type { StackDrift, StackError } from "../../core/fleet/drift-report";

export interface PulumiCli {
  workspace: LocalWorkspace;
  version: string | null;
  /** Removes the private TMPDIR the CLI and its plugins ran with. */
  close(): void;
}

/**
 * The user's Pulumi CLI: the one in `pulumiRoot`/bin when given (how tests select the stand-in),
 * else `pulumi` on PATH. The workspace is the project folder, so Pulumi.yaml and stacks/ are used.
 */
export async function openPulumi(projectRoot: string, pulumiRoot?: string): Promise<PulumiCli> {
  const pulumiCommand = await PulumiCommand.get(pulumiRoot ? { root: pulumiRoot } : undefined);
  // PULUMI_SKIP_CONFIRMATIONS=true, common in CI, counts as --yes, which the CLI refuses with
  // --preview-only: every stack would fail to be checked. A preview asks for no confirmation anyway.
  // The Kubernetes provider writes the kubeconfig it is given (the cluster's admin client key) to a
  // new file in TMPDIR every time it is configured, and never removes it (pulumi-kubernetes
  // provider/pkg/provider/util.go writeKubeconfigToFile): a nightly drift run over many stacks would
  // leave every cluster's admin credentials on the runner. The CLI and its plugins get a private
  // TMPDIR (mode 0700) that close() removes.
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "clusterkit-drift-"));
  const envVars = { PULUMI_SKIP_UPDATE_CHECK: "true", PULUMI_SKIP_CONFIRMATIONS: "false", TMPDIR: tmp };
  const close = () => fs.rmSync(tmp, { recursive: true, force: true });
  try {
    const workspace = await LocalWorkspace.create({ workDir: projectRoot, pulumiCommand, envVars });
    return { workspace, version: pulumiCommand.version?.toString() ?? null, close };
  } catch (e) {
    close();
    throw e;
  }
}

/** How long a cancelled refresh gets to exit before the check is reported as timed out anyway. */
const CANCEL_GRACE_MS = 10_000;

/** A CommandError's message carries the CLI's exit code, stdout and stderr. */
export function failureText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export function stackNotFound(name: string): StackError {
  return { kind: "stack-not-found", message: `no stack named '${name}' found: it has not been deployed (pulumi stack init ${name}) or it lives in another backend or organization` };
}

export async function checkStack(cli: PulumiCli, name: string, timeoutSeconds: number): Promise<StackDrift> {
  const started = Date.now();
  const events: EngineEvent[] = [];
  const controller = new AbortController();
  const elapsed = () => Math.round((Date.now() - started) / 100) / 10;

  const work = (async () => {
    const stack = await Stack.select(name, cli.workspace);
    if (controller.signal.aborted) throw new Error("cancelled before the refresh started");
    return stack.previewRefresh({ onEvent: (e) => events.push(e), signal: controller.signal, color: "never" });
  })();
  const settled = work.then(
    () => ({ ok: true as const }),
    (error: unknown) => ({ ok: false as const, error }),
  );

  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<"timeout">((resolve) => {
    timer = setTimeout(() => {
      // The Automation API sends the CLI an interrupt, which cancels the refresh.
      controller.abort();
      resolve("timeout");
    }, timeoutSeconds * 1000);
  });
  const first = await Promise.race([settled, timedOut]);
  clearTimeout(timer);

  if (first === "timeout") {
    let grace: NodeJS.Timeout | undefined;
    await Promise.race([settled, new Promise((r) => (grace = setTimeout(r, CANCEL_GRACE_MS)))]);
    clearTimeout(grace);
    return { stack: name, status: "error", durationSeconds: elapsed(), changeSummary: {}, resources: [], error: classifyFailure("", [], timeoutSeconds), etcdSnapshots: [] };
  }
  if (!first.ok) {
    const diagnostics = errorDiagnostics(events);
    const error =
      first.error instanceof StackNotFoundError
        ? stackNotFound(name)
        : classifyFailure(failureText(first.error), diagnostics, null);
    return { stack: name, status: "error", durationSeconds: elapsed(), changeSummary: changeSummaryFromEvents(events), resources: [], error, etcdSnapshots: [] };
  }
  const resources = driftFromEvents(events);
  const changeSummary = changeSummaryFromEvents(events);
  // Pulumi's own count is the backstop: if it saw changes the events did not detail, still say
  // drifted; updates of report values alone (the newest scheduled snapshot) are not drift.
  const drifted = resources.length > 0 || (changeSummary.update ?? 0) - reportOnlyUpdates(events) > 0 || (changeSummary.delete ?? 0) > 0;
  return { stack: name, status: drifted ? "drifted" : "clean", durationSeconds: elapsed(), changeSummary, resources, error: null, etcdSnapshots: snapshotReports(events, new Date()) };
}
