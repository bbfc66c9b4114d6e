/**
 * `clusterkit plan --state` for a reconfiguration, offline, as users run it: the plan names which
 * nodes restart which components (the kubeadm nodes' `restartOn.<component>`), and a setting that
 * cannot change on a running cluster is refused with the diff's message (exit 2). The state export
 * is built from the program (plan-state-fixture.ts) for metal-ber1, then the blueprint or stack
 * is edited.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { clusterkit } from "./support/cli";
import { deployedState, projectWithState, replaceIn as replace } from "./support/plan-state";
import { tempProject, type TempProject } from "./support/temp-project";

const stack = "metal-ber1";
const nodeType = "pulumi-nodejs:dynamic/clusterkit:KubeadmNode";

interface Change {
  type: string;
  name: string;
  action: string;
  keys: string[];
  paths: { path: string; before?: string; after?: string }[];
  refusal?: { file: string; path: string; message: string }[];
}

let state: string;
let base: TempProject;

const project = (edit: (t: TempProject) => void) => projectWithState("clusterkit-plan-reconfigure-", state, edit);

before(() => {
  base = tempProject("clusterkit-plan-reconfigure-base-");
  state = deployedState(base.root, stack);
});
after(() => base.cleanup());

describe("clusterkit plan --state: a reconfiguration", () => {
  it("a controller-manager flag: each control plane shows restartOn.kube-controller-manager, workers nothing", () => {
    const t = project((t) => replace(t, "blueprints/baremetal-ha.yaml", /\ncontrolPlane:\n/, "\ncontrolPlane:\n  extraArgs:\n    controllerManager: { node-monitor-grace-period: 50s }\n"));
    try {
      const r = clusterkit(["plan", "--stack", stack, "--state", "state.json", "--json"], t.root);
      assert.equal(r.code, 0, r.stderr);
      const changes = JSON.parse(r.stdout).changes as { resources: Change[]; summary: Record<string, number> };
      for (const cp of ["ber1-cp-1", "ber1-cp-2", "ber1-cp-3"]) {
        const node = changes.resources.find((c) => c.type === nodeType && c.name === cp);
        assert.equal(node?.action, "update", cp);
        const restarts = node!.paths.filter((p) => p.path.startsWith("restartOn.")).map((p) => p.path);
        assert.deepEqual(restarts, ["restartOn.kube-controller-manager"], `${cp}: ${JSON.stringify(node!.paths.map((p) => p.path))}`);
      }
      assert.equal(changes.resources.filter((c) => c.type === nodeType && c.name.includes("worker")).length, 0, "workers do not change");
      assert.equal(changes.summary.refuse, 0);
      const text = clusterkit(["plan", "--stack", stack, "--state", "state.json", "--wide"], t.root);
      assert.match(text.stdout, /^ {2}~ pulumi-nodejs:dynamic\/clusterkit:KubeadmNode {2}ber1-cp-2 {2}update: .*restartOn.*\n(?: {8}.*\n)* {8}restartOn\.kube-controller-manager: changed$/m);
      assert.doesNotMatch(text.stdout, /KubeadmNode {2}ber1-worker/);
    } finally {
      t.cleanup();
    }
  });

  it("a pod-range change is refused on every node with why and what to do, exit 2", () => {
    const t = project((t) => replace(t, `stacks/Pulumi.${stack}.yaml`, "podCidr: 10.66.0.0/16", "podCidr: 10.67.0.0/16"));
    try {
      const r = clusterkit(["plan", "--stack", stack, "--state", "state.json", "--json"], t.root);
      assert.equal(r.code, 2, r.stderr);
      const changes = JSON.parse(r.stdout).changes as { resources: Change[] };
      for (const name of ["ber1-cp-1", "ber1-worker-1"]) {
        const node = changes.resources.find((c) => c.type === nodeType && c.name === name);
        assert.equal(node?.action, "refuse", name);
        assert.match(node!.refusal!.map((i) => `${i.file}: ${i.path}: ${i.message}`).join("\n"), /node ber1-\S+: fixedSettings\.podCidr: the pod range \(networking\.podCidr in the blueprint, or the podCidr variable\) changed from "10\.66\.0\.0\/16" to "10\.67\.0\.0\/16", which cannot change on a running cluster/);
      }
    } finally {
      t.cleanup();
    }
  });
});
