/**
 * `clusterkit plan --state` for an OS patch round, offline, as users run it: naming a round in the
 * stack shows every kubeadm node as an update of `osPatches` (never a replacement), in the order
 * `pulumi up` takes them, and nothing else changes; a round refused on EKS exits 2 naming the field.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { clusterkit } from "./support/cli";
import { deployedState, projectWithState, replaceIn as replace } from "./support/plan-state";
import { tempProject, type TempProject } from "./support/temp-project";

const stack = "metal-ber1";
const nodeType = "pulumi-nodejs:dynamic/clusterkit:KubeadmNode";

let state: string;
let base: TempProject;

before(() => {
  base = tempProject("clusterkit-plan-os-patches-base-");
  state = deployedState(base.root, stack);
});
after(() => base.cleanup());

describe("clusterkit plan --state: an OS patch round", () => {
  it("a round set in the stack updates every kubeadm node's osPatches, in the order pulumi up goes", () => {
    const t = projectWithState("clusterkit-plan-os-patches-", state, (t) => replace(t, `stacks/Pulumi.${stack}.yaml`, "\n  clusterkit:region: ber1\n", "\n  clusterkit:region: ber1\n  clusterkit:overrides:\n    osPatches: { kind: rolling, round: \"2026-12\" }\n"));
    try {
      const r = clusterkit(["plan", "--stack", stack, "--state", "state.json", "--json"], t.root);
      assert.equal(r.code, 0, r.stderr);
      const changes = JSON.parse(r.stdout).changes as { resources: { type: string; name: string; action: string; keys: string[] }[]; summary: Record<string, number> };
      const nodes = changes.resources.filter((c) => c.type === nodeType);
      assert.deepEqual(nodes.map((n) => n.name).sort(), ["ber1-cp-1", "ber1-cp-2", "ber1-cp-3", "ber1-worker-1", "ber1-worker-2", "ber1-worker-3"]);
      for (const n of nodes) assert.deepEqual({ action: n.action, keys: n.keys }, { action: "update", keys: ["osPatches"] }, n.name);
      assert.deepEqual(changes.resources.filter((c) => c.type !== nodeType), [], "nothing else changes");
      const text = clusterkit(["plan", "--stack", stack, "--state", "state.json"], t.root);
      assert.match(text.stdout, /Kubeadm nodes, in the order `pulumi up` works on them/);
      assert.match(text.stdout, /^ +1\. ber1-cp-1 +control-plane +update/m);
      assert.match(text.stdout, /^ +2\. ber1-cp-2 +control-plane +update +after ber1-cp-1$/m);
    } finally {
      t.cleanup();
    }
  });

  it("on EKS the setting is refused with the file, the field and the way EKS patches nodes, exit 2", () => {
    const t = projectWithState("clusterkit-plan-os-patches-eks-", state, (t) => replace(t, "stacks/Pulumi.prod-us-east-1.yaml", "\n  clusterkit:region: us-east-1\n", "\n  clusterkit:region: us-east-1\n  clusterkit:overrides:\n    osPatches: { kind: rolling, round: \"2026-12\" }\n"));
    try {
      const r = clusterkit(["validate", "--stack", "prod-us-east-1"], t.root);
      assert.equal(r.code, 2, r.stdout + r.stderr);
      assert.match(r.stderr, /osPatches\.kind/);
      assert.match(r.stderr, /patched by new AMI releases/);
      assert.doesNotMatch(r.stderr, /\n\s+at /, "no stack trace");
    } finally {
      t.cleanup();
    }
  });
});
