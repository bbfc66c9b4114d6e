/**
 * Resizing vSphere VMs: the pure decision (in place only when the running VM can take it), the size
 * guard's diff as the engine calls it (refusal with the field and the one-node-at-a-time procedure,
 * unless the user named that node), and DHCP addresses that never make the engine replace a node.
 */
import assert from "node:assert/strict";
import { afterEach, describe, it } from "node:test";
import { ClusterkitError, formatIssue } from "../core/errors";
import { decideResize, restartNodeVariable, type VmShape } from "../core/vsphere/resize";
import { nodeAddress, vmSizeGuard } from "../providers/vsphere-node/runtime";
import type { VmSizeGuardInputs } from "../providers/vsphere-node/types";

const off: VmShape = { cpus: 4, memoryMiB: 8192, cpuHotAdd: false, memoryHotAdd: false };
const on: VmShape = { ...off, cpuHotAdd: true, memoryHotAdd: true };

describe("decideResize", () => {
  const cases: [string, VmShape, VmShape, string][] = [
    ["same size", off, { ...off }, "unchanged"],
    ["more CPUs without hot-add", off, { ...off, cpus: 8 }, "restart"],
    ["more memory without hot-add", off, { ...off, memoryMiB: 16384 }, "restart"],
    ["more CPUs and memory with hot-add", on, { ...on, cpus: 8, memoryMiB: 16384 }, "hot-add"],
    ["fewer CPUs, even with hot-add", on, { ...on, cpus: 2 }, "restart"],
    ["less memory, even with hot-add", on, { ...on, memoryMiB: 4096 }, "restart"],
    ["turning hot-add on", off, on, "restart"],
    ["more CPUs when only memory hot-add is on", { ...off, memoryHotAdd: true }, { ...off, memoryHotAdd: true, cpus: 6 }, "restart"],
  ];
  for (const [name, prev, next, kind] of cases) it(name, () => assert.equal(decideResize(prev, next).kind, kind));
  it("says why a restart is needed", () => {
    const d = decideResize(off, { ...off, cpus: 2, memoryMiB: 16384 });
    assert.equal(d.kind, "restart");
    if (d.kind === "restart") assert.deepEqual(d.reasons, ["vSphere cannot remove CPUs from a running VM", "memory hot-add is off on this VM"]);
  });
});

describe("VmSizeGuard diff (as the engine calls it, in preview and before the VM changes)", () => {
  const urnBase = "urn:pulumi:vsphere-fra1::clusterkit::clusterkit:index:Cluster$clusterkit:vsphere:VsphereCluster";
  // A DHCP worker: its VM cannot be replaced one node at a time, so a restart is the only way.
  const guard = (shape: VmShape, roll: Partial<VmSizeGuardInputs> = { role: "worker", controlPlanes: 3, dhcp: true }): VmSizeGuardInputs => ({
    node: "vsphere-fra1-workers-2",
    stack: "vsphere-fra1",
    file: "blueprints/vsphere-ha.yaml",
    path: "nodePools.workers.size",
    targets: [`${urnBase}$pulumi-nodejs:dynamic/clusterkit:VmSizeGuard::vsphere-fra1-workers-2-size`, `${urnBase}$vsphere:index/virtualMachine:VirtualMachine::vsphere-fra1-workers-2`],
    ...shape,
    ...roll,
  });
  afterEach(() => delete process.env[restartNodeVariable]);

  it("refuses a resize that powers the VM off, naming the field and the safe procedure", async () => {
    const err = await vmSizeGuard.diff("id", guard(off), guard({ ...off, cpus: 8 })).then(
      () => null,
      (e: unknown) => e,
    );
    assert.ok(err instanceof ClusterkitError, "refused");
    assert.equal(err.exitCode, 2);
    const [issue] = err.issues;
    assert.equal(issue.file, "blueprints/vsphere-ha.yaml");
    assert.equal(issue.path, "nodePools.workers.size");
    assert.equal(issue.expected, "4 CPUs / 8192 MiB");
    assert.equal(issue.found, "8 CPUs / 8192 MiB");
    assert.match(issue.message, /CPU hot-add is off/);
    assert.match(issue.message, /cannot be replaced one node at a time instead, because clusterkit replaces VMs one node at a time only with static addresses/);
    assert.match(issue.message, /every resized VM at once, control planes included/);
    const hint = issue.hint ?? "";
    assert.match(hint, /kubectl drain vsphere-fra1-workers-2 --ignore-daemonsets --delete-emptydir-data/);
    assert.match(hint, /CLUSTERKIT_RESTART_NODE=vsphere-fra1-workers-2 pulumi up --stack vsphere-fra1 --target '[^']+VmSizeGuard::vsphere-fra1-workers-2-size' --target '[^']+VirtualMachine::vsphere-fra1-workers-2'/);
    assert.match(hint, /kubectl wait --for=condition=Ready node\/vsphere-fra1-workers-2/);
    assert.match(hint, /kubectl uncordon vsphere-fra1-workers-2/);
    assert.match(hint, /give the nodes static addresses/);
    assert.match(formatIssue(issue), /^blueprints\/vsphere-ha\.yaml: nodePools\.workers\.size: resizing VM/);
  });

  it("rolls a resize where the VM can be replaced one node at a time, and records what it was", async () => {
    const static3 = { role: "worker" as const, controlPlanes: 3, dhcp: false };
    assert.deepEqual(await vmSizeGuard.diff("id", { ...guard(off, static3), rolledFrom: null }, guard({ ...off, cpus: 8 }, static3)), { changes: true, replaces: [], deleteBeforeReplace: false });
    const { outs } = await vmSizeGuard.update("id", { ...guard(off, static3), rolledFrom: null }, guard({ ...off, cpus: 8 }, static3));
    assert.equal(outs.rolledFrom, "4 CPUs / 8192 MiB");
    // A control plane of three rolls too; of one, it is refused.
    const cp = (cps: number) => ({ role: "control-plane" as const, controlPlanes: cps, dhcp: false });
    assert.equal((await vmSizeGuard.diff("id", guard(off, cp(3)), guard({ ...off, memoryMiB: 16384 }, cp(3)))).changes, true);
    await assert.rejects(vmSizeGuard.diff("id", guard(off, cp(1)), guard({ ...off, memoryMiB: 16384 }, cp(1))), /with 1 control plane the old VM's etcd member would go/);
    // Once rolled, the record stays: the node keeps joining rather than initialising.
    assert.equal((await vmSizeGuard.update("id", { ...guard({ ...off, cpus: 8 }, static3), rolledFrom: "4 CPUs / 8192 MiB" }, guard({ ...off, cpus: 8 }, static3))).outs.rolledFrom, "4 CPUs / 8192 MiB");
  });

  it("lets the one named node restart, and no other", async () => {
    process.env[restartNodeVariable] = "vsphere-fra1-workers-2";
    assert.deepEqual(await vmSizeGuard.diff("id", guard(off), guard({ ...off, cpus: 8 })), { changes: true, replaces: [], deleteBeforeReplace: false });
    process.env[restartNodeVariable] = "vsphere-fra1-workers-1";
    await assert.rejects(vmSizeGuard.diff("id", guard(off), guard({ ...off, cpus: 8 })), ClusterkitError);
  });

  it("lets hot-add increases and unchanged sizes through", async () => {
    assert.equal((await vmSizeGuard.diff("id", guard(on), guard({ ...on, memoryMiB: 16384 }))).changes, true);
    assert.equal((await vmSizeGuard.diff("id", guard(off), guard(off))).changes, false);
  });
});

describe("NodeAddress (a DHCP node's bootstrap address)", () => {
  const olds = { node: "vsphere-lab1-workers-1", address: "10.9.10.31", reported: "10.9.10.31" };
  const renewed = { ...olds, address: "10.9.10.31", reported: "10.9.10.77" };
  it("a new lease is an update that shows the drift, never a replacement", async () => {
    assert.deepEqual(await nodeAddress.diff("id", olds, renewed), { changes: true, replaces: [], deleteBeforeReplace: false });
    assert.deepEqual((await nodeAddress.update("id", olds, renewed)).outs, { node: olds.node, address: "10.9.10.31", reported: "10.9.10.77" });
  });
  it("keeps the bootstrap address even if the engine passed the new one", async () => {
    assert.equal((await nodeAddress.update("id", olds, { ...olds, address: "10.9.10.77", reported: "10.9.10.77" })).outs.address, "10.9.10.31");
  });
});
