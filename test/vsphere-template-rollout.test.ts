/**
 * Rolling vSphere VMs onto a new template, the parts decided without a vCenter: the order and the
 * refusals (core/vsphere/rollout.ts), what the VM guard records as the engine calls it, what a new
 * machine under the same name and address means to the kubeadm resources (replace, leaving the
 * cluster first, also when the engine can only say the machine is being replaced), and how a node
 * on a new machine is rendered to join the cluster that exists even when it is listed first.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { unknownValue } from "@pulumi/pulumi/runtime/rpc";
import { ClusterkitError, formatIssue } from "../core/errors";
import { checkTemplate, rolloutBatches, rolloutPredecessors } from "../core/vsphere/rollout";
import { diffHostPrep, diffNode } from "../providers/kubeadm/diff";
import { planNodes, type PlannedHost } from "../providers/kubeadm/plan";
import { unobserved } from "../providers/kubeadm/observe";
import type { HostPrepOutputs, NodeOutputs } from "../providers/kubeadm/types";
import { unknownInput } from "../providers/same-value";
import { vmSizeGuard } from "../providers/vsphere-node/runtime";
import type { VmSizeGuardInputs } from "../providers/vsphere-node/types";
import { stackSpec } from "./render-kubeadm-specs";

const nodes = [
  { name: "cp-1", role: "control-plane" as const },
  { name: "w-1", role: "worker" as const },
  { name: "cp-2", role: "control-plane" as const },
  { name: "w-2", role: "worker" as const },
  { name: "cp-3", role: "control-plane" as const },
  { name: "w-3", role: "worker" as const },
];

describe("the order of a template roll", () => {
  it("takes each control plane alone, in list order, then the workers in the upgrade batch size", () => {
    assert.deepEqual(rolloutBatches(nodes, 1), [["cp-1"], ["cp-2"], ["cp-3"], ["w-1"], ["w-2"], ["w-3"]]);
    assert.deepEqual(rolloutBatches(nodes, 2), [["cp-1"], ["cp-2"], ["cp-3"], ["w-1", "w-2"], ["w-3"]]);
  });

  it("makes each node wait for every node of the batches before it, and the first for none", () => {
    const batches = rolloutBatches(nodes, 2);
    assert.deepEqual(rolloutPredecessors(batches, "cp-1"), []);
    assert.deepEqual(rolloutPredecessors(batches, "cp-3"), ["cp-1", "cp-2"]);
    assert.deepEqual(rolloutPredecessors(batches, "w-2"), ["cp-1", "cp-2", "cp-3"]);
    assert.deepEqual(rolloutPredecessors(batches, "w-3"), ["cp-1", "cp-2", "cp-3", "w-1", "w-2"]);
  });
});

describe("checkTemplate", () => {
  const subject = { node: "vsphere-fra1-cp-1", stack: "vsphere-fra1", file: "blueprints/vsphere-ha.yaml", role: "control-plane" as const, controlPlanes: 3, dhcp: false };
  const t = (template?: string, linkedClone?: boolean) => ({ template, linkedClone });
  const refusal = (f: () => unknown) => {
    try {
      f();
    } catch (e) {
      assert.ok(e instanceof ClusterkitError);
      return e.issues[0];
    }
    assert.fail("refused");
  };

  it("rolls a new template with three control planes and static addresses, and says from which", () => {
    assert.deepEqual(checkTemplate(subject, t("ubuntu-a"), t("ubuntu-b")), { kind: "roll", from: "ubuntu-a" });
    assert.deepEqual(checkTemplate({ ...subject, role: "worker", controlPlanes: 1 }, t("ubuntu-a"), t("ubuntu-b")), { kind: "roll", from: "ubuntu-a" });
  });

  it("changes nothing for the same template, or for state from before the guard recorded one", () => {
    assert.deepEqual(checkTemplate(subject, t("ubuntu-a", false), t("ubuntu-a", false)), { kind: "unchanged" });
    assert.deepEqual(checkTemplate(subject, t(undefined), t("ubuntu-a", true)), { kind: "unchanged" });
  });

  it("refuses a control plane of fewer than three, naming the stack's template variable, the count and the way round", () => {
    for (const [cps, why] of [
      [1, /leaving no etcd at all; nothing was changed$/],
      [2, /leaving etcd a single member, which one more failure takes down; nothing was changed$/],
    ] as const) {
      const issue = refusal(() => checkTemplate({ ...subject, controlPlanes: cps }, t("ubuntu-a"), t("ubuntu-b")));
      assert.equal(issue.file, "stacks/Pulumi.vsphere-fra1.yaml");
      assert.equal(issue.path, "config.clusterkit:variables.template");
      assert.deepEqual([issue.expected, issue.found], ['"ubuntu-a"', '"ubuntu-b"']);
      assert.match(issue.message, why);
      assert.match(issue.hint ?? "", /add control planes first \(controlPlane\.count: 3 in the blueprint\)/);
      assert.match(issue.hint ?? "", /osPatches: \{ kind: rolling, round: <name> \}/);
      assert.match(formatIssue(issue), /^stacks\/Pulumi\.vsphere-fra1\.yaml: config\.clusterkit:variables\.template: a new template means a new VM/);
    }
  });

  it("rolls a change between linked and full clones the same way, and refuses it naming the blueprint field", () => {
    assert.deepEqual(checkTemplate(subject, t("ubuntu-a", false), t("ubuntu-a", true)), { kind: "roll", from: "ubuntu-a" });
    assert.deepEqual(checkTemplate(subject, t("ubuntu-a"), t("ubuntu-a", true)), { kind: "unchanged" }, "state from before records it");
    const issue = refusal(() => checkTemplate({ ...subject, controlPlanes: 1 }, t("ubuntu-a", false), t("ubuntu-a", true)));
    assert.deepEqual([issue.file, issue.path, issue.expected, issue.found], ["blueprints/vsphere-ha.yaml", "platform.linkedClone", "false", "true"]);
    assert.match(issue.message, /^another kind of clone means a new VM for vsphere-fra1-cp-1/);
  });

  it("rolls a template rebuilt under its old name (a new UUID), and refuses it where the VM cannot roll", () => {
    const u = (uuid?: string) => ({ template: "ubuntu-a", templateUuid: uuid });
    assert.deepEqual(checkTemplate(subject, u("4210-old"), u("4210-new")), { kind: "roll", from: "ubuntu-a (4210-old)" });
    assert.deepEqual(checkTemplate(subject, u(undefined), u("4210-new")), { kind: "unchanged" }, "state from before records it");
    // A new name and a new UUID: the name says what changed.
    assert.deepEqual(checkTemplate(subject, { template: "ubuntu-a", templateUuid: "1" }, { template: "ubuntu-b", templateUuid: "2" }), { kind: "roll", from: "ubuntu-a" });
    const issue = refusal(() => checkTemplate({ ...subject, controlPlanes: 1 }, u("4210-old"), u("4210-new")));
    assert.deepEqual([issue.path, issue.expected, issue.found], ["config.clusterkit:variables.template", "template 4210-old", "template 4210-new"]);
    assert.match(issue.message, /^template "ubuntu-a", rebuilt under its old name \(vCenter reports a new UUID\), means a new VM/);
  });

  it("refuses a DHCP node: a new VM's lease is known only after it exists", () => {
    const issue = refusal(() => checkTemplate({ ...subject, role: "worker", dhcp: true }, t("ubuntu-a"), t("ubuntu-b")));
    assert.match(issue.message, /only with static addresses/);
    assert.match(issue.hint ?? "", /nodeIps and nodeCidr/);
  });
});

describe("VmSizeGuard and a new template (as the engine calls it)", () => {
  const guard = (template: string, extra: Partial<VmSizeGuardInputs> = {}): VmSizeGuardInputs => ({
    node: "vsphere-fra1-workers-1",
    stack: "vsphere-fra1",
    file: "blueprints/vsphere-ha.yaml",
    path: "nodePools.workers.size",
    targets: [],
    cpus: 4,
    memoryMiB: 8192,
    cpuHotAdd: false,
    memoryHotAdd: false,
    template,
    role: "worker",
    controlPlanes: 3,
    dhcp: false,
    ...extra,
  });

  it("a new VM was never rolled; a template change records where it rolled from, and keeps it while the template stays", async () => {
    const created = (await vmSizeGuard.create(guard("a"))).outs;
    assert.equal(created.rolledFrom, null);
    assert.deepEqual(await vmSizeGuard.diff("id", created, guard("b")), { changes: true, replaces: [], deleteBeforeReplace: false });
    const rolled = (await vmSizeGuard.update("id", created, guard("b"))).outs;
    assert.equal(rolled.rolledFrom, "a");
    // Run again after a failure half-way: no change, and the record still orders the VMs.
    assert.equal((await vmSizeGuard.diff("id", rolled, guard("b"))).changes, false, "what the guard derived is no change of its inputs");
    const resized = (await vmSizeGuard.update("id", rolled, guard("b", { cpus: 4 }))).outs;
    assert.equal(resized.rolledFrom, "a");
    assert.equal((await vmSizeGuard.update("id", rolled, guard("c"))).outs.rolledFrom, "b");
  });

  it("refuses the roll in its diff, before the VM, which depends on it, is registered", async () => {
    const cp = guard("a", { node: "vsphere-fra1-cp-1", role: "control-plane", controlPlanes: 1, path: "controlPlane.size" });
    await assert.rejects(vmSizeGuard.diff("id", { ...cp, rolledFrom: null }, { ...cp, template: "b" }), ClusterkitError);
  });

  it("state from before the guard knew the role and the count rolls as a worker with enough control planes", async () => {
    const { role: _r, controlPlanes: _c, dhcp: _d, ...old } = guard("a");
    assert.equal((await vmSizeGuard.update("id", old, guard("b"))).outs.rolledFrom, "a");
  });
});

describe("a new machine under the same name and address", () => {
  const node: NodeOutputs = {
    cluster: "c1",
    name: "w-1",
    address: "10.0.0.21",
    machineId: "4211aaaa-0000-0000-0000-000000000001",
    ssh: { user: "root", port: 22, hostKey: "SHA256:" + "a".repeat(43) },
    privateKey: "KEY",
    connection: { trustOnFirstUse: false, bastion: null, concurrency: 10 },
    role: "worker",
    init: false,
    kubernetesVersion: "1.34.1",
    controlPlanes: [],
    kubeadmCommand: ["kubeadm", "join", "--config", "/etc/kubernetes/clusterkit/kubeadm.yaml"],
    files: [],
    secretFiles: [],
    configHash: "h1",
    clusterConfigHash: "",
    labels: {},
    taints: [],
    kubeconfig: "",
    observed: unobserved,
  };
  const prep = { name: "w-1", address: "10.0.0.21", machineId: node.machineId, ssh: node.ssh, privateKey: "K", connection: node.connection, detectOs: "d", steps: [], stepsHash: "s1", os: "ubuntu", pending: [] } as HostPrepOutputs;

  it("uses the SDK's own marker for a value the engine does not know yet", () => {
    assert.equal(unknownInput, unknownValue);
  });

  it("is a replacement, the old node leaving the cluster first: a new UUID, or one the engine is about to replace", () => {
    for (const machineId of ["4211bbbb-0000-0000-0000-000000000002", unknownInput]) {
      assert.deepEqual(diffNode(node, { ...node, machineId }), { changes: true, replaces: ["machineId"], deleteBeforeReplace: true }, machineId);
      assert.deepEqual(diffHostPrep(prep, { ...prep, machineId }).replaces, ["machineId"], machineId);
    }
  });

  it("the same machine is no change; state from before the UUID was recorded records it in place", () => {
    assert.deepEqual(diffNode(node, { ...node }), { changes: false, replaces: [], deleteBeforeReplace: false });
    const { machineId: _m, ...old } = node;
    assert.deepEqual(diffNode(old, node), { changes: true, replaces: [], deleteBeforeReplace: false });
    const { machineId: _p, ...oldPrep } = prep;
    assert.deepEqual(diffHostPrep(oldPrep as HostPrepOutputs, prep), { changes: true, replaces: [], deleteBeforeReplace: false });
  });

  it("in preview, inputs not known yet (they wait on a guard's update) are an update decided at apply, never a refusal", () => {
    const waiting = { ...node, kubernetesVersion: unknownInput, files: [{ path: "/a", content: unknownInput, mode: "0600", when: "before-kubeadm" as const, ephemeral: false }] };
    assert.deepEqual(diffNode(node, waiting), { changes: true, replaces: [], deleteBeforeReplace: false });
    assert.deepEqual(diffHostPrep(prep, { ...prep, stepsHash: unknownInput }), { changes: true, replaces: [], deleteBeforeReplace: false });
  });

  it("bare metal has no machine UUID: nothing changes", () => {
    const { machineId: _m, ...metal } = node;
    assert.deepEqual(diffNode(metal, { ...metal }), { changes: false, replaces: [], deleteBeforeReplace: false });
  });
});

describe("a control plane on a new machine joins the cluster that exists", () => {
  const spec = stackSpec("vsphere-fra1");
  const hosts: PlannedHost[] = spec.nodes.map((n) => ({ name: n.name, role: n.role, address: n.address!, ssh: { ...n.ssh }, labels: {}, taints: [] }));
  const [cp1, cp2, cp3] = spec.nodes.filter((n) => n.role === "control-plane").map((n) => n.name);
  const plan = (joinOnly?: string[]) => new Map(planNodes(spec, hosts, joinOnly).map((p) => [p.node.name, p.kubeadm]));
  const verb = (k: { kubeadmCommand: string[] }) => k.kubeadmCommand[1];

  it("without one, the first control plane listed initialises", () => {
    const p = plan();
    assert.deepEqual([cp1, cp2, cp3].map((n) => [p.get(n)!.init, verb(p.get(n)!)]), [[true, "init"], [false, "join"], [false, "join"]]);
    assert.deepEqual(plan([]), p, "an empty list changes nothing");
  });

  it("the first control plane on a new machine is rendered to join; the next one listed would initialise a cluster that does not exist", () => {
    const p = plan([cp1]);
    assert.deepEqual([p.get(cp1)!.init, verb(p.get(cp1)!)], [false, "join"]);
    assert.ok(p.get(cp1)!.files.some((f) => f.content.includes("kind: JoinConfiguration")), "its kubeadm config is a JoinConfiguration");
    assert.ok(!p.get(cp1)!.files.some((f) => f.content.includes("kind: InitConfiguration")));
    assert.deepEqual([p.get(cp2)!.init, verb(p.get(cp2)!)], [true, "init"]);
    // What every node shares is the same whichever node is rendered first.
    assert.equal(p.get(cp1)!.clusterConfigHash, plan().get(cp1)!.clusterConfigHash);
    assert.equal(p.get(cp3)!.configHash, plan().get(cp3)!.configHash);
  });

  it("when every control plane is on a new machine (a roll run again), none initialises", () => {
    const p = plan([cp1, cp2, cp3]);
    for (const n of [cp1, cp2, cp3]) assert.deepEqual([p.get(n)!.init, verb(p.get(n)!)], [false, "join"], n);
  });

  it("a single control plane has nothing to join: the list does not apply", () => {
    const single = { ...spec, nodes: spec.nodes.filter((n) => n.role === "worker" || n.name === cp1) };
    const p = new Map(planNodes(single, hosts.filter((h) => single.nodes.some((n) => n.name === h.name)), [cp1]).map((x) => [x.node.name, x.kubeadm]));
    assert.deepEqual([p.get(cp1)!.init, verb(p.get(cp1)!)], [true, "init"]);
  });
});
