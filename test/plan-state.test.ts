/**
 * `clusterkit plan --state`: the plan against a state export, offline. The export is built from
 * the program itself (plan-state-fixture.ts) for metal-ber1, then the stack or blueprint is edited
 * and the CLI runs as a subprocess, as users run it.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { clusterkit } from "./support/cli";
import { deployedState, projectWithState, replaceIn as replace } from "./support/plan-state";
import { repoRoot, tempProject, type TempProject } from "./support/temp-project";

const stack = "metal-ber1";
const stackFile = `stacks/Pulumi.${stack}.yaml`;
const blueprintFile = "blueprints/baremetal-ha.yaml";
const nodeType = "pulumi-nodejs:dynamic/clusterkit:KubeadmNode";
const prepType = "pulumi-nodejs:dynamic/clusterkit:HostPreparation";

interface Change {
  urn: string;
  type: string;
  name: string;
  action: string;
  keys: string[];
  paths: { path: string; before?: string; after?: string }[];
  unknownKeys: string[];
  replaceKeys?: string[];
  refusal?: { file: string; path: string; message: string }[];
}

let state: string;
let p: TempProject;

/** A fresh copy of the examples with the state export in it, edited by `edit`. */
const project = (edit?: (t: TempProject) => void) => projectWithState("clusterkit-plan-state-", state, edit);

const find = (changes: Change[], type: string, name: string) => changes.find((c) => c.type === type && c.name === name);

before(() => {
  p = tempProject("clusterkit-plan-state-base-");
  state = deployedState(p.root, stack);
  assert.ok(JSON.parse(state).deployment.resources.length > 30);
});
after(() => p.cleanup());

describe("clusterkit plan --state", () => {
  it("without --state, says the plan shows a creation and how to see a change", () => {
    const r = clusterkit(["plan", "--stack", stack, "--wide"], p.root);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^This plan shows a creation: .*`pulumi stack export --stack metal-ber1 > state\.json && clusterkit plan --stack metal-ber1 --state state\.json`$/m);
    assert.match(r.stdout, /^\+ clusterkit:index:Cluster {2}metal-ber1$/m, "the resource tree is still there");
  });

  it("shows no changes against the state of the same program, read from stdin, and never a secret from it", () => {
    // As `pulumi stack export --show-secrets` writes them: the nodes' SSH key in plaintext.
    const shown = state.replace(/"ciphertext": "v1:fixture-ciphertext-not-a-real-secret"/g, `"plaintext": ${JSON.stringify(JSON.stringify("PLAINTEXT-SECRET-FROM-STATE"))}`);
    assert.notEqual(shown, state);
    const r = spawnSync(process.execPath, [path.join(repoRoot, "cli", "bin.js"), "plan", "--stack", stack, "--state", "-"], { cwd: p.root, input: shown, encoding: "utf8" });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^Changes against <stdin> /m);
    assert.match(r.stdout, /No changes: every resource the program registers matches the state\./);
    assert.match(r.stdout, /^0 to create, 0 to update, 0 to replace, 0 to delete, 0 refused, \d+ unchanged\.$/m);
    assert.doesNotMatch(r.stdout, /This plan shows a creation/);
    // The engine's own resources (the stack, default providers) are never deletes.
    assert.doesNotMatch(r.stdout, /pulumi:pulumi:Stack|default_4_21_2/);
    assert.doesNotMatch(r.stdout + r.stderr, /PLAINTEXT-SECRET|offline-plan-placeholder/, "no secret material");
  });

  it("shows a blueprint change as updates, with the keys and paths that change, and the node order", () => {
    const t = project((t) => {
      replace(t, blueprintFile, /replicas: 2/, "replicas: 3");
      replace(t, blueprintFile, "clusterkit.dev/pool: workers", "clusterkit.dev/pool: workers\n      tier: general");
    });
    try {
      const r = clusterkit(["plan", "--stack", stack, "--state", "state.json", "--json"], t.root);
      assert.equal(r.code, 0, r.stderr);
      const changes = JSON.parse(r.stdout).changes as { summary: Record<string, number>; resources: Change[]; kubeadmOrder: { name: string; role: string; action: string; after: string | null }[] };
      const ingress = changes.resources.find((c) => c.type === "kubernetes:helm.sh/v3:Release" && c.keys.includes("values") && c.paths.some((x) => /replicas/i.test(x.path)));
      assert.ok(ingress, JSON.stringify(changes.resources.map((c) => [c.type, c.name, c.keys])));
      assert.equal(ingress.action, "update");
      const replicas = ingress.paths.find((x) => /replicas/i.test(x.path))!;
      assert.deepEqual([replicas.before, replicas.after], ["2", "3"]);
      const worker = find(changes.resources, nodeType, "ber1-worker-1")!;
      assert.equal(worker?.action, "update", JSON.stringify(worker));
      // The kubelet's node labels are in its rendered files too.
      assert.ok(worker.keys.includes("labels"), JSON.stringify(worker.keys));
      assert.deepEqual(worker.paths.find((x) => x.path.startsWith("labels")), { path: "labels.tier", after: '"general"' });
      assert.equal(find(changes.resources, nodeType, "ber1-cp-1"), undefined, "control planes carry no pool label");
      assert.deepEqual(
        changes.kubeadmOrder.map((s) => [s.name, s.action, s.after]),
        [
          ["ber1-cp-1", "same", null],
          ["ber1-cp-2", "same", "ber1-cp-1"],
          ["ber1-cp-3", "same", "ber1-cp-2"],
          ["ber1-worker-1", "update", "ber1-cp-1"],
          ["ber1-worker-2", "update", "ber1-cp-1"],
          ["ber1-worker-3", "update", "ber1-cp-1"],
        ],
      );
      assert.equal(changes.summary.refuse, 0);
    } finally {
      t.cleanup();
    }
  });

  it("shows a removed host as deletes and a host's new address as a replace, as the kubeadm provider's diff decides", () => {
    const t = project((t) => {
      replace(t, stackFile, /\n {6}- name: ber1-worker-3\n(?: {8}.*\n)+/, "\n");
      replace(t, stackFile, "address: 10.5.0.14", "address: 10.5.0.24");
    });
    try {
      const r = clusterkit(["plan", "--stack", stack, "--state", "state.json", "--wide"], t.root);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /^ {2}- pulumi-nodejs:dynamic\/clusterkit:KubeadmNode {2}ber1-worker-3 {2}delete$/m);
      assert.match(r.stdout, /^ {2}- pulumi-nodejs:dynamic\/clusterkit:HostPreparation {2}ber1-worker-3-host {2}delete$/m);
      assert.match(r.stdout, /^ {2}\+- pulumi-nodejs:dynamic\/clusterkit:KubeadmNode {2}ber1-worker-1 {2}replace \(the old one is deleted first\), because of address: address, /m);
      assert.match(r.stdout, /^ {8}address: "10\.5\.0\.14" → "10\.5\.0\.24"$/m);
      assert.match(r.stdout, /^ {2}\+- pulumi-nodejs:dynamic\/clusterkit:HostPreparation {2}ber1-worker-1-host {2}replace, because of address: address$/m);
      assert.match(r.stdout, /^ +\d+\. ber1-worker-1 +worker +replace +after ber1-cp-1$/m);
      assert.match(r.stdout, /^ +6\. ber1-worker-3 +worker +delete$/m, "removed nodes come last");
      assert.match(r.stdout, /^0 to create, 0 to update, 2 to replace, 2 to delete, 0 refused, \d+ unchanged\.$/m);
    } finally {
      t.cleanup();
    }
  });

  it("shows a Kubernetes minor change on every node as the kubeadm diff has it (an upgrade, or its refusal), never crashing", () => {
    const t = project((t) => replace(t, blueprintFile, 'kubernetesVersion: "1.34"', 'kubernetesVersion: "1.35"'));
    try {
      const r = clusterkit(["plan", "--stack", stack, "--state", "state.json", "--json"], t.root);
      assert.ok(r.code === 0 || r.code === 2, `exit ${r.code}: ${r.stderr}`);
      assert.doesNotMatch(r.stderr, /internal error/);
      const changes = JSON.parse(r.stdout).changes as { summary: Record<string, number>; resources: Change[] };
      for (const name of ["ber1-cp-1", "ber1-cp-2", "ber1-cp-3", "ber1-worker-1"]) {
        const node = find(changes.resources, nodeType, name);
        assert.ok(node, `${name} changes`);
        assert.ok(["update", "replace", "refuse"].includes(node.action), node.action);
        if (node.action === "refuse") {
          assert.match(node.refusal!.map((i) => `${i.file}: ${i.path}: ${i.message}`).join("\n"), new RegExp(`node ${name}: kubernetesVersion: .*1\\.34\\.\\d+.*1\\.35\\.\\d+`));
          assert.equal(r.code, 2, "a refused change exits 2");
        } else assert.ok(node.keys.includes("kubernetesVersion"), JSON.stringify(node));
      }
      assert.equal(r.code, changes.summary.refuse ? 2 : 0);
      assert.ok(find(changes.resources, prepType, "ber1-cp-1-host"), "host preparation pins the new package versions");
    } finally {
      t.cleanup();
    }
  });

  it("prints a refused change with the diff's message, exits 2 and writes nothing", () => {
    // A version downgrade: never an upgrade, whatever the kubeadm provider learns to do.
    const t = project((t) => replace(t, blueprintFile, 'kubernetesVersion: "1.34"', 'kubernetesVersion: "1.33"'));
    try {
      const r = clusterkit(["plan", "--stack", stack, "--state", "state.json", "--out", "plan-out"], t.root);
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stdout, /^ {2}! pulumi-nodejs:dynamic\/clusterkit:KubeadmNode {2}ber1-cp-1 {2}refused by its provider's diff/m);
      assert.match(r.stdout, /^ {8}node ber1-cp-1: kubernetesVersion: /m);
      assert.match(r.stderr, /change\(s\) would be refused by `pulumi up`/);
      assert.ok(!fs.existsSync(path.join(t.root, "plan-out")), "nothing written");
    } finally {
      t.cleanup();
    }
  });

  describe("a wrong state file is invalid input: exit 2, the file and field named, nothing written", () => {
    const cases: [string, (doc: { version: number; deployment: { resources: Record<string, unknown>[] } }) => unknown, RegExp][] = [
      ["an older export version", (d) => ({ ...d, version: 2 }), /^bad\.json: version: .*\(expected 3, found 2\)\n {2}hint: pass what `pulumi stack export --stack metal-ber1 > state\.json` writes$/m],
      ["a resource without a URN", (d) => (delete d.deployment.resources[2].urn, d), /^bad\.json: deployment\.resources\[2\]\.urn: /m],
      ["a resource whose inputs are no object", (d) => ((d.deployment.resources[3].inputs = "x"), d), /^bad\.json: deployment\.resources\[3\]\.inputs: /m],
      ["another stack's state", (d) => ((d.deployment.resources[0].urn = "urn:pulumi:metal-nyc1::clusterkit::pulumi:pulumi:Stack::clusterkit-metal-nyc1"), d), /^bad\.json: deployment\.resources\[0\]\.urn: belongs to stack metal-nyc1, not to metal-ber1/m],
    ];
    for (const [what, breakIt, expected] of cases) {
      it(what, () => {
        p.write("bad.json", JSON.stringify(breakIt(JSON.parse(state))));
        const r = clusterkit(["plan", "--stack", stack, "--state", "bad.json", "--out", "plan-out"], p.root);
        assert.equal(r.code, 2, r.stderr);
        assert.match(r.stderr, expected);
        assert.match(r.stderr, /problems? found; nothing was written\./);
        assert.doesNotMatch(r.stderr, /\n\s+at /, "no stack trace");
        assert.equal(r.stdout, "");
        assert.ok(!fs.existsSync(path.join(p.root, "plan-out")));
      });
    }
    it("a file that is no JSON, and one that does not exist", () => {
      p.write("bad.json", "{ not json");
      const r = clusterkit(["plan", "--stack", stack, "--state", "bad.json"], p.root);
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, /^bad\.json: \(file\): is not JSON /m);
      const missing = clusterkit(["plan", "--stack", stack, "--state", "nowhere.json"], p.root);
      assert.equal(missing.code, 2, missing.stderr);
      assert.match(missing.stderr, /^nowhere\.json: \(file\): cannot read the state file \(ENOENT\)/m);
      // With --json, the error document every --json command prints for bad input.
      const json = clusterkit(["plan", "--stack", stack, "--state", "nowhere.json", "--json"], p.root);
      assert.equal(json.code, 2, json.stderr);
      const doc = JSON.parse(json.stdout);
      assert.equal(doc.ok, false);
      assert.deepEqual(doc.issues.map((i: { file: string; path: string }) => [i.file, i.path]), [["nowhere.json", ""]]);
    });
  });
});
