// Issue #14 item 4: a vSphere template roll, driven by the real Pulumi engine. The program
// (test/upstream/engine-rollout-program.ts) wires the product's VmSizeGuard, VmRollout and
// KubeadmCluster as the vSphere platform does, with the fleet's hosts as the VMs (a stand-in that
// refuses a second VM of one name and loses every file on delete). What is checked is what only
// the engine decides: that a new template replaces one node at a time, each node drained and out
// of etcd (its kubeadm resources deleted first, because they depend on the VM's UUID) before its
// VM goes, and joined and Ready before the next VM goes; that the first control plane listed joins
// rather than initialising a second cluster; that the data survives; and that a roll that fails
// half-way goes on from there when `pulumi up` runs again.
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { parseMemberList } from "../providers/kubeadm/cluster/etcd";
import { nodeStates, run } from "./baremetal/nodes";
import { startFleet, type Fleet } from "./hosts/harness";
import { powerOffMachine, type MachineRef } from "./hosts/machine";
import { EngineProject, must, type RunResult } from "./upstream/engine-project";
import { findTools, tierSkip } from "./upstream/tools";

const tools = findTools(["pulumi", "pulumi-language-nodejs", "pulumi-resource-pulumi-nodejs", "pulumi-resource-kubernetes", "etcd"]);
const text = (r: RunResult) => `exit ${r.code}\n${r.stdout}\n${r.stderr}`;
const names = ["cp-1", "cp-2", "cp-3", "w-1"];

describe("the real Pulumi engine: a vSphere template roll, one node at a time", tierSkip("upstream-engine", tools), () => {
  let fleet: Fleet;
  let e: EngineProject;
  let fleetDir: string;
  const opsLog = () => path.join(fleetDir, "machine-ops.log");
  const ops = () => (fs.existsSync(opsLog()) ? fs.readFileSync(opsLog(), "utf8").trim().split("\n") : []);
  const members = async (host: string) => parseMemberList(await run(fleet.host(host), "etcdctl member list -w simple"));
  const up = () => e.pulumi(["up", "--stack", e.stack, "--yes", "--skip-preview"]);
  const setTemplate = (t: string) => must(e.pulumi(["config", "set", "clusterkit-test:template", t, "--stack", e.stack]));

  before(async () => {
    fleet = await startFleet(names.map((name) => ({ name, role: name.startsWith("cp-") ? ("control-plane" as const) : ("worker" as const) })));
    fleetDir = path.dirname(fleet.clusterStateDir);
    const refs: MachineRef[] = fleet.hosts.map((h, index) => ({ fleetDir, slot: fleet.slot, index, name: h.name, address: h.address }));
    // No VM exists before the first up: the fleet's hosts are the machines the stand-in creates.
    for (const r of refs) await powerOffMachine(r);
    e = await EngineProject.create(fleet, tools.paths.pulumi.replace(/\/pulumi$/, ""), "engine-rollout-program");
    await e.init();
    await must(e.pulumi(["config", "set", "clusterkit-test:fleet", JSON.stringify(refs), "--stack", e.stack]));
    await setTemplate("golden-2026-06");
  });

  after(async () => {
    e?.cleanup();
    await fleet?.stop();
  });

  it("the first up clones every VM at once and builds the cluster on them", async () => {
    const r = await up();
    assert.equal(r.code, 0, text(r));
    assert.deepEqual(ops().filter((l) => l.startsWith("create ")).length, 4);
    const states = await nodeStates(fleet.host("cp-1"));
    assert.deepEqual(Object.keys(states).sort(), names);
    assert.equal((await members("cp-1")).length, 3);
    await run(fleet.host("cp-2"), "etcdctl put /clusterkit-test/roll before");
  });

  it("preview of a new template shows each VM replaced, and with it the node's host preparation and kubeadm node", async () => {
    await setTemplate("golden-2026-12");
    const r = await e.pulumi(["preview", "--stack", e.stack, "--json"]);
    assert.equal(r.code, 0, text(r));
    const steps = (JSON.parse(r.stdout) as { steps: { op: string; urn: string; replaceReasons?: string[] }[] }).steps;
    const step = (type: string, name: string) => {
      const found = steps.filter((s) => s.urn.endsWith(`${type}::${name}`));
      assert.equal(found.length, 1, `one step for ${type} ${name}: ${JSON.stringify(found)}`);
      return [found[0].op, found[0].replaceReasons ?? []];
    };
    for (const n of names) {
      assert.deepEqual(step("clusterkit:VmSizeGuard", `${n}-size`), ["update", []]);
      assert.deepEqual(step("clusterkit-test:MachineStandIn", n), ["replace", ["template"]]);
      // Taken out with the VM, which is deleted first: the engine lists them as replaced on its own.
      assert.equal(step("clusterkit:HostPreparation", `${n}-host`)[0], "replace");
      assert.equal(step("clusterkit:KubeadmNode", n)[0], "replace");
    }
  });

  it("up rolls the VMs one at a time, control planes first, and the cluster keeps its data and quorum", async () => {
    const before = new Set((await members("cp-1")).map((m) => m.id));
    const caBefore = await fleet.host("cp-3").readFile("/etc/kubernetes/pki/ca.crt");
    const start = ops().length;
    const r = await up();
    assert.equal(r.code, 0, text(r));
    assert.deepEqual(
      ops().slice(start),
      names.flatMap((n) => [`delete ${n} golden-2026-06`, `create ${n} golden-2026-12`]),
      "each VM is deleted, then cloned again, before the next one goes",
    );
    // The first control plane listed came back on a new machine and joined: one cluster, its CA kept.
    const log = await fleet.host("cp-1").readLog();
    assert.ok(log.some((c) => c.tool === "kubeadm" && c.argv[0] === "join"), "cp-1 joined");
    assert.ok(!log.some((c) => c.tool === "kubeadm" && c.argv[0] === "init"), "cp-1 never ran kubeadm init again");
    assert.equal(await fleet.host("cp-1").readFile("/etc/kubernetes/pki/ca.crt"), caBefore);
    const after = await members("cp-2");
    assert.equal(after.length, 3, "three members, as before");
    assert.ok(after.every((m) => !before.has(m.id) && m.started && !m.learner), "every member is a new, voting one");
    assert.equal((await run(fleet.host("cp-3"), "etcdctl get /clusterkit-test/roll --print-value-only")).trim(), "before");
    const states = await nodeStates(fleet.host("cp-2"));
    assert.deepEqual(Object.keys(states).sort(), names);
    assert.ok(Object.values(states).every((s) => !s.cordoned), "every node is back in service");
  });

  it("a roll that fails half-way goes on from that node when up runs again", async () => {
    await setTemplate("golden-2027-01");
    fs.mkdirSync(path.join(fleetDir, "machine-fail-once"), { recursive: true });
    fs.writeFileSync(path.join(fleetDir, "machine-fail-once", "cp-2"), "");
    const start = ops().length;
    const failed = await up();
    assert.notEqual(failed.code, 0, text(failed));
    assert.match(failed.stdout + failed.stderr, /clone of cp-2 from golden-2027-01 failed/);
    assert.deepEqual(ops().slice(start), ["delete cp-1 golden-2026-12", "create cp-1 golden-2027-01", "delete cp-2 golden-2026-12", "create-failed cp-2 golden-2027-01"], "it stopped at cp-2, the others untouched");
    assert.equal((await members("cp-1")).length, 2, "cp-2 left etcd before its VM went");

    const again = ops().length;
    const r = await up();
    assert.equal(r.code, 0, text(r));
    assert.deepEqual(ops().slice(again), ["create cp-2 golden-2027-01", "delete cp-3 golden-2026-12", "create cp-3 golden-2027-01", "delete w-1 golden-2026-12", "create w-1 golden-2027-01"]);
    assert.equal((await members("cp-3")).length, 3);
    assert.equal((await run(fleet.host("cp-1"), "etcdctl get /clusterkit-test/roll --print-value-only")).trim(), "before");
    const preview = await e.pulumi(["preview", "--stack", e.stack, "--json"]);
    assert.equal(preview.code, 0, text(preview));
    assert.deepEqual(Object.keys((JSON.parse(preview.stdout) as { changeSummary?: Record<string, number> }).changeSummary ?? {}), ["same"], text(preview));
  });

  it("a new size rolls the same way: each VM cloned again, none restarted in place, the data kept", async () => {
    await must(e.pulumi(["config", "set", "clusterkit-test:cpus", "4", "--stack", e.stack]));
    const start = ops().length;
    const r = await up();
    assert.equal(r.code, 0, text(r));
    assert.deepEqual(ops().slice(start), names.flatMap((n) => [`delete ${n} golden-2027-01`, `create ${n} golden-2027-01`]), "one VM at a time, and no in-place restart");
    const after = await members("cp-1");
    assert.ok(after.length === 3 && after.every((m) => m.started && !m.learner), "three voting members");
    assert.equal((await run(fleet.host("cp-2"), "etcdctl get /clusterkit-test/roll --print-value-only")).trim(), "before");
  });
});
