/**
 * `clusterkit drift`: a preview-only refresh of every selected stack through the Pulumi Automation
 * API, a few at a time, each with a deadline. Exit 0: no drift; 1: drift found; 2: a stack could
 * not be checked (auth failure, stack not found, timeout), or bad input. Pulumi's own exit codes
 * do not make that distinction, so it is read from the engine events and the CLI's errors. A stack
 * behind a bastion is refreshed with its API tunnel open (cli/drift/stack-tunnel.ts).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import pLimit from "p-limit";
import { ClusterkitError } from "../../core/errors";
import { renderDriftMarkdown, snapshotLines } from "../../core/fleet/drift-markdown";
import { buildReport, type DriftReport, type StackDrift } from "../../core/fleet/drift-report";
import { parseShard, selectStacks } from "../../core/fleet/shard";
import { findProjectRoot, listStacks } from "../../core/load/project";
import type { PulumiCli } from "../drift/check-stack";
import { requirePulumi } from "../drift/find-pulumi";
import type { Io } from "../output";
import { readSshKeyFile } from "../stack-tunnel";

export interface Options {
  stacks?: string;
  concurrency: string;
  shard?: string;
  json?: string;
  markdown?: string;
  timeout: string;
  pulumiRoot?: string;
  sshKey?: string;
}

function positiveInt(text: string, option: string, max: number): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > max) {
    throw new ClusterkitError([{ file: "(command line)", path: option, message: `must be a whole number from 1 to ${max}`, found: JSON.stringify(text) }]);
  }
  return n;
}

function printReport(io: Io, report: DriftReport): void {
  for (const s of report.stacks) {
    const head = `${s.status.padEnd(8)} ${s.stack}  (${s.durationSeconds}s)`;
    if (s.status === "error") io.out(`${head}: ${s.error!.kind}: ${s.error!.message}`);
    else io.out(`${head}${s.resources.length ? `: ${s.resources.length} resource(s) changed outside Pulumi` : ""}`);
    for (const line of snapshotLines(s)) io.out(`  ${line}`);
    for (const r of s.resources) {
      io.out(`  ${r.change === "delete" ? "-" : "~"} ${r.type} ${r.name}${r.change === "delete" ? " (deleted outside Pulumi)" : ""}`);
      for (const p of r.properties) io.out(`      ${p.path}: ${"old" in p ? JSON.stringify(p.old) : "(none)"} -> ${"new" in p ? JSON.stringify(p.new) : "(none)"}`);
    }
  }
  const s = report.summary;
  io.out(`\n${s.stacks} stack(s): ${s.clean} clean, ${s.drifted} drifted, ${s.errors} not checked. Secrets are shown as [secret].`);
}

function writeReports(report: DriftReport, opts: Options, cwd: string): void {
  if (opts.json) fs.writeFileSync(path.resolve(cwd, opts.json), `${JSON.stringify(report, null, 2)}\n`);
  if (opts.markdown) {
    const target = path.resolve(cwd, opts.markdown);
    // The step summary collects every step's output: add to it instead of replacing it.
    const summary = process.env.GITHUB_STEP_SUMMARY;
    if (summary && path.resolve(summary) === target) fs.appendFileSync(target, renderDriftMarkdown(report));
    else fs.writeFileSync(target, renderDriftMarkdown(report));
  }
}

export async function runDrift(io: Io, opts: Options, cwd = process.cwd()): Promise<number> {
  const root = findProjectRoot(cwd);
  const concurrency = positiveInt(opts.concurrency, "--concurrency", 64);
  const timeout = positiveInt(opts.timeout, "--timeout", 24 * 3600);
  const shard = opts.shard ? parseShard(opts.shard) : null;
  const selected = selectStacks(listStacks(root), opts.stacks, shard);
  const keyFromFile = opts.sshKey ? readSshKeyFile(opts.sshKey, cwd) : null;
  const pulumiRoot = opts.pulumiRoot ? path.resolve(cwd, opts.pulumiRoot) : process.env.CLUSTERKIT_PULUMI_ROOT || undefined;
  if (selected.length) requirePulumi(pulumiRoot ? { dir: pulumiRoot, from: opts.pulumiRoot ? "--pulumi-root" : "CLUSTERKIT_PULUMI_ROOT" } : null);

  // The Automation API is loaded only here, so the other commands start without it.
  const { checkStack, openPulumi } = require("../drift/check-stack") as typeof import("../drift/check-stack");
  const { withApiTunnel } = require("../drift/stack-tunnel") as typeof import("../drift/stack-tunnel");
  let cli: PulumiCli | null = null;
  let cliError: string | null = null;
  if (selected.length) {
    try {
      cli = await openPulumi(root, pulumiRoot);
    } catch (e) {
      cliError = `the Pulumi CLI could not be started (${e instanceof Error ? e.message.split("\n").find((l) => l.trim()) : String(e)}); install it, or point --pulumi-root at its folder`;
    }
  }
  io.err(`Checking ${selected.length} stack(s) for drift${shard ? ` (shard ${shard.index}/${shard.count})` : ""}, ${concurrency} at a time, ${timeout}s each${cli?.version ? `, Pulumi CLI ${cli.version}` : ""}...`);

  const limit = pLimit(concurrency);
  let results: StackDrift[];
  try {
    results = await Promise.all(
      selected.map((name) =>
        limit(async (): Promise<StackDrift> => {
          const pulumi = cli;
          const result = pulumi
            ? await withApiTunnel({ root, cli: pulumi, keyFromFile, log: (line) => io.err(line) }, name, () => checkStack(pulumi, name, timeout))
            : { stack: name, status: "error" as const, durationSeconds: 0, changeSummary: {}, resources: [], error: { kind: "cli" as const, message: cliError! }, etcdSnapshots: [] };
          io.err(`  ${name}: ${result.status}${result.error ? ` (${result.error.kind})` : ""}`);
          return result;
        }),
      ),
    );
  } finally {
    cli?.close();
  }
  const report = buildReport(results, { generatedAt: new Date().toISOString(), pulumiVersion: cli?.version ?? null, shard });
  writeReports(report, opts, cwd);
  if (!selected.length) io.out(`No stacks in ${shard ? `shard ${shard.index}/${shard.count}` : "this selection"}; nothing to check.`);
  else printReport(io, report);
  return report.exitCode;
}
