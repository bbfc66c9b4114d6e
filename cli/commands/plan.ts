/**
 * `clusterkit plan`: runs the real Pulumi program offline under the SDK's mocks (no Pulumi CLI, no
 * credentials) and shows what `pulumi up` would create. Validation runs first; invalid input exits
 * 2 and writes nothing.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { Command } from "commander";
import { ClusterkitError, ExitCode, formatWarning } from "../../core/errors";
import { findProjectRoot, loadFleet } from "../../core/load/project";
import { stackFileName } from "../../core/load/stack-file";
import { readYaml } from "../../core/load/yaml-file";
import { renderArtifacts } from "../../core/render/artifacts";
import type { Runner } from "../main";
import { printWarnings, type Io } from "../output";
import { renderTree } from "../plan/render-tree";

interface Options {
  stack: string;
  json?: boolean;
  out?: string;
}

/** Stack config as the Pulumi runtime would hand it over, with placeholders for every secret. */
function offlineConfig(root: string, stack: string, secretKeysNeeded: string[]): { config: Record<string, string>; secretKeys: string[] } {
  const file = stackFileName(stack);
  const raw = (readYaml(path.join(root, file), file) as { config?: Record<string, unknown> }).config ?? {};
  const config: Record<string, string> = {};
  const secretKeys: string[] = [];
  for (const [key, value] of Object.entries(raw)) {
    if (value && typeof value === "object" && "secure" in value) {
      config[key] = `offline-plan-placeholder-for-${key}`;
      secretKeys.push(key);
    } else config[key] = typeof value === "string" ? value : JSON.stringify(value);
  }
  for (const key of secretKeysNeeded) {
    if (!(key in config)) {
      config[key] = `offline-plan-placeholder-for-${key}`;
      secretKeys.push(key);
    }
  }
  return { config, secretKeys };
}

export async function runPlan(io: Io, opts: Options, cwd = process.cwd()): Promise<number> {
  const root = findProjectRoot(cwd);
  const fleet = loadFleet(root, [opts.stack]);
  if (fleet.issues.length) throw new ClusterkitError(fleet.issues);
  const resolved = fleet.resolved.get(opts.stack)!;
  const { spec, warnings } = resolved;
  printWarnings(io, [...fleet.warnings, ...warnings]);

  const { config, secretKeys } = offlineConfig(root, opts.stack, spec.secrets.map((s) => s.key));
  if (!opts.json) io.err(`Planning stack ${spec.stack} offline (Pulumi SDK mocks; nothing is contacted, nothing is created)...`);
  const outDir = opts.out ? path.resolve(cwd, opts.out) : null;
  // Pulumi runs programs in the project folder; so does the plan.
  process.chdir(root);
  // Loaded on use: the Pulumi SDK takes seconds to import, and other commands never need it.
  const { runProgramOffline } = require("../plan/run-program") as typeof import("../plan/run-program");
  const run = await runProgramOffline({ root, project: "clusterkit", stack: opts.stack, config, secretKeys });
  const artifacts = renderArtifacts(spec);
  // The program logs the same validation warnings printed above; show only what is new.
  const shown = new Set(warnings.map((w) => formatWarning(w)));
  for (const line of run.log) if (!shown.has(line)) io.err(line);

  if (outDir) {
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
        },
        null,
        2,
      ),
    );
    return ExitCode.ok;
  }
  io.out(`Plan for stack ${spec.stack}: blueprint ${spec.blueprint}, ${spec.platform.kind}, region ${spec.region}, Kubernetes ${spec.kubernetes.version}`);
  io.out(`Secrets are shown as [secret]. Cluster tags: ${JSON.stringify(spec.tags)}\n`);
  io.out(renderTree(run, spec.tags));
  if (opts.out) {
    const folders = [...new Set(artifacts.map((a) => a.path.split("/")[0]))];
    io.out(`\nWrote ${artifacts.length} artifact(s) to ${opts.out}: ${folders.join(", ")}`);
  }
  return ExitCode.ok;
}

export function planCommand(program: Command, io: Io, run: Runner): void {
  program
    .command("plan")
    .description("Show the resources `pulumi up` would create for a stack, offline: no Pulumi CLI, no credentials.")
    .requiredOption("-s, --stack <name>", "the stack to plan (stacks/Pulumi.<name>.yaml)")
    .option("--json", "print a machine-readable plan (see docs/json-output.md)")
    .option("--out <dir>", "also write the rendered artifacts (kubeadm configs, cloud-init, Helm values, manifests) to this folder")
    .action(
      // Invalid input (ClusterkitError) is printed and turned into exit 2 by cli/main.ts, like every command.
      run((opts: Options) => runPlan(io, opts)),
    );
}
