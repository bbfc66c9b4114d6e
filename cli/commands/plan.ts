/**
 * `clusterkit plan`: runs the real Pulumi program offline under the SDK's mocks (no Pulumi CLI, no
 * credentials) and shows what `pulumi up` would create, or, with `--state`, what it would change
 * compared with a state export. Validation runs first; invalid input exits 2 and writes nothing,
 * and so does a plan in which a provider's diff refuses a change (`pulumi up` would stop there).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { ExitCode, formatWarning } from "../../core/errors";
import { findProjectRoot, loadStackAlone } from "../../core/load/project";
import { renderArtifacts } from "../../core/render/artifacts";
import { eksApiAccessNote } from "../../core/render/eks/api-access-note";
import { printWarnings, type Io } from "../output";
import { redactAfterApply } from "../plan/known-after-apply";
import { AFTER_APPLY, SECRET } from "../plan/markers";
import { offlineConfig } from "../plan/offline-config";
import { renderTree } from "../plan/render-tree";
import { loadStateExport } from "../plan/state-file";
import { wrapLine } from "../plan/wrap";

export interface Options {
  stack: string;
  json?: boolean;
  out?: string;
  wide?: boolean;
  /** A `pulumi stack export` file, or `-` for stdin: show changes against it. */
  state?: string;
}

/** Where the text plan wraps: the terminal's width, else $COLUMNS, else 120 (files, pipes, CI logs). */
function planWidth(): number {
  const columns = process.stdout.isTTY ? process.stdout.columns : Number(process.env.COLUMNS);
  return columns && columns >= 60 ? columns : 120;
}

export async function runPlan(io: Io, opts: Options, cwd = process.cwd()): Promise<number> {
  const root = findProjectRoot(cwd);
  // This stack on its own: other stacks' drafts and overlaps only warn; validate is the fleet gate.
  const { spec, warnings } = loadStackAlone(root, opts.stack);
  printWarnings(io, warnings);
  // Read and checked before anything runs: a wrong state file is invalid input like a wrong stack.
  const state = opts.state ? loadStateExport(opts.state, spec.stack, cwd) : null;

  const { config, secretKeys } = offlineConfig(root, opts.stack, spec.secrets.map((s) => s.key));
  if (!opts.json) io.err(`Planning stack ${spec.stack} offline (Pulumi SDK mocks; nothing is contacted, nothing is created)...`);
  const outDir = opts.out ? path.resolve(cwd, opts.out) : null;
  // Pulumi runs programs in the project folder; so does the plan.
  process.chdir(root);
  // Loaded on use: the Pulumi SDK takes seconds to import, and other commands never need it.
  const { runProgramOffline } = require("../plan/run-program") as typeof import("../plan/run-program");
  // What the mocks invent for values that exist only after deploy is shown as unknown, never as real.
  const run = redactAfterApply(await runProgramOffline({ root, project: "clusterkit", stack: opts.stack, config, secretKeys }));
  const artifacts = renderArtifacts(spec);
  // The program logs the validation warnings printed above; show only what is new. clusterkit's own
  // name the file to edit; anything else came from the Pulumi SDK itself, worded for its engine:
  // the JSON plan keeps it, the text plan only counts it.
  const shown = new Set(warnings.map((w) => formatWarning(w)));
  const ours = (line: string) => /^warning: [\w./-]+\.ya?ml: /.test(line);
  for (const line of run.log) if (ours(line) && !shown.has(line)) io.err(line);
  const sdkLines = run.log.filter((line) => !ours(line));
  if (sdkLines.length && !opts.json) io.err(`note: the Pulumi SDK logged ${sdkLines.length} message(s) while planning; \`clusterkit plan --json\` lists them under "log".`);

  // Loaded on use, like the program runner: it loads the providers' diff code.
  const changes = state ? await (require("../plan/state-diff") as typeof import("../plan/state-diff")).diffAgainstState(run, state) : null;
  // `pulumi up` would stop at a refused change: the stack's input must change first.
  const refused = changes?.summary.refuse ?? 0;
  if (outDir && !refused) {
    for (const a of artifacts) {
      const target = path.join(outDir, a.path);
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.writeFileSync(target, a.content);
    }
  }
  if (opts.json) {
    io.out(
      JSON.stringify(
        {
          apiVersion: "clusterkit.dev/plan/v1",
          stack: spec.stack,
          blueprint: spec.blueprint,
          platform: spec.platform.kind,
          region: spec.region,
          kubernetesVersion: spec.kubernetes.version,
          warnings,
          spec,
          resources: run.resources,
          outputs: run.outputs,
          log: run.log,
          artifacts: artifacts.map((a) => a.path),
          ...(changes ? { changes } : {}),
        },
        null,
        2,
      ),
    );
    return refused ? ExitCode.invalidInput : ExitCode.ok;
  }
  io.out(`Plan for stack ${spec.stack}: blueprint ${spec.blueprint}, ${spec.platform.kind}, region ${spec.region}, Kubernetes ${spec.kubernetes.version}`);
  const apiAccess = eksApiAccessNote(spec);
  if (apiAccess) io.out(`API access: ${apiAccess}`);
  const width = planWidth();
  const legend = `Secrets are shown as ${SECRET}, values that exist only after deploy as ${AFTER_APPLY}. Cluster tags: ${JSON.stringify(spec.tags)}`;
  if (!changes) {
    const creation = `This plan shows a creation: every resource as \`pulumi up\` would create it in an empty stack. To see what it would change in a deployed stack: \`pulumi stack export --stack ${spec.stack} > state.json && clusterkit plan --stack ${spec.stack} --state state.json\``;
    io.out((opts.wide ? [creation] : wrapLine("", creation, "    ", width)).join("\n"));
  }
  io.out(`${(opts.wide ? [legend] : wrapLine("", legend, "    ", width)).join("\n")}\n`);
  if (changes) {
    const { renderChanges } = require("../plan/render-changes") as typeof import("../plan/render-changes");
    io.out(renderChanges(changes, run, spec.stack, { wide: !!opts.wide, width, clusterTags: spec.tags }));
    if (refused) {
      io.err(`${refused} change(s) would be refused by \`pulumi up\` (shown with "!" above); change the stack or blueprint as the message says.${opts.out ? ` Nothing was written to ${opts.out}.` : ""}`);
      return ExitCode.invalidInput;
    }
  } else io.out(renderTree(run, spec.tags, { wide: opts.wide, width }));
  if (opts.out) {
    const folders = [...new Set(artifacts.map((a) => a.path.split("/")[0]))];
    io.out(`\nWrote ${artifacts.length} artifact(s) to ${opts.out}: ${folders.join(", ")}`);
  }
  return ExitCode.ok;
}
