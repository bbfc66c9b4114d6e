/** `clusterkit validate`: checks blueprints and stacks, and the fleet-wide rules across stacks. */
import { ExitCode, formatIssue, type Issue } from "../../core/errors";
import { checkBlueprint } from "../../core/load/blueprint-check";
import { findProjectRoot, listBlueprints, loadFleet } from "../../core/load/project";
import { eksApiAccessNote } from "../../core/render/eks/api-access-note";
import { printIssues, printWarnings, secretSetCommand, validateApiVersion, type Io } from "../output";

export interface Options {
  stack?: string[];
  json?: boolean;
}

export function runValidate(io: Io, opts: Options, cwd = process.cwd()): number {
  const root = findProjectRoot(cwd);
  const fleet = loadFleet(root, opts.stack);
  const issues: Issue[] = [...fleet.issues];
  if (!opts.stack) for (const bp of listBlueprints(root)) issues.push(...checkBlueprint(root, bp));
  const unique = [...new Map(issues.map((i) => [formatIssue(i), i])).values()];
  const stacks = [...fleet.resolved.values()].filter((r) => !opts.stack || opts.stack.includes(r.spec.stack));

  if (opts.json) {
    io.out(
      JSON.stringify(
        {
          apiVersion: validateApiVersion,
          ok: unique.length === 0,
          issues: unique,
          stacks: stacks.map((r) => ({
            name: r.spec.stack,
            blueprint: r.spec.blueprint,
            platform: r.spec.platform.kind,
            region: r.spec.region,
            warnings: r.warnings,
            missingSecrets: r.spec.secrets.filter((s) => !s.present).map((s) => ({ key: s.key, required: s.required, purpose: s.purpose })),
          })),
        },
        null,
        2,
      ),
    );
    return unique.length ? ExitCode.invalidInput : ExitCode.ok;
  }
  printWarnings(io, fleet.warnings);
  for (const r of stacks) {
    io.out(`ok  ${r.spec.stack}  (blueprint ${r.spec.blueprint}, ${r.spec.platform.kind}, ${r.spec.region}, Kubernetes ${r.spec.kubernetes.version})`);
    printWarnings(io, r.warnings);
    for (const s of r.spec.secrets.filter((x) => !x.present && x.required)) {
      io.err(`note: ${r.spec.stack}: secret ${s.key} is not set yet (${s.purpose}); before pulumi up run: ${secretSetCommand(s.key, r.spec.stack)}`);
    }
    const apiAccess = eksApiAccessNote(r.spec);
    if (apiAccess) io.err(`note: ${r.spec.stack}: API access: ${apiAccess}`);
  }
  if (unique.length) {
    printIssues(io, unique);
    return ExitCode.invalidInput;
  }
  io.out(`${stacks.length} stack(s) valid.`);
  return ExitCode.ok;
}
