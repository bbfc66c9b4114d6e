/**
 * `clusterkit plan --state` on vSphere: the per-VM dynamic resources (VmSizeGuard, NodeAddress,
 * HostKeyRotation) are decided by their providers' own diff, so an unchanged stack shows no
 * change, a resize or new template rolls one VM at a time in the order shown, and one that cannot
 * roll is the refusal `pulumi up` would meet.
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

  it("rolls a control-plane resize one VM at a time: each VM replaced, delete-first, in the order shown", () => {
    const blueprint = "blueprints/vsphere-ha.yaml";
    const text = p.read(blueprint);
    p.write(blueprint, text.replace(/size:\n {4}cpus: 4\n/, "size:\n    cpus: 2\n"));
    try {
      assert.notEqual(p.read(blueprint), text);
      const r = clusterkit(["plan", "--stack", stack, "--state", "state.json", "--json"], p.root);
      assert.equal(r.code, 0, r.stderr);
      const changes = JSON.parse(r.stdout).changes as { resources: { type: string; name: string; action: string; keys: string[]; replaceKeys?: string[]; deleteBeforeReplace?: boolean }[]; vmRollout: string[][] };
      const cps = ["vsphere-fra1-cp-1", "vsphere-fra1-cp-2", "vsphere-fra1-cp-3"];
      for (const n of cps) {
        const guard = changes.resources.find((c) => c.type === "pulumi-nodejs:dynamic/clusterkit:VmSizeGuard" && c.name === `${n}-size`);
        assert.deepEqual([guard?.action, guard?.keys], ["update", ["cpus"]], JSON.stringify(guard));
        const vm = changes.resources.find((c) => c.type === "vsphere:index/virtualMachine:VirtualMachine" && c.name === n);
        assert.deepEqual([vm?.action, vm?.replaceKeys, vm?.deleteBeforeReplace], ["replace", ["numCpus"], true], JSON.stringify(vm));
      }
      assert.equal(changes.resources.find((c) => c.name === "vsphere-fra1-workers-1-size"), undefined, "the workers keep their size");
      assert.deepEqual(changes.vmRollout, cps.map((n) => [n]));
      const shown = clusterkit(["plan", "--stack", stack, "--state", "state.json"], p.root);
      assert.match(shown.stdout, /VMs cloned again \(a new template, clone kind or size\), one batch at a time in this order/);
    } finally {
      p.write(blueprint, text);
    }
  });

  it("refuses a resize of a single control plane's VM, which cannot roll, naming the field and why, and exits 2", () => {
    const blueprint = "blueprints/vsphere-ha.yaml";
    const file = `stacks/Pulumi.${stack}.yaml`;
    const [bp, st] = [p.read(blueprint), p.read(file)];
    p.write(blueprint, bp.replace(/controlPlane:\n  count: 3/, "controlPlane:\n  count: 1").replace(/size:\n {4}cpus: 4\n/, "size:\n    cpus: 2\n"));
    p.write(file, st.replace("      - 10.3.10.15\n      - 10.3.10.16\n", ""));
    try {
      assert.notEqual(p.read(blueprint), bp);
      const r = clusterkit(["plan", "--stack", stack, "--state", "state.json", "--json"], p.root);
      assert.equal(r.code, 2, r.stderr);
      const changes = JSON.parse(r.stdout).changes as { resources: { type: string; name: string; action: string; refusal?: { file: string; path: string; message: string; hint?: string }[] }[]; vmRollout: string[][] };
      const guard = changes.resources.find((c) => c.type === "pulumi-nodejs:dynamic/clusterkit:VmSizeGuard" && c.name === "vsphere-fra1-cp-1-size");
      assert.equal(guard?.action, "refuse", JSON.stringify(guard));
      assert.deepEqual([guard.refusal![0].file, guard.refusal![0].path], [blueprint, "controlPlane.size"]);
      assert.match(guard.refusal![0].message, /^resizing VM vsphere-fra1-cp-1 needs it powered off .*cannot be replaced one node at a time instead, because with 1 control plane/);
      assert.match(guard.refusal![0].hint ?? "", /CLUSTERKIT_RESTART_NODE=vsphere-fra1-cp-1 pulumi up/);
      assert.deepEqual(changes.vmRollout, []);
    } finally {
      p.write(blueprint, bp);
      p.write(file, st);
    }
  });

  it("rolls a new template one node at a time: the guards record it, the plan lists the order, control planes first", () => {
    const file = `stacks/Pulumi.${stack}.yaml`;
    const text = p.read(file);
    p.write(file, text.replace("template: ubuntu-24.04-k8s-template", "template: ubuntu-24.04-k8s-template-2026-12"));
    try {
      assert.notEqual(p.read(file), text);
      const r = clusterkit(["plan", "--stack", stack, "--state", "state.json", "--json"], p.root);
      assert.equal(r.code, 0, r.stderr);
      const changes = JSON.parse(r.stdout).changes as { resources: { type: string; name: string; action: string; keys: string[]; replaceKeys?: string[]; deleteBeforeReplace?: boolean }[]; vmRollout: string[][] };
      const guards = changes.resources.filter((c) => c.type === "pulumi-nodejs:dynamic/clusterkit:VmSizeGuard");
      assert.equal(guards.length, 6, "every VM's guard records the template");
      for (const g of guards) assert.deepEqual([g.action, g.keys], ["update", ["template", "templateUuid"]], JSON.stringify(g));
      const vms = changes.resources.filter((c) => c.type === "vsphere:index/virtualMachine:VirtualMachine");
      assert.equal(vms.length, 6);
      for (const vm of vms) assert.deepEqual([vm.action, vm.keys, vm.replaceKeys, vm.deleteBeforeReplace], ["replace", ["clone"], ["clone"], true]);
      assert.deepEqual(changes.vmRollout, [
        ["vsphere-fra1-cp-1"],
        ["vsphere-fra1-cp-2"],
        ["vsphere-fra1-cp-3"],
        ["vsphere-fra1-workers-1"],
        ["vsphere-fra1-workers-2"],
        ["vsphere-fra1-workers-3"],
      ]);
      const text2 = clusterkit(["plan", "--stack", stack, "--state", "state.json"], p.root);
      assert.equal(text2.code, 0, text2.stderr);
      assert.match(text2.stdout, /VMs cloned again \(a new template, clone kind or size\), one batch at a time in this order/);
      assert.match(text2.stdout, /^ {3}1\. vsphere-fra1-cp-1$/m);
      assert.match(text2.stdout, /^ {3}6\. vsphere-fra1-workers-3$/m);
    } finally {
      p.write(file, text);
    }
  });

  it("rolls a template rebuilt under its old name (vCenter reports a new UUID) the same way", () => {
    const state = JSON.parse(p.read("state.json")) as { deployment: { resources: { type: string; inputs?: Record<string, any>; outputs?: Record<string, any> }[] } };
    // The stack as deployed from the template before it was rebuilt: another UUID, the same name.
    for (const r of state.deployment.resources) {
      if (r.type === "pulumi-nodejs:dynamic/clusterkit:VmSizeGuard") for (const o of [r.inputs, r.outputs]) if (o) o.templateUuid = "4210aaaa-0000-4000-8000-000000000001";
      if (r.type === "vsphere:index/virtualMachine:VirtualMachine") for (const o of [r.inputs, r.outputs]) if (o?.clone) o.clone.templateUuid = "4210aaaa-0000-4000-8000-000000000001";
    }
    p.write("state-rebuilt.json", JSON.stringify(state));
    const r = clusterkit(["plan", "--stack", stack, "--state", "state-rebuilt.json", "--json"], p.root);
    assert.equal(r.code, 0, r.stderr);
    const changes = JSON.parse(r.stdout).changes as { resources: { type: string; action: string; keys: string[]; replaceKeys?: string[] }[]; vmRollout: string[][] };
    const guards = changes.resources.filter((c) => c.type === "pulumi-nodejs:dynamic/clusterkit:VmSizeGuard");
    assert.equal(guards.length, 6);
    for (const g of guards) assert.deepEqual([g.action, g.keys], ["update", ["templateUuid"]]);
    for (const vm of changes.resources.filter((c) => c.type === "vsphere:index/virtualMachine:VirtualMachine")) assert.deepEqual([vm.action, vm.replaceKeys], ["replace", ["clone"]]);
    assert.equal(changes.vmRollout.length, 6, "one node at a time");
    assert.deepEqual(changes.vmRollout[0], ["vsphere-fra1-cp-1"]);
  });

  it("refuses a new template for a single control plane before any VM changes, naming the stack's variable, and exits 2", () => {
    const blueprint = "blueprints/vsphere-ha.yaml";
    const file = `stacks/Pulumi.${stack}.yaml`;
    const [bp, st] = [p.read(blueprint), p.read(file)];
    // The same state, read by a blueprint that now has one control plane: cp-2 and cp-3 would go too.
    p.write(blueprint, bp.replace(/controlPlane:\n  count: 3/, "controlPlane:\n  count: 1"));
    // One address per node: two fewer.
    p.write(file, st.replace("template: ubuntu-24.04-k8s-template", "template: ubuntu-24.04-k8s-template-2026-12").replace("      - 10.3.10.15\n      - 10.3.10.16\n", ""));
    try {
      assert.notEqual(p.read(blueprint), bp, "the blueprint has three control planes to begin with");
      const r = clusterkit(["plan", "--stack", stack, "--state", "state.json", "--json"], p.root);
      assert.equal(r.code, 2, r.stderr);
      const changes = JSON.parse(r.stdout).changes as { resources: { type: string; name: string; action: string; refusal?: { file: string; path: string; message: string }[] }[]; vmRollout: string[][] };
      const cp = changes.resources.find((c) => c.type === "pulumi-nodejs:dynamic/clusterkit:VmSizeGuard" && c.name === "vsphere-fra1-cp-1-size");
      assert.equal(cp?.action, "refuse", JSON.stringify(cp));
      assert.deepEqual([cp.refusal![0].file, cp.refusal![0].path], [file, "config.clusterkit:variables.template"]);
      assert.match(cp.refusal![0].message, /with 1 control plane the old VM's etcd member would go before the new one joins, leaving no etcd at all; nothing was changed/);
      assert.deepEqual(changes.vmRollout, [], "no order is shown for a refused roll");
    } finally {
      p.write(blueprint, bp);
      p.write(file, st);
    }
  });
});
