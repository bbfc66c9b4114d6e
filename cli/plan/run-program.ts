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
  dependsOn: pulumi.Resource[];
  ignoreChanges: string[];
  props: Record<string, unknown>;
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
      const deps = args.opts.dependsOn;
      recorded.push({
        resource: args.resource,
        type: args.type,
        name: args.name,
        parent: args.opts.parent,
        custom: false, // known only once the constructor has finished; filled in below
        dependsOn: (Array.isArray(deps) ? deps : deps ? [deps] : []).filter((d): d is pulumi.Resource => pulumi.Resource.isInstance(d)),
        ignoreChanges: (args.opts as pulumi.CustomResourceOptions).ignoreChanges ?? [],
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
  for (const r of recorded) {
    if (r.ignoreChanges.length) ignoreChanges[urns.get(r.resource)!] = [...r.ignoreChanges];
    const inputs = (await settle(Object.fromEntries(Object.entries(r.props).filter(([k]) => !hiddenInputs.has(k))), urnOf)) as Record<string, unknown>;
    resources.push({
      urn: urns.get(r.resource)!,
      type: r.type,
      name: r.name,
      parent: (r.parent && urns.get(r.parent)) ?? null,
      custom: r.custom,
      dependsOn: r.dependsOn.map((d) => urns.get(d)).filter((u): u is string => !!u),
      inputs,
    });
  }
  const outputs = (await settle(Object.fromEntries(Object.entries(exportsObj).filter(([k]) => k !== "default")), urnOf)) as Record<string, unknown>;
  return { resources, outputs, log, afterApply: takeAfterApply(), ignoreChanges };
}
