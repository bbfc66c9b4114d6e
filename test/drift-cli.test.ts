/**
 * `clusterkit drift` end to end against the pulumi stand-in (test/standins/pulumi), which the
 * Automation API selects and drives like the real CLI, in throwaway copies of the project. Each
 * scenario is one nightly run: no drift, drift in 2 of 5 stacks, an auth failure, a stack that
 * does not exist, a stack that hangs until the timeout.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { after, describe, it } from "node:test";
import { SIG_KEY } from "../core/fleet/redact";
import { clusterkit, type CliResult } from "./support/cli";
import { repoRoot, tempProject } from "./support/temp-project";

const standin = path.join(repoRoot, "test", "standins", "pulumi");
const five = "prod-*,vsphere-*,metal-ber1";

type Behaviour = { behaviour: string; fixture?: string; region?: string };
const clean: Record<string, Behaviour> = {
  "prod-us-east-1": { behaviour: "events", fixture: "eks-clean", region: "us-east-1" },
  "prod-eu-west-1": { behaviour: "events", fixture: "eks-clean", region: "eu-west-1" },
  "vsphere-fra1": { behaviour: "events", fixture: "vsphere-clean", region: "fra1" },
  "vsphere-ams1": { behaviour: "events", fixture: "vsphere-clean", region: "ams1" },
  "metal-ber1": { behaviour: "events", fixture: "metal-clean", region: "ber1" },
};

const projects: ReturnType<typeof tempProject>[] = [];
after(() => projects.forEach((p) => p.cleanup()));

interface Run extends CliResult {
  report: any;
  markdown: string;
  calls: { pid: number; t: number; argv?: string[]; exit?: number; tmpdir?: string }[];
  seconds: number;
  /** The TMPDIR clusterkit ran with. */
  tmp: string;
}

function drift(stacks: Record<string, Behaviour>, args: string[], opts: { version?: string; env?: NodeJS.ProcessEnv } = {}): Run {
  const p = tempProject("clusterkit-drift-");
  projects.push(p);
  const scenario = path.join(p.root, "scenario.json");
  const calls = path.join(p.root, "calls.jsonl");
  fs.writeFileSync(scenario, JSON.stringify({ version: opts.version ?? "3.248.0", calls, stacks }));
  const tmp = path.join(p.root, "tmp");
  fs.mkdirSync(tmp);
  const started = Date.now();
  const r = clusterkit(["drift", "--pulumi-root", standin, "--json", "report.json", "--markdown", "report.md", ...args], p.root, { PULUMI_STANDIN_SCENARIO: scenario, TMPDIR: tmp, ...opts.env });
  const read = (f: string) => (fs.existsSync(path.join(p.root, f)) ? fs.readFileSync(path.join(p.root, f), "utf8") : "");
  return {
    ...r,
    report: read("report.json") ? JSON.parse(read("report.json")) : null,
    markdown: read("report.md"),
    calls: read("calls.jsonl").split("\n").filter(Boolean).map((l) => JSON.parse(l)),
    seconds: (Date.now() - started) / 1000,
    tmp,
  };
}

function statuses(run: Run): Record<string, string> {
  return Object.fromEntries(run.report.stacks.map((s: any) => [s.stack, s.error ? `${s.status}:${s.error.kind}` : s.status]));
}

/** The most refreshes the stand-in saw running at the same time. */
function maxParallelRefreshes(run: Run): number {
  const refreshPids = new Set(run.calls.filter((c) => c.argv?.[0] === "refresh").map((c) => c.pid));
  const edges = run.calls.filter((c) => refreshPids.has(c.pid)).map((c) => ({ t: c.t, d: c.argv ? 1 : -1 }));
  let now = 0;
  let max = 0;
  for (const e of edges.sort((a, b) => a.t - b.t || a.d - b.d)) max = Math.max(max, (now += e.d));
  return max;
}

// Each run is a few CLI processes that mostly wait; two at a time keeps the file quicker.
describe("clusterkit drift (against the pulumi stand-in)", { concurrency: 2 }, () => {
  it("exits 0 when no stack drifted, driving the CLI as the Automation API does", () => {
    const run = drift(clean, ["--stacks", five]);
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(statuses(run), { "metal-ber1": "clean", "prod-eu-west-1": "clean", "prod-us-east-1": "clean", "vsphere-ams1": "clean", "vsphere-fra1": "clean" });
    assert.deepEqual(run.report.summary, { stacks: 5, clean: 5, drifted: 0, errors: 0, driftedResources: 0 });
    assert.equal(run.report.pulumiVersion, "3.248.0");
    assert.match(run.stdout, /5 stack\(s\): 5 clean, 0 drifted, 0 not checked\./);
    // What was run: `pulumi version`, then per stack `stack select` and a preview-only refresh
    // streaming its events to the API's gRPC event server. Never an update.
    const argvs = run.calls.filter((c) => c.argv).map((c) => c.argv!);
    assert.deepEqual(argvs[0], ["version"]);
    const refreshes = argvs.filter((a) => a[0] === "refresh");
    assert.equal(refreshes.length, 5);
    for (const a of refreshes) {
      assert.deepEqual(a.slice(0, 2), ["refresh", "--preview-only"]);
      assert.match(a[a.indexOf("--event-log") + 1], /^tcp:\/\/127\.0\.0\.1:\d+$/);
      assert.ok(!a.includes("--yes") && !a.includes("--skip-preview"));
    }
    assert.equal(argvs.filter((a) => a[0] === "stack" && a[1] === "select").length, 5);
    assert.ok(argvs.every((a) => a[0] !== "up" && a[0] !== "destroy"));
    assert.ok(maxParallelRefreshes(run) <= 3, `ran ${maxParallelRefreshes(run)} refreshes at once`);
    // The CLI and its plugins ran in a private TMPDIR, removed afterwards with the kubeconfig files
    // the Kubernetes provider leaves there (the stand-in writes one per refresh, as the provider does).
    const tmpdirs = new Set(run.calls.filter((c) => c.argv?.[0] === "refresh").map((c) => c.tmpdir));
    assert.equal(tmpdirs.size, 1);
    assert.match([...tmpdirs][0]!, new RegExp(`^${run.tmp}/clusterkit-drift-\\w+$`));
    assert.deepEqual(fs.readdirSync(run.tmp), []);
  });

  it("checks stacks where CI skips confirmations (PULUMI_SKIP_CONFIRMATIONS=true), which a preview-only refresh refuses", () => {
    // Found by the real CLI (test/upstream-engine.test.ts): the variable counts as --yes there.
    const run = drift(clean, ["--stacks", "metal-ber1"], { env: { PULUMI_SKIP_CONFIRMATIONS: "true" } });
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.deepEqual(statuses(run), { "metal-ber1": "clean" });
  });

  it("exits 1 with drift in 2 of 5 stacks, reporting each resource and property, secrets redacted", () => {
    const run = drift({ ...clean, "prod-eu-west-1": { behaviour: "events", fixture: "eks-drift", region: "eu-west-1" }, "vsphere-fra1": { behaviour: "events", fixture: "vsphere-drift", region: "fra1" } }, ["--stacks", five]);
    assert.equal(run.code, 1, run.stderr);
    assert.deepEqual(statuses(run), { "metal-ber1": "clean", "prod-eu-west-1": "drifted", "prod-us-east-1": "clean", "vsphere-ams1": "clean", "vsphere-fra1": "drifted" });
    assert.deepEqual(run.report.summary, { stacks: 5, clean: 3, drifted: 2, errors: 0, driftedResources: 5 });
    const eks = run.report.stacks.find((s: any) => s.stack === "prod-eu-west-1");
    assert.deepEqual(eks.changeSummary, { same: 6, update: 2, delete: 1 });
    assert.deepEqual(
      eks.resources.map((r: any) => `${r.change} ${r.type} ${r.name}`),
      [
        "update aws:ec2/defaultSecurityGroup:DefaultSecurityGroup prod-eu-west-1-default-sg",
        "delete aws:ec2/route:Route prod-eu-west-1-private-eu-west-1a-default",
        "update aws:eks/cluster:Cluster prod-eu-west-1",
      ],
    );
    const vm = run.report.stacks.find((s: any) => s.stack === "vsphere-fra1").resources.find((r: any) => r.type === "vsphere:index/virtualMachine:VirtualMachine");
    assert.deepEqual(vm.properties.map((p: any) => [p.path, p.old, p.new]), [
      ['extraConfig["guestinfo.userdata"]', "[secret]", "[secret]"],
      ["memory", 16384, 32768],
      ["numCpus", 8, 16],
    ]);
    for (const text of [JSON.stringify(run.report), run.markdown, run.stdout]) assert.ok(!text.includes(SIG_KEY) && !text.includes("ciphertext"));
    assert.match(run.stdout, /^drifted  prod-eu-west-1 .*: 3 resource\(s\) changed outside Pulumi$/m);
    assert.match(run.stdout, /^      tags\.Owner: \(none\) -> "jane@example\.com"$/m);
    assert.match(run.markdown, /^## Drift report: drift in 2 of 5 stack\(s\)$/m);
  });

  it("exits 2 when credentials are refused, and says it was an auth failure", () => {
    const run = drift({ ...clean, "prod-eu-west-1": { behaviour: "events", fixture: "aws-no-credentials", region: "eu-west-1" }, "metal-ber1": { behaviour: "login-required" } }, ["--stacks", five]);
    assert.equal(run.code, 2, run.stderr);
    assert.deepEqual(statuses(run), { "metal-ber1": "error:auth", "prod-eu-west-1": "error:auth", "prod-us-east-1": "clean", "vsphere-ams1": "clean", "vsphere-fra1": "clean" });
    const eks = run.report.stacks.find((s: any) => s.stack === "prod-eu-west-1");
    assert.match(eks.error.message, /has a problem: No valid credential sources found\./);
    const metal = run.report.stacks.find((s: any) => s.stack === "metal-ber1");
    assert.match(metal.error.message, /PULUMI_ACCESS_TOKEN must be set/);
  });

  it("exits 2 for a stack that was never deployed, and still checks the others", () => {
    const { "vsphere-ams1": _gone, ...four } = clean;
    const run = drift({ ...four, "prod-eu-west-1": { behaviour: "events", fixture: "eks-drift", region: "eu-west-1" } }, ["--stacks", five]);
    assert.equal(run.code, 2, run.stderr);
    assert.deepEqual(statuses(run), { "metal-ber1": "clean", "prod-eu-west-1": "drifted", "prod-us-east-1": "clean", "vsphere-ams1": "error:stack-not-found", "vsphere-fra1": "clean" });
    assert.match(run.stdout, /^error    vsphere-ams1 .*: stack-not-found: no stack named 'vsphere-ams1' found/m);
    assert.equal(run.calls.filter((c) => c.argv?.[0] === "refresh" && c.argv.includes("vsphere-ams1")).length, 0);
  });

  it("cancels a hung stack at the timeout, exits 2, and leaves no stand-in running", () => {
    // 12s: ample for the stand-in's other stacks even on a loaded machine; the hung one never answers.
    const run = drift({ ...clean, "vsphere-ams1": { behaviour: "hang" } }, ["--stacks", five, "--timeout", "12"]);
    assert.equal(run.code, 2, run.stderr);
    assert.deepEqual(statuses(run), { "metal-ber1": "clean", "prod-eu-west-1": "clean", "prod-us-east-1": "clean", "vsphere-ams1": "error:timeout", "vsphere-fra1": "clean" });
    const ams = run.report.stacks.find((s: any) => s.stack === "vsphere-ams1");
    assert.match(ams.error.message, /^no result after 12s; the refresh was cancelled/);
    assert.ok(ams.durationSeconds >= 12 && ams.durationSeconds < 25, `gave up after ${ams.durationSeconds}s`);
    // The CLI and the other stacks take their time; the hung one adds its 12s, not more.
    assert.ok(run.seconds < 120, `took ${run.seconds}s`);
    const hung = run.calls.find((c) => c.argv?.[0] === "refresh" && c.argv.includes("vsphere-ams1"))!;
    assert.ok(run.calls.some((c) => c.pid === hung.pid && c.exit !== undefined), "the hung refresh was not stopped");
  });

  it("reads events from a log file with a Pulumi CLI older than the gRPC event stream", () => {
    const run = drift({ ...clean, "vsphere-fra1": { behaviour: "events", fixture: "vsphere-drift", region: "fra1" } }, ["--stacks", "vsphere-*"], { version: "3.200.0" });
    assert.equal(run.code, 1, run.stderr);
    assert.deepEqual(statuses(run), { "vsphere-ams1": "clean", "vsphere-fra1": "drifted" });
    const refresh = run.calls.find((c) => c.argv?.[0] === "refresh")!.argv!;
    assert.match(refresh[refresh.indexOf("--event-log") + 1], /automation-logs-preview-refresh-.*\/eventlog\.txt$/);
  });

  it("checks only its shard, one stack at a time with --concurrency 1", () => {
    const run = drift(clean, ["--stacks", five, "--shard", "2/2", "--concurrency", "1"]);
    assert.equal(run.code, 0, run.stderr);
    // Sorted: metal-ber1, prod-eu-west-1, prod-us-east-1, vsphere-ams1, vsphere-fra1; shard 2 of 2 gets the 2nd and 4th.
    assert.deepEqual(Object.keys(statuses(run)), ["prod-eu-west-1", "vsphere-ams1"]);
    assert.deepEqual(run.report.shard, { index: 2, count: 2 });
    assert.equal(maxParallelRefreshes(run), 1);
    const empty = drift(clean, ["--stacks", "metal-ber1", "--shard", "2/3"]);
    assert.equal(empty.code, 0, empty.stderr);
    assert.match(empty.stdout, /^No stacks in shard 2\/3; nothing to check\.$/m);
    assert.deepEqual(empty.calls, []);
  });

  it("appends its summary to $GITHUB_STEP_SUMMARY instead of replacing it", () => {
    const p = tempProject("clusterkit-drift-");
    projects.push(p);
    const summary = path.join(p.root, "step-summary.md");
    fs.writeFileSync(summary, "# Earlier step\n");
    const scenario = path.join(p.root, "scenario.json");
    fs.writeFileSync(scenario, JSON.stringify({ version: "3.248.0", stacks: clean }));
    const r = clusterkit(["drift", "--pulumi-root", standin, "--stacks", "metal-ber1", "--markdown", summary], p.root, { PULUMI_STANDIN_SCENARIO: scenario, GITHUB_STEP_SUMMARY: summary });
    assert.equal(r.code, 0, r.stderr);
    assert.match(fs.readFileSync(summary, "utf8"), /^# Earlier step\n## Drift report: no drift in 1 stack\(s\)$/m);
  });

  it("exits 2 on bad options before running anything", () => {
    for (const args of [["--shard", "3/2"], ["--stacks", "nope-*"], ["--concurrency", "0"], ["--timeout", "soon"]]) {
      const run = drift(clean, args);
      assert.equal(run.code, 2, `${args.join(" ")}: ${run.stderr}`);
      assert.match(run.stderr, /^\(command line\): --\w+: /m);
      assert.deepEqual(run.calls, []);
    }
  });
});
