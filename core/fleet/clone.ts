/**
 * clone-region, everything but writing and printing: checks the input, allocates the ranges,
 * derives the variables, renders the new stack file and validates it in memory. Any problem other
 * than a placeholder throws ClusterkitError (exit 2) before a byte is written.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { ClusterkitError, type Issue } from "../errors";
import { blueprintFile, listStacks, resolveStackFile } from "../load/project";
import { parseStackFile, stackFileName } from "../load/stack-file";
import { parseYaml, readYaml } from "../load/yaml-file";
import { fleetIssues } from "../resolve/fleet";
import { deepMerge } from "../resolve/overrides";
import { isPlaceholderIssue } from "../resolve/placeholders";
import { Collector } from "../resolve/context";
import { declaredVariables } from "../resolve/variables";
import { blueprintSchema } from "../schema/blueprint";
import { zodIssues } from "../schema/issues";
import type { PlatformKind } from "../schema/platform";
import { secretConfigKeys, type SecretConfigKey } from "../schema/stack";
import { allocate, blockSize, loadAddressPlan, type Allocation, type RangeKind } from "./address-plan";
import { defaultAzs } from "./aws-azs";
import { cloneValues, type Rewrite } from "./clone-values";
import { blueprintSha256, fleetRanges, loadFleetState } from "./fleet-state";
import { parseSets } from "./set-values";
import { rewriteStackFile } from "./stack-writer";

export interface CloneOptions {
  from: string;
  to: string;
  region: string;
  set: string[];
}

export interface RangeChoice {
  variable: string;
  kind: RangeKind;
  cidr: string;
  /** "plan": first free block of the supernet; "set": given with --set and checked. */
  source: "plan" | "set";
  supernet: string;
  size: number;
}

export interface SecretNeeded {
  key: string;
  purpose: string;
  required: boolean;
}

export interface CloneOutcome {
  file: string;
  text: string;
  blueprint: string;
  platform: PlatformKind;
  ranges: RangeChoice[];
  azs: { zones: string[]; source: "set" | "table" } | null;
  rewrites: Rewrite[];
  regionMentions: string[];
  placeholders: Issue[];
  secrets: SecretNeeded[];
  secretsProvider: string | null;
}

const stackName = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const regionName = /^[a-z0-9][-a-z0-9]*$/;
const cli = "(command line)";

function checkNames(root: string, opts: CloneOptions): void {
  const issues: Issue[] = [];
  const stacks = listStacks(root);
  if (!stackName.test(opts.to)) issues.push({ file: cli, path: "--to", message: "is not a valid stack name", expected: "letters, digits, '.', '_' and '-'", found: JSON.stringify(opts.to) });
  if (!regionName.test(opts.region)) issues.push({ file: cli, path: "--region", message: "must be lower-case letters, digits and '-'", found: JSON.stringify(opts.region) });
  if (!stacks.includes(opts.from)) issues.push({ file: stackFileName(opts.from), path: "", message: "does not exist", hint: `stacks here: ${stacks.join(", ")}` });
  if (fs.existsSync(path.join(root, stackFileName(opts.to)))) {
    issues.push({ file: stackFileName(opts.to), path: "", message: "already exists; clone-region never overwrites a stack", hint: "pick another --to, or delete the file first if you really mean to start over" });
  }
  if (issues.length) throw new ClusterkitError(issues);
}

function secretsFor(platform: PlatformKind, dropped: string[]): SecretNeeded[] {
  const required: SecretConfigKey[] = platform === "eks" ? [] : platform === "vsphere" ? ["sshPrivateKey", "vspherePassword"] : ["sshPrivateKey"];
  const out = new Map<string, SecretNeeded>();
  for (const k of required) out.set(`clusterkit:${k}`, { key: `clusterkit:${k}`, purpose: secretConfigKeys[k], required: true });
  for (const key of dropped) {
    if (out.has(key)) continue;
    const sub = key.startsWith("clusterkit:") ? (key.slice("clusterkit:".length) as SecretConfigKey) : null;
    out.set(key, { key, purpose: sub && sub in secretConfigKeys ? secretConfigKeys[sub] : "secret of the source stack", required: false });
  }
  return [...out.values()];
}

/** A problem in the file that was not written is the problem of the `--set` that put the value there. */
function onCommandLine(issue: Issue, file: string, sets: Record<string, unknown>): Issue {
  if (issue.file !== file) return issue;
  const m = /^config\.clusterkit:variables\.([A-Za-z0-9]+)(.*)$/.exec(issue.path);
  if (m && m[1] in sets) return { ...issue, file: cli, path: `--set ${m[1]}${m[2]}` };
  return { ...issue, hint: [issue.hint, "in the stack file clone-region would have written"].filter(Boolean).join("; ") };
}

const rangeVariable = (platform: PlatformKind, kind: RangeKind): string => (kind === "node" ? (platform === "eks" ? "vpcCidr" : "nodeCidr") : `${kind}Cidr`);

export function planClone(root: string, opts: CloneOptions): CloneOutcome {
  checkNames(root, opts);
  const fromFile = stackFileName(opts.from);
  const sourceText = fs.readFileSync(path.join(root, fromFile), "utf8");
  const source = parseStackFile(opts.from, fromFile, parseYaml(sourceText, fromFile));
  const bpFile = blueprintFile(source.config.blueprint);
  const bpRaw = readYaml(path.join(root, bpFile), bpFile);
  const merged = blueprintSchema.safeParse(deepMerge(bpRaw, source.config.overrides));
  if (!merged.success) throw new ClusterkitError(zodIssues(merged.error, bpFile, [], bpRaw, blueprintSchema));
  const bp = merged.data;
  const platform = bp.platform.kind;
  const collector = new Collector();
  const decls = declaredVariables(bp, { blueprintFile: bpFile, stackFile: fromFile, stackName: opts.from }, collector);
  if (collector.issues.length) throw new ClusterkitError(collector.issues);

  const sets = parseSets(opts.set, decls);
  const issuesSoFar: Issue[] = [...sets.issues];

  let azs: CloneOutcome["azs"] = null;
  if (platform === "eks") {
    const given = sets.values.azs as string[] | undefined;
    const table = defaultAzs(opts.region);
    if (given) azs = { zones: given, source: "set" };
    else if (table) azs = { zones: table, source: "table" };
    else {
      issuesSoFar.push({
        file: cli,
        path: "--region",
        message: `clusterkit's zone table has no entry for ${opts.region}`,
        found: JSON.stringify(opts.region),
        hint: `give the zones yourself: --set azs=${opts.region}a,${opts.region}b,${opts.region}c (aws ec2 describe-availability-zones --region ${opts.region} lists them)`,
      });
    }
  }

  const plan = loadAddressPlan(root);
  const state = loadFleetState(root);
  const kinds: RangeKind[] = platform === "eks" ? ["node", "service"] : ["node", "pod", "service"];
  const fixed: Partial<Record<RangeKind, string>> = {};
  for (const k of kinds) if (typeof sets.values[rangeVariable(platform, k)] === "string") fixed[k] = sets.values[rangeVariable(platform, k)] as string;
  let ranges: Allocation | null = null;
  try {
    ranges = allocate(plan, platform, fleetRanges(state), fixed, { file: cli, path: (k) => `--set ${rangeVariable(platform, k)}` });
  } catch (e) {
    if (!(e instanceof ClusterkitError)) throw e;
    issuesSoFar.push(...e.issues);
  }
  if (issuesSoFar.length || !ranges) throw new ClusterkitError(issuesSoFar);

  const sourceState = state.stacks.find((s) => s.name === opts.from);
  const nodes = (sourceState?.resolved?.spec.nodes ?? []).map((n) => ({ name: n.name, role: n.role }));
  const values = cloneValues({
    platform,
    from: { stack: opts.from, region: source.config.region, variables: source.config.variables, nodes },
    to: { stack: opts.to, region: opts.region },
    decls,
    ranges,
    azs: azs?.zones ?? null,
    sets: sets.values,
  });
  const sha = blueprintSha256(root, source.config.blueprint)!;
  const written = rewriteStackFile(sourceText, {
    from: { stack: opts.from, region: source.config.region },
    to: { stack: opts.to, region: opts.region },
    variables: values.variables,
    clonedFrom: { stack: opts.from, blueprintSha256: sha },
  });

  // Validate the file as it would be written. Placeholders are expected; anything else is a bug in
  // the input (a bad --set) and stops here.
  const file = stackFileName(opts.to);
  let issues: Issue[] = [];
  try {
    const resolved = resolveStackFile(root, parseStackFile(opts.to, file, parseYaml(written.text, file)));
    const others = state.stacks.flatMap((s) => (s.resolved ? [s.resolved] : []));
    issues = fleetIssues([...others, resolved], new Set([opts.to]));
  } catch (e) {
    if (!(e instanceof ClusterkitError)) throw e;
    issues = e.issues;
  }
  const blocking = issues.filter((i) => !isPlaceholderIssue(i));
  if (blocking.length) throw new ClusterkitError(blocking.map((i) => onCommandLine(i, file, sets.values)));

  return {
    file,
    text: written.text,
    blueprint: source.config.blueprint,
    platform,
    ranges: kinds.map((k) => ({ variable: rangeVariable(platform, k), kind: k, cidr: ranges[k]!, source: fixed[k] ? "set" : "plan", supernet: plan[k].supernet, size: blockSize(plan, k, platform) })),
    azs,
    rewrites: [...values.rewrites.map((r) => ({ ...r, path: `config.clusterkit:variables.${r.path}` })), ...written.rewrites],
    regionMentions: written.regionMentions,
    placeholders: issues,
    secrets: secretsFor(platform, written.droppedSecrets),
    secretsProvider: written.secretsProvider,
  };
}
