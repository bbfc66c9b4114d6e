/**
 * Runs the real Pulumi program (index.ts) offline under the SDK's mocks and records every resource
 * it registers: type, name, parent, dependencies and inputs (secrets redacted).
 */
// First: it must run before the SDK loads (see the file).
import "./defer-sdk-modules";
import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { takeAfterApply } from "./known-after-apply";
import { planMocks } from "./mocks";
import { settle } from "./settle";

export interface PlannedResource {
  urn: string;
  type: string;
  name: string;
  parent: string | null;
  custom: boolean;
  dependsOn: string[];
  inputs: Record<string, unknown>;
}

export interface ProgramRun {
  resources: PlannedResource[];
  outputs: Record<string, unknown>;
  /** What the program logged (pulumi.log), as `warning: …` / `info: …` lines. */
  log: string[];
  /** Values the mocks invented for outputs that exist only after deploy (see known-after-apply.ts). */
  afterApply: string[];
  /** Per URN, the inputs the engine keeps from state (`ignoreChanges`); only a diff against state needs them. */
  ignoreChanges?: Record<string, string[]>;
  /** Per URN, the inputs whose change the engine turns into a replacement (`replaceOnChanges`). */
  replaceOnChanges?: Record<string, string[]>;
  /** URNs replaced delete-first (`deleteBeforeReplace`). */
  deleteBeforeReplace?: string[];
}

/** Without an engine, pulumi.log writes to the console; collect those lines instead. */
async function capturingConsole<T>(log: string[], fn: () => Promise<T>): Promise<T> {
  const saved = { log: console.log, warn: console.warn, error: console.error };
  const capture = (...args: unknown[]) => log.push(args.map(String).join(" ").replace(/^(\w+): \[runtime\] /, "$1: "));
  Object.assign(console, { log: capture, warn: capture, error: capture });
  try {
    return await fn();
  } finally {
    Object.assign(console, saved);
  }
}

/** Inputs that are SDK plumbing rather than user intent. */
const hiddenInputs = new Set(["__provider"]);

interface Recorded {
  resource: pulumi.Resource;
  type: string;
  name: string;
  parent: pulumi.Resource | undefined;
  custom: boolean;
  /** As the program gave it: resources, or a promise or Output of them (resolved after the run). */
  dependsOn: unknown;
  ignoreChanges: string[];
  replaceOnChanges: string[];
  deleteBeforeReplace: boolean;
  props: Record<string, unknown>;
}

/** The resources a `dependsOn` names; under mocks every Output is known once the program has run. */
async function dependencies(d: unknown): Promise<pulumi.Resource[]> {
  if (!d) return [];
  if (Array.isArray(d)) return (await Promise.all(d.map(dependencies))).flat();
  if (d instanceof Promise) return dependencies(await d);
  if (pulumi.Output.isInstance(d)) return dependencies(await new Promise<unknown>((resolve) => d.apply((v) => resolve(v))));
  return pulumi.Resource.isInstance(d) ? [d] : [];
}

/**
 * The module to load for the project's program. The CLI runs a compiled copy of the package
 * (cli/compile.js) whose program is index.js two folders up; that is the project's program when
 * the project's index.ts is the one it was compiled from. Any other project's index.ts (a fixture
 * copy with its own program) runs as TypeScript through tsx, as under Pulumi.
 */
function programModule(root: string): string {
  const program = fs.realpathSync(path.join(root, "index.ts"));
  const compiledFrom = path.join(__dirname, "..", "..", ".source-root");
  if (!fs.existsSync(compiledFrom)) return program; // already running under tsx
  if (fs.realpathSync(path.join(fs.readFileSync(compiledFrom, "utf8"), "index.ts")) === program) return path.join(__dirname, "..", "..", "index");
  require("tsx/cjs");
  return program;
}

export async function runProgramOffline(opts: {
  /** The project folder; the program, as under Pulumi, finds it from the working directory. */
  root: string;
  project: string;
  stack: string;
  config: Record<string, string>;
  secretKeys: string[];
  /** planMocks unless given (a test records what the mocks return, to build a state export from it). */
  mocks?: pulumi.runtime.Mocks;
}): Promise<ProgramRun> {
  takeAfterApply(); // what an earlier run in this process invented is not this run's
  await pulumi.runtime.setMocks(opts.mocks ?? planMocks, opts.project, opts.stack, false);
  pulumi.runtime.setAllConfig(opts.config, opts.secretKeys);
  const recorded: Recorded[] = [];
  let exportsObj: Record<string, unknown> = {};
  const log: string[] = [];
  await capturingConsole(log, () => pulumi.runtime.runInPulumiStack(async () => {
    pulumi.runtime.registerStackTransformation((args) => {
      recorded.push({
        resource: args.resource,
        type: args.type,
        name: args.name,
        parent: args.opts.parent,
        custom: false, // known only once the constructor has finished; filled in below
        dependsOn: args.opts.dependsOn,
        ignoreChanges: (args.opts as pulumi.CustomResourceOptions).ignoreChanges ?? [],
        replaceOnChanges: args.opts.replaceOnChanges ?? [],
        deleteBeforeReplace: !!(args.opts as pulumi.CustomResourceOptions).deleteBeforeReplace,
        props: (args.props ?? {}) as Record<string, unknown>,
      });
      return undefined;
    });
    // Loaded here, not imported at the top: a static import would run before the mocks are set.
    // require() rather than import(): the program is CommonJS.
    exportsObj = { ...(require(programModule(opts.root)) as Record<string, unknown>) };
    return exportsObj;
  }));

  for (const r of recorded) r.custom = pulumi.CustomResource.isInstance(r.resource);
  const byResource = new Map<pulumi.Resource, Recorded>(recorded.map((r) => [r.resource, r]));
  const urns = new Map<pulumi.Resource, string>();
  const typeChain = (r: Recorded): string => {
    const p = r.parent && byResource.get(r.parent);
    return p ? `${typeChain(p)}$${r.type}` : r.type;
  };
  for (const r of recorded) urns.set(r.resource, `urn:pulumi:${opts.stack}::${opts.project}::${typeChain(r)}::${r.name}`);
  const urnOf = (res: pulumi.Resource) => urns.get(res);

  const resources: PlannedResource[] = [];
  const ignoreChanges: Record<string, string[]> = {};
  const replaceOnChanges: Record<string, string[]> = {};
  const deleteBeforeReplace: string[] = [];
  for (const r of recorded) {
    if (r.ignoreChanges.length) ignoreChanges[urns.get(r.resource)!] = [...r.ignoreChanges];
    if (r.replaceOnChanges.length) replaceOnChanges[urns.get(r.resource)!] = [...r.replaceOnChanges];
    if (r.deleteBeforeReplace) deleteBeforeReplace.push(urns.get(r.resource)!);
    const inputs = (await settle(Object.fromEntries(Object.entries(r.props).filter(([k]) => !hiddenInputs.has(k))), urnOf)) as Record<string, unknown>;
    resources.push({
      urn: urns.get(r.resource)!,
      type: r.type,
      name: r.name,
      parent: (r.parent && urns.get(r.parent)) ?? null,
      custom: r.custom,
      dependsOn: (await dependencies(r.dependsOn)).map((d) => urns.get(d)).filter((u): u is string => !!u),
      inputs,
    });
  }
  const outputs = (await settle(Object.fromEntries(Object.entries(exportsObj).filter(([k]) => k !== "default")), urnOf)) as Record<string, unknown>;
  return { resources, outputs, log, afterApply: takeAfterApply(), ignoreChanges, replaceOnChanges, deleteBeforeReplace };
}
