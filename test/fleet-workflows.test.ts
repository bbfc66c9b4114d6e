/**
 * The CI workflows parse, call only clusterkit subcommands and options the CLI really has and npm
 * scripts that exist, and reach AWS and Pulumi Cloud with OIDC rather than stored keys.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import { parseDocument } from "yaml";
import { buildProgram } from "../cli/main";
import { repoRoot } from "./support/temp-project";

const dir = path.join(repoRoot, ".github", "workflows");
const workflows = Object.fromEntries(
  ["drift.yml", "preview.yml"].map((f) => {
    const doc = parseDocument(fs.readFileSync(path.join(dir, f), "utf8"), { uniqueKeys: true });
    assert.deepEqual(doc.errors.map(String), [], `${f} does not parse`);
    return [f, doc.toJS() as any];
  }),
);

type Step = { uses?: string; run?: string; with?: Record<string, unknown>; if?: string; env?: Record<string, string> };
const jobs = (wf: any) => Object.entries(wf.jobs) as [string, { steps: Step[]; permissions?: Record<string, string>; strategy?: any; needs?: unknown }][];
const steps = (wf: any) => jobs(wf).flatMap(([, j]) => j.steps);

const program = buildProgram({ out: () => {}, err: () => {} }, () => {});
const commands = new Map(program.commands.map((c) => [c.name(), new Set(c.options.flatMap((o) => [o.long, o.short].filter(Boolean) as string[]))]));

/** Every `clusterkit …` invocation in a run script, with its line continuations joined. */
function clusterkitCalls(run: string): string[][] {
  const joined = run.replace(/\\\n\s*/g, " ");
  return [...joined.matchAll(/npx clusterkit ([^\n|>;&]*)/g)].map((m) => m[1].trim().split(/\s+/));
}

describe("CI workflows", () => {
  it("call only clusterkit subcommands and options that exist", () => {
    let calls = 0;
    for (const [name, wf] of Object.entries(workflows)) {
      for (const s of steps(wf).filter((x) => x.run)) {
        for (const [sub, ...args] of clusterkitCalls(s.run!)) {
          calls++;
          assert.ok(commands.has(sub), `${name}: clusterkit ${sub} is not a command`);
          for (const a of args) {
            const opt = /^(?:\$\{\w+:\+)?(--?[a-z][-a-z]*)/.exec(a)?.[1];
            if (opt) assert.ok(commands.get(sub)!.has(opt), `${name}: clusterkit ${sub} has no option ${opt}`);
          }
        }
      }
    }
    assert.ok(calls >= 4, `found only ${calls} clusterkit calls`);
  });

  it("run only npm scripts that exist", () => {
    const scripts = JSON.parse(fs.readFileSync(path.join(repoRoot, "package.json"), "utf8")).scripts;
    for (const [name, wf] of Object.entries(workflows)) {
      for (const s of steps(wf).filter((x) => x.run)) {
        for (const m of s.run!.matchAll(/npm (?:run(?:-script)? )?([\w:-]+)/g)) {
          const script = m[1];
          if (["ci", "install", "exec"].includes(script)) continue;
          assert.ok(script in scripts, `${name}: npm ${script} is not a script in package.json`);
        }
      }
    }
  });

  it("use OIDC for AWS and Pulumi Cloud, and no long-lived keys", () => {
    for (const [name, wf] of Object.entries(workflows)) {
      const text = fs.readFileSync(path.join(dir, name), "utf8");
      for (const key of ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "secrets.PULUMI_ACCESS_TOKEN", "aws-access-key-id"]) assert.ok(!text.includes(key), `${name} uses ${key}`);
      for (const [job, j] of jobs(wf)) {
        const aws = j.steps.find((s) => s.uses?.startsWith("aws-actions/configure-aws-credentials@"));
        const pulumiAuth = j.steps.find((s) => s.uses?.startsWith("pulumi/auth-actions@"));
        if (aws || pulumiAuth) assert.equal(j.permissions?.["id-token"], "write", `${name}: job ${job} needs id-token: write for OIDC`);
        if (aws) assert.match(String(aws.with?.["role-to-assume"]), /^\$\{\{ vars\.\w+ \}\}$/, `${name}: job ${job} assumes a role`);
      }
    }
  });

  it("drift.yml: nightly, a matrix of shards, reports uploaded, issues per drifted stack", () => {
    const wf = workflows["drift.yml"];
    assert.match(wf.on.schedule[0].cron, /^\d+ \d+ \* \* \*$/);
    const drift = wf.jobs.drift;
    assert.deepEqual(drift.strategy.matrix.shard, [1, 2, 3, 4]);
    assert.equal(drift.strategy["fail-fast"], false);
    const run = drift.steps.find((s: Step) => s.run?.includes("clusterkit drift"));
    assert.match(run.env.SHARD, /^\$\{\{ matrix\.shard \}\}\/\$\{\{ strategy\.job-total \}\}$/);
    assert.ok(drift.steps.some((s: Step) => s.uses === "pulumi/actions@v6"), "installs the Pulumi CLI with the official action");
    const upload = drift.steps.find((s: Step) => s.uses?.startsWith("actions/upload-artifact@"));
    assert.equal(upload.if, "always()", "reports are uploaded even when the job fails on drift");
    assert.equal(wf.jobs.issues.permissions.issues, "write");
    assert.equal(wf.jobs.issues.needs, "drift");
  });

  it("preview.yml: validate, then a preview per touched stack with a PR comment", () => {
    const wf = workflows["preview.yml"];
    assert.ok("pull_request" in wf.on);
    assert.ok(wf.jobs.validate.steps.some((s: Step) => s.run === "npx clusterkit validate"));
    const preview = wf.jobs.preview;
    assert.equal(preview.strategy.matrix.stack, "${{ fromJSON(needs.validate.outputs.stacks) }}");
    const action = preview.steps.find((s: Step) => s.uses === "pulumi/actions@v6");
    assert.equal(action.with.command, "preview");
    assert.equal(action.with["stack-name"], "${{ matrix.stack }}");
    assert.equal(action.with["comment-on-pr"], true);
    assert.equal(preview.permissions["pull-requests"], "write");
  });
});
