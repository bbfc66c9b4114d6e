/**
 * Mock responses for the offline plan. The plan uses Pulumi's official mocks on purpose: it runs
 * the real program with no CLI and no credentials. Resources echo their inputs and get the
 * computed outputs their consumers read (so applies on them run); invokes return plausible lookups.
 * Every invented output that exists only after deploy goes through `afterApply`, so the plan can
 * show it as unknown rather than as a real value.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type * as pulumi from "@pulumi/pulumi";
import { afterApply } from "./known-after-apply";

type State = Record<string, unknown>;

/** Computed outputs per resource type, beyond the echoed inputs. */
const computedOutputs: Record<string, (name: string, inputs: State) => State> = {};

/** Results of data-source invokes, per token. */
const invokeResults: Record<string, (inputs: State) => State> = {};

export function registerComputedOutputs(type: string, fn: (name: string, inputs: State) => State): void {
  computedOutputs[type] = fn;
}

export function registerInvokeResult(token: string, fn: (inputs: State) => State): void {
  invokeResults[token] = fn;
}

export const planMocks: pulumi.runtime.Mocks = {
  newResource(args) {
    const extra = computedOutputs[args.type]?.(args.name, args.inputs) ?? {};
    // New resources arrive with an empty id; give them one so applies on ids run. The plan shows it as unknown.
    return { id: args.id || afterApply(`${args.name}-id`), state: { ...args.inputs, ...extra } };
  },
  call(args) {
    const fn = invokeResults[args.token];
    return fn ? fn(args.inputs) : { ...args.inputs, id: `${args.token.split(":").pop()}-id` };
  },
};

// Each provider package's mock outputs live in their own file in mocks/ (aws.ts, kubernetes.ts, …),
// which registers itself on load. .js: the CLI runs a compiled copy of this folder (cli/compile.js).
for (const f of fs.readdirSync(path.join(__dirname, "mocks")).sort()) {
  if (/\.[jt]s$/.test(f) && !f.endsWith(".d.ts")) require(path.join(__dirname, "mocks", f));
}
