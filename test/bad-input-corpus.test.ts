/**
 * The bad-input corpus of issue #10: one realistic case per class of bad input that used to get a
 * poor error. Each runs the real CLI on a throwaway project holding only the files it needs and
 * checks what a user relies on: the file and field to edit, expected/found and a hint where one
 * helps, exit 2, no stack trace, no follow-on errors, and nothing written.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after, describe, it } from "node:test";
import { parse, stringify } from "yaml";
import type { Issue } from "../core/errors";
import { clusterkit, type CliResult } from "./support/cli";
import { listFiles, repoRoot } from "./support/temp-project";

type Doc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

interface Project {
  root: string;
  edit(rel: string, fn: (doc: Doc) => void): void;
  write(rel: string, text: string): void;
}

const roots: string[] = [];
after(() => roots.forEach((r) => fs.rmSync(r, { recursive: true, force: true })));

const stackBlueprint: Record<string, string> = { "metal-ber1": "baremetal-ha", "prod-us-east-1": "eks-standard", "vsphere-fra1": "vsphere-ha" };

/** A project with just the named example stacks (and their blueprints), so no other file matters. */
function project(stacks: string[]): Project {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "clusterkit-corpus-"));
  roots.push(root);
  fs.mkdirSync(path.join(root, "stacks"));
  fs.mkdirSync(path.join(root, "blueprints"));
  fs.copyFileSync(path.join(repoRoot, "Pulumi.yaml"), path.join(root, "Pulumi.yaml"));
  for (const s of stacks) {
    fs.copyFileSync(path.join(repoRoot, "stacks", `Pulumi.${s}.yaml`), path.join(root, "stacks", `Pulumi.${s}.yaml`));
    const bp = `${stackBlueprint[s]}.yaml`;
    fs.copyFileSync(path.join(repoRoot, "blueprints", bp), path.join(root, "blueprints", bp));
  }
  for (const name of ["index.ts", "core", "components", "providers", "cli", "node_modules", "package.json", "tsconfig.json"]) {
    fs.symlinkSync(path.join(repoRoot, name), path.join(root, name));
  }
  const write = (rel: string, text: string) => fs.writeFileSync(path.join(root, rel), text);
  return {
    root,
    write,
    edit: (rel, fn) => {
      const doc = parse(fs.readFileSync(path.join(root, rel), "utf8"));
      fn(doc);
      write(rel, stringify(doc));
    },
  };
}

const vars = (d: Doc): Doc => d.config["clusterkit:variables"];
const overrides = (d: Doc, o: Doc) => (d.config["clusterkit:overrides"] = o);

/** A YAML document whose aliases expand exponentially: the parser's alias-count limit stops it. */
function aliasBomb(): string {
  const lines = ["    a0: &a0 [x, x, x, x, x, x, x, x, x, x]"];
  for (let i = 1; i < 8; i++) lines.push(`    a${i}: &a${i} [${Array(10).fill(`*a${i - 1}`).join(", ")}]`);
  return `config:\n  clusterkit:blueprint: baremetal-ha\n  clusterkit:region: ber1\n  clusterkit:overrides:\n${lines.join("\n")}\n`;
}

interface Expect {
  file: string;
  path: string;
  message?: RegExp;
  expected?: string;
  found?: string;
  hint?: RegExp;
}

interface Case {
  name: string;
  stack: string;
  edit: (p: Project) => void;
  /** Issues that must be reported (all of them, in one run). */
  expect: Expect[];
  /** Exactly this many issues: no follow-on errors. */
  count?: number;
}

const ber1 = "stacks/Pulumi.metal-ber1.yaml";
const use1 = "stacks/Pulumi.prod-us-east-1.yaml";
const fra1 = "stacks/Pulumi.vsphere-fra1.yaml";

const cases: Case[] = [
  // An unknown key inside an either/or field is named, with a "did you mean".
  {
    name: "a misspelled key in an EKS pool size (blueprint)",
    stack: "prod-us-east-1",
    edit: (p) => p.edit("blueprints/eks-standard.yaml", (d) => (d.nodePools.system.size = { instanceType: ["m6i.large"], diskGiB: 50 })),
    expect: [{ file: "blueprints/eks-standard.yaml", path: "nodePools.system.size.instanceType", message: /^unknown key$/, hint: /did you mean 'instanceTypes'\?/ }],
    count: 1,
  },
  {
    name: "a misspelled key in a vSphere pool size (blueprint)",
    stack: "vsphere-fra1",
    edit: (p) => p.edit("blueprints/vsphere-ha.yaml", (d) => (d.nodePools.workers.size = { cpus: 8, memoryMib: 16384, diskGiB: 120 })),
    expect: [{ file: "blueprints/vsphere-ha.yaml", path: "nodePools.workers.size.memoryMib", message: /^unknown key$/, hint: /did you mean 'memoryMiB'\?/ }],
    count: 1,
  },
  {
    name: "a misspelled key in an EKS pool size (stack override)",
    stack: "prod-us-east-1",
    edit: (p) => p.edit(use1, (d) => overrides(d, { nodePools: { system: { size: { capacityTyp: "SPOT" } } } })),
    expect: [{ file: use1, path: "config.clusterkit:overrides.nodePools.system.size.capacityTyp", message: /^unknown key$/, hint: /did you mean 'capacityType'\?/ }],
    count: 1,
  },
  {
    name: "a misspelled kind of an either/or field",
    stack: "prod-us-east-1",
    edit: (p) => p.edit(use1, (d) => overrides(d, { cni: { kind: "cillium" } })),
    expect: [{ file: use1, path: "config.clusterkit:overrides.cni.kind", message: /is not a known kind/, found: '"cillium"', hint: /did you mean 'cilium'\?/ }],
    count: 1,
  },
  {
    name: "a value outside a union of literals",
    stack: "prod-us-east-1",
    edit: (p) => p.edit("blueprints/eks-standard.yaml", (d) => (d.platform.imdsHopLimit = 3)),
    expect: [{ file: "blueprints/eks-standard.yaml", path: "platform.imdsHopLimit", expected: "1 | 2", found: "3" }],
    count: 1,
  },
  // The file and field the user must edit, not the blueprint, when a stack value caused it.
  {
    name: "a pod range from a stack variable too small for the nodes",
    stack: "metal-ber1",
    edit: (p) => p.edit(ber1, (d) => (vars(d).podCidr = "10.66.0.0/30")),
    expect: [{ file: ber1, path: "config.clusterkit:variables.podCidr", message: /fits only 1 node/ }],
    count: 1,
  },
  {
    name: "a cluster name from the stack too long for node names",
    stack: "vsphere-fra1",
    edit: (p) => p.edit(fra1, (d) => (d.config["clusterkit:clusterName"] = `fra1-${"x".repeat(58)}`)),
    expect: [{ file: fra1, path: "config.clusterkit:clusterName", message: /DNS-1123/ }],
    count: 1,
  },
  {
    name: "an override switching the CNI kind (blueprint fields of the old kind are not carried over)",
    stack: "metal-ber1",
    edit: (p) => p.edit(ber1, (d) => overrides(d, { cni: { kind: "cilium", hubble: { enabled: false, ui: true } } })),
    expect: [{ file: ber1, path: "config.clusterkit:overrides.cni.hubble.ui", message: /needs hubble\.enabled: true/ }],
    count: 1,
  },
  // Cluster names that make invalid DNS-1123 node and host names.
  {
    name: "a cluster name with capitals and an underscore on vSphere",
    stack: "vsphere-fra1",
    edit: (p) => p.edit(fra1, (d) => (d.config["clusterkit:clusterName"] = "Fra1_Prod")),
    expect: [{ file: fra1, path: "config.clusterkit:clusterName", message: /DNS-1123/, found: '"Fra1_Prod-cp-1"' }],
    count: 1,
  },
  {
    name: "a cluster name with a leading hyphen on vSphere",
    stack: "vsphere-fra1",
    edit: (p) => p.edit(fra1, (d) => (d.config["clusterkit:clusterName"] = "-fra1")),
    expect: [{ file: fra1, path: "config.clusterkit:clusterName", message: /DNS-1123/, found: '"-fra1-cp-1"' }],
    count: 1,
  },
  // Parser exceptions are ordinary `file: line: message` issues.
  {
    name: "a YAML alias bomb in a stack file",
    stack: "metal-ber1",
    edit: (p) => p.write(ber1, aliasBomb()),
    expect: [{ file: ber1, path: "line 6, column 14", message: /^is not valid YAML: its aliases expand too far/ }],
    count: 1,
  },
  // Unknown cloud regions.
  {
    name: "an AWS region that does not exist",
    stack: "prod-us-east-1",
    edit: (p) =>
      p.edit(use1, (d) => {
        d.config["clusterkit:region"] = "eu-central-3";
        vars(d).azs = ["eu-central-3a", "eu-central-3b", "eu-central-3c"];
      }),
    expect: [{ file: use1, path: "config.clusterkit:region", message: /is not an AWS region/, found: '"eu-central-3"', hint: /did you mean 'eu-central-1'\?/ }],
    count: 1,
  },
  // A host without a pinned key is refused at validation, not at `pulumi up`.
  {
    name: "a host with no pinned host key while trust-on-first-use is off",
    stack: "metal-ber1",
    edit: (p) => p.edit(ber1, (d) => delete vars(d).hosts[1].hostKey),
    expect: [{ file: ber1, path: "config.clusterkit:variables.hosts[1].hostKey", message: /pinned host key/, hint: /ssh-keyscan -t ed25519 10\.5\.0\.12/ }],
    count: 1,
  },
  // One bad entry does not drop the whole list (no "found 0" / "found nothing").
  {
    name: "one host with a bad address",
    stack: "metal-ber1",
    edit: (p) => p.edit(ber1, (d) => (vars(d).hosts[1].address = "10.5.0.999")),
    expect: [{ file: ber1, path: "config.clusterkit:variables.hosts[1].address", found: '"10.5.0.999"' }],
    count: 1,
  },
  {
    name: "one empty availability zone",
    stack: "prod-us-east-1",
    edit: (p) => p.edit(use1, (d) => (vars(d).azs = ["us-east-1a", "", "us-east-1c"])),
    expect: [{ file: use1, path: "config.clusterkit:variables.azs[1]" }],
    count: 1,
  },
  {
    name: "one bad name server on vSphere",
    stack: "vsphere-fra1",
    edit: (p) => p.edit(fra1, (d) => (vars(d).nameservers[1] = "dns2.fra1")),
    expect: [{ file: fra1, path: "config.clusterkit:variables.nameservers[1]", found: '"dns2.fra1"' }],
    count: 1,
  },
  // An invalid CIDR is one error, not two.
  {
    name: "a pod CIDR with host bits set",
    stack: "metal-ber1",
    edit: (p) => p.edit(ber1, (d) => (vars(d).podCidr = "10.66.0.1/16")),
    expect: [{ file: ber1, path: "config.clusterkit:variables.podCidr", message: /no host bits set/, found: '"10.66.0.1/16"' }],
    count: 1,
  },
  {
    name: "a VPC CIDR that is not a CIDR",
    stack: "prod-us-east-1",
    edit: (p) => p.edit(use1, (d) => (vars(d).vpcCidr = "10.1.0.0/33")),
    expect: [{ file: use1, path: "config.clusterkit:variables.vpcCidr", found: '"10.1.0.0/33"' }],
    count: 1,
  },
  // Conflicting overrides are all reported at once.
  {
    name: "several conflicting CNI and pool overrides",
    stack: "prod-us-east-1",
    edit: (p) =>
      p.edit(use1, (d) =>
        overrides(d, {
          cni: { encryption: "wireguard", hubble: { enabled: false, ui: true } },
          nodePools: { general: { count: 3, desired: 11 } },
        }),
      ),
    expect: [
      { file: use1, path: "config.clusterkit:overrides.cni.encryption", message: /transparent encryption/ },
      { file: use1, path: "config.clusterkit:overrides.cni.hubble.ui", message: /needs hubble\.enabled: true/ },
      { file: use1, path: "config.clusterkit:overrides.nodePools.general.count", message: /either count, or min and max/ },
    ],
    count: 3,
  },
  {
    name: "overrides of fields a stack may not change, with other overrides next to them",
    stack: "metal-ber1",
    edit: (p) => p.edit(ber1, (d) => overrides(d, { name: "other", platform: { kind: "eks", concurrency: 4 } })),
    expect: [
      { file: ber1, path: "config.clusterkit:overrides.name", message: /cannot be overridden/ },
      { file: ber1, path: "config.clusterkit:overrides.platform.kind", message: /cannot be overridden/ },
    ],
    count: 2,
  },
  // aws:region must agree with clusterkit:region.
  {
    name: "aws:region disagreeing with clusterkit:region",
    stack: "prod-us-east-1",
    edit: (p) => p.edit(use1, (d) => (d.config["aws:region"] = "eu-west-1")),
    expect: [{ file: use1, path: "config.aws:region", expected: '"us-east-1"', found: '"eu-west-1"', hint: /clusterkit:region/ }],
    count: 1,
  },
];

function assertClean(r: CliResult): void {
  assert.doesNotMatch(r.stderr, /^\s+at /m, `stack trace:\n${r.stderr}`);
  assert.doesNotMatch(r.stderr + r.stdout, /internal error/, r.stderr);
}

function assertIssue(issues: Issue[], e: Expect, all: string): void {
  const hit = issues.find((i) => i.file === e.file && i.path === e.path);
  assert.ok(hit, `no issue at ${e.file}: ${e.path}; got:\n${all}`);
  if (e.message) assert.match(hit.message, e.message, all);
  if (e.expected !== undefined) assert.equal(hit.expected, e.expected, all);
  if (e.found !== undefined) assert.equal(hit.found, e.found, all);
  if (e.hint) assert.match(hit.hint ?? "", e.hint, all);
}

describe("bad-input corpus: every bad input gets a proper error", { concurrency: 2 }, () => {
  for (const c of cases) {
    it(c.name, () => {
      const p = project([c.stack]);
      c.edit(p);
      const before = listFiles(p.root);
      const r = clusterkit(["validate", "--json", "--stack", c.stack], p.root);
      assertClean(r);
      assert.equal(r.code, 2, `exit ${r.code}\n${r.stdout}\n${r.stderr}`);
      const doc = JSON.parse(r.stdout) as { ok: boolean; issues: Issue[] };
      const all = doc.issues.map((i) => `${i.file}: ${i.path}: ${i.message} (expected ${i.expected}, found ${i.found}) hint: ${i.hint}`).join("\n");
      assert.equal(doc.ok, false);
      for (const e of c.expect) assertIssue(doc.issues, e, all);
      if (c.count !== undefined) assert.equal(doc.issues.length, c.count, `expected ${c.count} issue(s), got:\n${all}`);
      assert.ok(!doc.issues.some((i) => /found (0|nothing)\)?$/.test(`found ${i.found}`) && !c.expect.some((e) => e.path === i.path)), `follow-on error:\n${all}`);
      // The same problems print as text lines, still without a trace.
      const text = clusterkit(["validate", "--stack", c.stack], p.root);
      assertClean(text);
      assert.equal(text.code, 2);
      for (const e of c.expect) assert.ok(text.stderr.includes(`${e.file}: ${e.path}: `), text.stderr);
      assert.deepEqual(listFiles(p.root), before, "files were written");
    });
  }

  it("--stack accepts the stack file's path and refuses a name that is no stack name", () => {
    const p = project(["metal-ber1"]);
    for (const arg of ["stacks/Pulumi.metal-ber1.yaml", "Pulumi.metal-ber1.yaml"]) {
      const r = clusterkit(["validate", "--stack", arg], p.root);
      assertClean(r);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /^ok  metal-ber1 /m);
    }
    const bad = clusterkit(["validate", "--stack", "../metal-ber1"], p.root);
    assertClean(bad);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /^\(command line\): --stack: is not a stack name .*\(.*found "\.\.\/metal-ber1"\)$/m);
    assert.doesNotMatch(bad.stderr, /Pulumi\.\.\.\//);
  });

  it("plan --json on bad input prints the same JSON error document as validate --json", () => {
    const p = project(["metal-ber1"]);
    p.edit(ber1, (d) => (vars(d).podCidr = "10.66.0.1/16"));
    const v = clusterkit(["validate", "--json", "--stack", "metal-ber1"], p.root);
    const before = listFiles(p.root);
    const r = clusterkit(["plan", "--json", "--stack", "metal-ber1", "--out", "plan-out"], p.root);
    assertClean(r);
    assert.equal(r.code, 2, r.stderr);
    const doc = JSON.parse(r.stdout);
    assert.equal(doc.apiVersion, "clusterkit.dev/validate/v1");
    assert.equal(doc.ok, false);
    assert.deepEqual(doc.issues, JSON.parse(v.stdout).issues);
    assert.deepEqual(doc.stacks, []);
    assert.deepEqual(listFiles(p.root), before);
  });

  it("schema | (a reader that has gone) exits quietly, for every command's output", () => {
    const p = project(["metal-ber1"]);
    for (const args of ["schema", "validate --json", "fleet --json"]) {
      // `true` exits at once, so the pipe is closed before clusterkit writes.
      const r = spawnSync("bash", ["-c", `node ${path.join(repoRoot, "cli", "bin.js")} ${args} | true; echo "exit=\${PIPESTATUS[0]}" >&2`], { cwd: p.root, encoding: "utf8" });
      assert.doesNotMatch(r.stderr, /EPIPE|^\s+at /m, `${args}: ${r.stderr}`);
      assert.match(r.stderr, /exit=0/, `${args}: ${r.stderr}`);
    }
  });

  it("drift without a Pulumi CLI says so once, up front, and exits 2", () => {
    const p = project(["metal-ber1", "prod-us-east-1"]);
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), "clusterkit-nopulumi-"));
    roots.push(empty);
    for (const [args, env] of [
      [["drift", "--pulumi-root", empty], {}],
      [["drift"], { PATH: path.dirname(process.execPath), CLUSTERKIT_PULUMI_ROOT: "" }],
    ] as const) {
      const started = Date.now();
      const r = clusterkit([...args], p.root, env);
      const seconds = (Date.now() - started) / 1000;
      assertClean(r);
      assert.equal(r.code, 2, r.stderr);
      assert.ok(seconds < 8, `took ${seconds}s`);
      assert.doesNotMatch(r.stderr + r.stdout, /code: -2|ENOENT/);
      const lines = r.stderr.split("\n").filter((l) => /pulumi/i.test(l) && !/^\s+hint:/.test(l));
      assert.equal(lines.length, 1, r.stderr);
      assert.match(r.stderr, /no Pulumi CLI/);
      assert.match(r.stderr, /hint: .*pulumi\.com\/docs\/install/);
      assert.equal(r.stdout, "");
    }
  });

  it("the missing-secret note for the SSH key has the < keyfile redirect", () => {
    const p = project(["metal-ber1"]);
    const r = clusterkit(["validate", "--stack", "metal-ber1"], p.root);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /pulumi config set --secret clusterkit:sshPrivateKey --stack metal-ber1 < ~\/\.ssh\/clusterkit_ed25519$/m);
  });
});
