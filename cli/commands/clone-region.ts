/**
 * `clusterkit clone-region`: stamps out a new stack from an existing one for another region. Bad
 * input exits 2 and writes nothing; otherwise the file is written, and the command prints what it
 * derived, the placeholders left to fill in and the exact commands for the secrets it never copies.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { ExitCode, formatIssue } from "../../core/errors";
import { ADDRESS_PLAN_FILE } from "../../core/fleet/address-plan";
import { planClone, type CloneOptions, type CloneOutcome } from "../../core/fleet/clone";
import { findProjectRoot, loadFleet } from "../../core/load/project";
import { isPlaceholderIssue } from "../../core/resolve/placeholders";
import type { Io } from "../output";

function secretCommand(key: string, stack: string): string {
  // Values are read from a file or prompted for, so they never land in shell history.
  return key === "clusterkit:sshPrivateKey"
    ? `pulumi config set --secret ${key} --stack ${stack} < ~/.ssh/clusterkit_ed25519`
    : `pulumi config set --secret ${key} --stack ${stack}`;
}

function report(io: Io, opts: CloneOptions, o: CloneOutcome): void {
  io.out(`Wrote ${o.file}: blueprint ${o.blueprint} (${o.platform}), region ${opts.region}, cloned from ${opts.from}.`);
  io.out(`\nNetwork ranges (never overlapping another stack):`);
  for (const r of o.ranges) {
    const why = r.source === "set" ? "given with --set" : `first free /${r.size} of the ${r.kind} supernet ${r.supernet} in ${ADDRESS_PLAN_FILE}`;
    io.out(`  ${r.variable.padEnd(12)} ${r.cidr.padEnd(18)} ${why}`);
  }
  if (o.azs) {
    const why =
      o.azs.source === "set"
        ? "from --set azs"
        : `from clusterkit's region table; AZ letters differ between accounts, confirm with: aws ec2 describe-availability-zones --region ${opts.region}`;
    io.out(`\nAvailability zones: ${o.azs.zones.join(", ")} (${why})`);
  }
  if (o.rewrites.length) {
    io.out(`\nRenamed for the new region (check them):`);
    for (const r of o.rewrites) io.out(`  ${r.path}: ${JSON.stringify(r.from)} -> ${JSON.stringify(r.to)}`);
  }
  for (const m of o.regionMentions) io.out(`\nnote: ${m} mentions ${opts.from}'s region and was copied as it is; check it for ${opts.region}.`);
  const holes = o.placeholders.filter(isPlaceholderIssue);
  if (holes.length) {
    io.out(`\nPlaceholders to fill in (${holes.length}); replace each <fill-in: …> in ${o.file}:`);
    for (const h of holes) io.out(`  ${h.path}: ${h.message.replace(/^fill this in: /, "")}`);
  }
  io.out(`\nSecrets are never copied (they are encrypted per stack). Create the stack, then set them:`);
  io.out(`  pulumi stack init ${opts.to}${o.secretsProvider ? ` --secrets-provider '${o.secretsProvider}'` : ""}`);
  if (o.secretsProvider) io.out(`    (${opts.from} uses this secrets provider; KMS keys are regional, so pick the one for ${opts.region})`);
  for (const s of o.secrets) io.out(`  ${secretCommand(s.key, opts.to)}${s.required ? "" : "   # optional"}  # ${s.purpose}`);
  if (!o.secrets.length) io.out(`  (no secrets needed for this stack)`);
}

export function runCloneRegion(io: Io, opts: CloneOptions, cwd = process.cwd()): number {
  const root = findProjectRoot(cwd);
  const outcome = planClone(root, opts);
  // 'wx' refuses to overwrite even if the file appeared since the check.
  fs.writeFileSync(path.join(root, outcome.file), outcome.text, { flag: "wx" });
  report(io, opts, outcome);

  // validate, as the user would run it next.
  const check = loadFleet(root, [opts.to]);
  const holes = check.issues.filter(isPlaceholderIssue);
  const other = check.issues.filter((i) => !isPlaceholderIssue(i));
  if (!check.issues.length) io.out(`\nvalidate: ${opts.to} is valid. Next: ${outcome.secrets.length ? "set the secrets above, then " : ""}pulumi up --stack ${opts.to}`);
  else if (!other.length) io.out(`\nvalidate: ${opts.to} has ${holes.length} placeholder(s) left; \`clusterkit validate --stack ${opts.to}\` passes once they are filled in.`);
  else io.err(`\nvalidate found other problems:\n${other.map(formatIssue).join("\n")}`);
  return ExitCode.ok;
}
