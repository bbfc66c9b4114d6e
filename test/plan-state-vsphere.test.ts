/**
 * `clusterkit plan --state` on vSphere: the per-VM dynamic resources (VmSizeGuard, NodeAddress,
 * HostKeyRotation) are decided by their providers' own diff, so an unchanged stack shows no
 * change and a resize the running VMs cannot take is the refusal `pulumi up` would meet.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { clusterkit } from "./support/cli";
import { deployedState } from "./support/plan-state";
import { tempProject, type TempProject } from "./support/temp-project";

const stack = "vsphere-fra1";
let p: TempProject;

before(() => {
  p = tempProject("clusterkit-plan-state-vsphere-");
  p.write("state.json", deployedState(p.root, stack));
});
after(() => p.cleanup());

describe("clusterkit plan --state on vSphere", () => {
  it("shows no changes for the stack as deployed", () => {
    const r = clusterkit(["plan", "--stack", stack, "--state", "state.json"], p.root);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /No changes: every resource the program registers matches the state\./);
    assert.match(r.stdout, /^0 to create, 0 to update, 0 to replace, 0 to delete, 0 refused, \d+ unchanged\.$/m);
  });

  it("shows a control-plane resize the VMs cannot take as the VmSizeGuard's refusal, and exits 2", () => {
    const blueprint = "blueprints/vsphere-ha.yaml";
    const text = p.read(blueprint);
    p.write(blueprint, text.replace(/size:\n {4}cpus: 4\n/, "size:\n    cpus: 2\n"));
    try {
      assert.notEqual(p.read(blueprint), text);
      const r = clusterkit(["plan", "--stack", stack, "--state", "state.json", "--json"], p.root);
      assert.equal(r.code, 2, r.stderr);
      const changes = JSON.parse(r.stdout).changes as { resources: { type: string; name: string; action: string; refusal?: { file: string; path: string; message: string }[] }[] };
      const guard = changes.resources.find((c) => c.type === "pulumi-nodejs:dynamic/clusterkit:VmSizeGuard" && c.name === "vsphere-fra1-cp-1-size");
      assert.equal(guard?.action, "refuse", JSON.stringify(guard));
      assert.equal(guard.refusal![0].file, blueprint);
      assert.equal(guard.refusal![0].path, "controlPlane.size");
      assert.match(guard.refusal![0].message, /^resizing VM vsphere-fra1-cp-1 needs it powered off/);
      assert.equal(changes.resources.find((c) => c.name === "vsphere-fra1-workers-1-size"), undefined, "the workers keep their size");
    } finally {
      p.write(blueprint, text);
    }
  });

  it("refuses a new template before any VM changes, naming the stack's variable, and exits 2", () => {
    const file = `stacks/Pulumi.${stack}.yaml`;
    const text = p.read(file);
    p.write(file, text.replace("template: ubuntu-24.04-k8s-template", "template: ubuntu-24.04-k8s-template-2026-12"));
    try {
      assert.notEqual(p.read(file), text);
      const r = clusterkit(["plan", "--stack", stack, "--state", "state.json", "--json"], p.root);
      assert.equal(r.code, 2, r.stderr);
      const changes = JSON.parse(r.stdout).changes as { resources: { type: string; name: string; action: string; refusal?: { file: string; path: string; message: string }[] }[] };
      const guards = changes.resources.filter((c) => c.type === "pulumi-nodejs:dynamic/clusterkit:VmSizeGuard");
      assert.equal(guards.length, 6, "every VM's guard refuses");
      for (const g of guards) {
        assert.equal(g.action, "refuse", JSON.stringify(g));
        assert.deepEqual([g.refusal![0].file, g.refusal![0].path], [file, "config.clusterkit:variables.template"]);
        assert.match(g.refusal![0].message, /clusterkit does not roll VMs onto a new template yet, so nothing was changed/);
      }
    } finally {
      p.write(file, text);
    }
  });
});
