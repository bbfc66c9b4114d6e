/**
 * `.ci/run`, the README's install section and the project's own GitHub workflow say the same
 * thing: CI runs the README's two commands, and a fork's CI runs `.ci/run` as root on Debian.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, it } from "node:test";
import { parse } from "yaml";
import { repoRoot } from "./support/temp-project";

const read = (f: string) => fs.readFileSync(path.join(repoRoot, f), "utf8");

/** The shell commands of the README's first fenced block under "Install and first run". */
function readmeCommands(): string[] {
  const section = read("README.md").split(/^## Install and first run$/m)[1]?.split(/^## /m)[0] ?? "";
  const block = /```sh\n([\s\S]*?)```/.exec(section)?.[1] ?? "";
  return block.split("\n").map((l) => l.trim()).filter(Boolean);
}

describe("CI entry point", () => {
  it("the README's install section has the two commands", () => {
    assert.deepEqual(readmeCommands(), ["npm ci && npx clusterkit plan --stack prod-us-east-1", "npm test"]);
  });

  it(".ci/run runs exactly the README's commands, in order", () => {
    const lines = read(".ci/run").split("\n").map((l) => l.trim()).filter((l) => /^(npm|npx) /.test(l));
    const run = lines.map((l) => l.replace(/ --(no-audit|no-fund|loglevel=\S+)/g, "").replace(/ >\/dev\/null$/, ""));
    assert.deepEqual(run, ["npm ci", "npx clusterkit plan --stack prod-us-east-1", "npm test"]);
    // Debian packages come from npm test itself, not from a CI-only step a user would not run.
    const code = read(".ci/run").split("\n").filter((l) => !l.trim().startsWith("#")).join("\n");
    assert.doesNotMatch(code, /apt-get|setup-deps/);
    assert.match(read("test/run-all.sh"), /^bash test\/setup-deps\.sh \|\| exit 2$/m);
  });

  it("the GitHub workflow runs .ci/run as root in a privileged Debian 12 container", () => {
    const wf = parse(read(".github/workflows/test.yml"));
    const job = wf.jobs.test;
    assert.equal(job.container.image, "debian:12");
    assert.match(job.container.options, /--privileged/);
    const runs = job.steps.filter((s: any) => s.run).map((s: any) => s.run.trim());
    assert.ok(runs.includes("bash .ci/run"), runs.join("\n"));
    const node = job.steps.find((s: any) => String(s.uses).startsWith("actions/setup-node@"));
    assert.equal(String(node.with["node-version"]), "20");
    assert.ok(fs.existsSync(path.join(repoRoot, ".ci/run")));
  });

  it("the GitHub workflow builds the upstream tools in a job of its own, whose cache the test job restores", () => {
    const wf = parse(read(".github/workflows/test.yml"));
    const cacheOf = (job: any, action: string) => job.steps.find((s: any) => String(s.uses).startsWith(`${action}@`));
    const tools = wf.jobs.tools;
    assert.ok(tools.steps.some((s: any) => s.run?.trim() === "bash test/upstream/build.sh --require-all"));
    const saved = cacheOf(tools, "actions/cache");
    assert.ok(tools.steps.indexOf(saved) < tools.steps.findIndex((s: any) => s.run?.includes("build.sh")), "the cache is restored before the build and saved after it");
    assert.equal(wf.jobs.test.needs, "tools");
    const restored = cacheOf(wf.jobs.test, "actions/cache/restore");
    assert.equal(restored.with.path, saved.with.path);
    assert.equal(restored.with.key, saved.with.key);
    assert.equal(restored.with["fail-on-cache-miss"], true);
    assert.equal(saved.with.path, "~/.cache/clusterkit/upstream");
    assert.ok(wf.jobs.test.steps.indexOf(restored) < wf.jobs.test.steps.findIndex((s: any) => s.run === "bash .ci/run"));
    assert.ok(wf.jobs.test["timeout-minutes"] <= 60);
  });

  it("where packages cannot be installed (not root), setup-deps stops at once with one line naming them and the command", { skip: process.getuid?.() === 0 ? false : "needs root to run as another user" }, () => {
    // A copy another user can read, wherever the clone lives (CI's may sit under /root).
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ck-setup-deps-"));
    fs.chmodSync(dir, 0o755);
    const script = path.join(dir, "setup-deps.sh");
    fs.copyFileSync(path.join(repoRoot, "test", "hosts", "setup-deps.sh"), script);
    fs.chmodSync(script, 0o755);
    const r = spawnSync("runuser", ["-u", "nobody", "--", "bash", script, "/nonexistent/clusterkit-tool=clusterkit-fake-pkg"], { encoding: "utf8", timeout: 30_000 });
    assert.equal(r.status, 2, r.stderr);
    assert.equal(r.stdout, "");
    const lines = r.stderr.trim().split("\n");
    assert.equal(lines.length, 1, r.stderr);
    fs.rmSync(dir, { recursive: true, force: true });
    assert.match(lines[0], /missing Debian packages clusterkit-fake-pkg \(not root\); install them with: sudo apt-get install -y clusterkit-fake-pkg$/);
  });
});
