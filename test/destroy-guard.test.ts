/**
 * The cluster's destroy guard: its delete refuses without CLUSTERKIT_DESTROY_CLUSTER naming the
 * cluster, it is never replaced (a replacement would delete it), and on the kubeadm platforms it
 * depends on the platform's component and the add-ons, so `pulumi destroy` deletes it before any
 * other part of the cluster. The real engine's order is checked in test/upstream-engine.test.ts.
 */
import assert from "node:assert/strict";
import { afterEach, describe, it } from "node:test";
import { ClusterkitError, ExitCode } from "../core/errors";
import { clusterDestroyGuard } from "../providers/destroy-guard/runtime";
import { clusterkit } from "./support/cli";

const props = { cluster: "metal-ber1", stack: "metal-ber1" };

describe("ClusterDestroyGuard's provider", () => {
  const saved = process.env.CLUSTERKIT_DESTROY_CLUSTER;
  afterEach(() => {
    if (saved === undefined) delete process.env.CLUSTERKIT_DESTROY_CLUSTER;
    else process.env.CLUSTERKIT_DESTROY_CLUSTER = saved;
  });

  it("refuses its delete without the confirmation, naming the command that gives it", async () => {
    delete process.env.CLUSTERKIT_DESTROY_CLUSTER;
    await assert.rejects(clusterDestroyGuard.delete("metal-ber1", props), (e: unknown) => {
      assert.ok(e instanceof ClusterkitError);
      assert.equal(e.exitCode, ExitCode.failure);
      assert.match(e.issues[0].message, /^refusing to destroy cluster metal-ber1: nothing was removed/);
      assert.equal(e.issues[0].hint, "if you mean to destroy cluster metal-ber1, confirm it: CLUSTERKIT_DESTROY_CLUSTER=metal-ber1 pulumi destroy");
      return true;
    });
  });

  it("refuses a confirmation for another cluster, and lets go for its own (also in a list)", async () => {
    process.env.CLUSTERKIT_DESTROY_CLUSTER = "metal-nyc1";
    await assert.rejects(clusterDestroyGuard.delete("metal-ber1", props), /refusing to destroy cluster metal-ber1/);
    process.env.CLUSTERKIT_DESTROY_CLUSTER = "metal-nyc1, metal-ber1";
    await clusterDestroyGuard.delete("metal-ber1", props);
  });

  it("is never replaced: a changed input is an update", async () => {
    const d = await clusterDestroyGuard.diff("metal-ber1", props, { ...props, stack: "metal-ber1-renamed" });
    assert.deepEqual(d, { changes: true, replaces: [], deleteBeforeReplace: false });
    assert.equal((await clusterDestroyGuard.diff("metal-ber1", props, { ...props })).changes, false);
  });
});

interface PlanResource {
  urn: string;
  type: string;
  parent: string | null;
  custom: boolean;
  dependsOn: string[];
}

function plan(stack: string): PlanResource[] {
  const r = clusterkit(["plan", "--stack", stack, "--json"]);
  assert.equal(r.code, 0, r.stderr);
  return (JSON.parse(r.stdout) as { resources: PlanResource[] }).resources;
}

describe("where the program puts the guard", () => {
  for (const stack of ["metal-ber1", "vsphere-fra1"]) {
    it(`${stack}: every resource of the cluster is below what the guard depends on`, () => {
      const resources = plan(stack);
      const guards = resources.filter((r) => r.type === "pulumi-nodejs:dynamic/clusterkit:ClusterDestroyGuard");
      assert.equal(guards.length, 1);
      const guard = guards[0];
      const byUrn = new Map(resources.map((r) => [r.urn, r]));
      const below = (r: PlanResource): boolean => {
        for (let at: PlanResource | undefined = r; at; at = at.parent ? byUrn.get(at.parent) : undefined) if (guard.dependsOn.includes(at.urn)) return true;
        return false;
      };
      // Providers are deleted after the resources that use them, so they need not be below it.
      const unguarded = resources.filter((r) => r.custom && r !== guard && !r.type.startsWith("pulumi:providers:") && !below(r));
      assert.deepEqual(unguarded.map((r) => r.urn), []);
      assert.ok(guard.dependsOn.some((u) => u.includes("clusterkit:addons:Addons")), "the add-ons are among them");
    });
  }

  it("an EKS stack has none (EKS stacks never needed a destroy confirmation)", () => {
    assert.deepEqual(plan("prod-us-east-1").filter((r) => r.type.includes("DestroyGuard")), []);
  });
});
