/**
 * The real Pulumi program (index.ts) evaluated under the SDK's mocks for every example stack, via
 * `clusterkit plan --json` (one process per stack: the program runs once per process).
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { listStacks } from "../core/load/project";
import { clusterkit } from "./support/cli";
import { repoRoot } from "./support/temp-project";

describe("index.ts under mocks, for every example stack", () => {
  for (const stack of listStacks(repoRoot)) {
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
    });
  }
});
