/**
 * The real Pulumi program (index.ts) evaluated under the SDK's mocks for every example stack, via
 * `clusterkit plan --json` (one process per stack: the program runs once per process).
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import * as fs from "node:fs";
import * as path from "node:path";
import { clusterkit } from "./support/cli";
import { exampleStacks, repoRoot, tempProject } from "./support/temp-project";

describe("index.ts under mocks, for every example stack", () => {
  for (const stack of exampleStacks) {
    it(stack, () => {
      const r = clusterkit(["plan", "--stack", stack, "--json"]);
      assert.equal(r.code, 0, r.stderr);
      const plan = JSON.parse(r.stdout);
      assert.equal(plan.apiVersion, "clusterkit.dev/plan/v1");
      assert.equal(plan.stack, stack);
      const top = plan.resources.find((x: { type: string }) => x.type === "clusterkit:index:Cluster");
      assert.ok(top, "the Cluster component is registered");
      assert.equal(top.parent, null);
      assert.equal(top.urn, `urn:pulumi:${stack}::clusterkit::clusterkit:index:Cluster::${plan.spec.name}`);
      // Every other resource hangs below the Cluster component.
      for (const res of plan.resources) if (res !== top) assert.ok(res.urn.includes("clusterkit:index:Cluster$"), `${res.urn} is not parented to the Cluster`);
      assert.equal(plan.outputs.clusterName, plan.spec.name);
      assert.equal(plan.outputs.kubernetesVersion, plan.spec.kubernetes.version);
      assert.doesNotMatch(r.stdout + r.stderr, /offline-plan-placeholder/, "secret placeholders never reach the output");
      assertNoMockInventions(plan);
      assert.doesNotMatch(r.stdout + r.stderr, rawSdkLog, "no raw Pulumi SDK message");
      assert.equal("oidcKubeconfig" in plan.outputs, plan.spec.oidc !== null, "the OIDC kubeconfig is an output exactly when there is one");
    });
  }
});

describe("what the Pulumi SDK logs while planning", () => {
  it("is counted in the text plan and listed in the JSON plan, never printed raw", () => {
    const p = tempProject("clusterkit-sdk-log-");
    try {
      // A program of our own making the SDK warn: a copy of index.ts with an undefined stack output.
      fs.unlinkSync(path.join(p.root, "index.ts"));
      p.write("index.ts", `${fs.readFileSync(path.join(repoRoot, "index.ts"), "utf8")}\nexport const notSet = undefined;\n`);
      const text = clusterkit(["plan", "--stack", "prod-us-east-1"], p.root);
      assert.equal(text.code, 0, text.stderr);
      assert.doesNotMatch(text.stdout + text.stderr, rawSdkLog);
      assert.match(text.stderr, /^note: the Pulumi SDK logged 1 message\(s\) while planning; `clusterkit plan --json` lists them under "log"\.$/m);
      const json = clusterkit(["plan", "--stack", "prod-us-east-1", "--json"], p.root);
      assert.equal(json.code, 0, json.stderr);
      assert.ok(JSON.parse(json.stdout).log.includes("warning: Undefined value (notSet) will not show as a stack output."), json.stdout);
    } finally {
      p.cleanup();
    }
  });
});

/** What the Pulumi SDK prints on its own, e.g. about an undefined stack output. */
const rawSdkLog = /Undefined value|will not show as a stack output|\[runtime\]/;

/** Values the mocks make up for what exists only after deploy must not pass for real ones. */
function assertNoMockInventions(plan: { resources: { name: string; custom: boolean; inputs: unknown }[]; outputs: unknown }): void {
  const text = JSON.stringify({ resources: plan.resources, outputs: plan.outputs });
  assert.doesNotMatch(text, /123456789012/, "no made-up AWS account");
  const madeUpIds = new Set(plan.resources.filter((x) => x.custom).map((x) => `"${x.name}-id"`));
  for (const id of madeUpIds) assert.ok(!text.includes(id), `the made-up id ${id} is shown as a real one`);
}

describe("the text plan of every example stack", () => {
  for (const stack of exampleStacks) {
    it(stack, () => {
      const r = clusterkit(["plan", "--stack", stack]);
      assert.equal(r.code, 0, r.stderr);
      const cut = r.stdout.split("\n").filter((l) => l.includes("…"));
      assert.deepEqual(cut, [], "no value is cut");
      assert.doesNotMatch(r.stdout + r.stderr, rawSdkLog, "no raw Pulumi SDK message");
      assert.doesNotMatch(r.stdout, /123456789012/, "no made-up AWS account");
      assert.doesNotMatch(r.stdout + r.stderr, /offline-plan-placeholder/);
      assert.match(r.stdout, /^ {4}kubeconfig: \[secret\]$/m);
    });
  }
});
