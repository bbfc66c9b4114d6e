// Bare metal over real SSH: changing which control planes make the cluster. Reordering them in
// the inventory changes nothing (which node initialised the cluster is kept in state, not read
// from a list position). A failed control plane is replaced by taking it out of the inventory and
// adding a new host, which no cluster-wide setting depends on; the quorum guard lets the dead one
// go. The control plane that initialised the cluster is removed like any other, while a join whose
// etcd member stayed an unpromoted learner is cleaned and joined again. Each inventory is resolved
// from a stack file listing it, as a changed stack is. Needs root (test/hosts/setup-deps.sh).
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { parseMemberList } from "../providers/kubeadm/cluster/etcd";
import { errorsOf, TestCluster } from "./baremetal/cluster";
import { captureExchanges, leaks, secretsSeen } from "./baremetal/secrets-grep";
import { describeCall } from "./baremetal/standin-log";

describe("bare metal over SSH: control-plane membership", () => {
  let c: TestCluster;
  const capture = captureExchanges();
  /** etcd members as one live control plane sees them: name → learner. */
  const members = async (from: string) => {
    const r = await c.fleet.host(from).exec("etcdctl member list -w simple");
    assert.equal(r.code, 0, r.stderr);
    return Object.fromEntries(parseMemberList(r.stdout).map((m) => [m.name, m.learner ? "learner" : m.started ? "voting" : "unstarted"]));
  };
  const nodeNames = async (from: string) =>
    (await c.fleet.host(from).exec("kubectl --kubeconfig /etc/kubernetes/admin.conf get nodes -o name")).stdout.trim().split("\n").map((l) => l.replace("node/", "")).sort();

  before(async () => {
    c = await TestCluster.start({ controlPlanes: 3, spareControlPlanes: 2, workers: 1 });
    const r = await c.up();
    assert.deepEqual(errorsOf(r), []);
    assert.deepEqual(await members("cp-1"), { "cp-1": "voting", "cp-2": "voting", "cp-3": "voting" });
  });

  after(async () => {
    capture.restore();
    await c?.stop();
  });

  it("reordering the control planes in the inventory changes nothing on any node", async () => {
    const before = await c.calls();
    const r = await c.up(undefined, c.inventory("cp-3", "cp-1", "cp-2", "w-1"));
    assert.deepEqual(errorsOf(r), []);
    assert.deepEqual(r.updated, [], "no node is updated");
    assert.deepEqual(r.deleted, []);
    assert.deepEqual([...TestCluster.mutatingSince(before, await c.calls())].map(([h, cs]) => `${h}: ${cs.map(describeCall).join("; ")}`), []);
    assert.equal(c.nodeState.get("cp-1")!.init, true, "cp-1 still is the node that initialised the cluster");
    assert.equal(c.nodeState.get("cp-3")!.init, false);
  });

  it("a failed control plane is replaced: out of the inventory, a new host in; the quorum guard lets the dead one go", async () => {
    await c.fleet.powerOff("cp-3");
    const r = await c.up(undefined, c.inventory("cp-1", "cp-2", "cp-4", "w-1"));
    assert.deepEqual(errorsOf(r), [], c.logs.slice(-15).join("\n"));
    assert.deepEqual(r.deleted, ["cp-3"]);
    assert.deepEqual(await members("cp-1"), { "cp-1": "voting", "cp-2": "voting", "cp-4": "voting" });
    assert.deepEqual(await nodeNames("cp-1"), ["cp-1", "cp-2", "cp-4", "w-1"]);
    assert.ok(c.logs.some((l) => l.includes("cp-3: host unreachable, skipping kubeadm reset")), c.logs.slice(-15).join("\n"));
  });

  it("removing the control plane that initialised the cluster works like any other, and an unpromoted etcd learner is half-joined", async () => {
    const inventory = c.inventory("cp-2", "cp-4", "cp-5", "w-1");
    await c.fleet.host("cp-5").failOnce("etcd-promote");
    const first = await c.up(undefined, inventory);
    assert.deepEqual([...first.errors.keys()], ["cp-5"]);
    assert.match(first.errors.get("cp-5")!.message, /can only promote a learner member/);
    assert.equal((await members("cp-2"))["cp-5"], "learner", "the failed join left a started learner");
    assert.deepEqual(first.deleted, [], "nothing is removed by a run that failed");

    const before = await c.calls();
    const second = await c.up(undefined, inventory);
    assert.deepEqual(errorsOf(second), [], c.logs.slice(-15).join("\n"));
    const cp5 = ((await c.calls()).get("cp-5") ?? []).slice(before.get("cp-5")!.length).map(describeCall);
    const reset = cp5.findIndex((x) => x.startsWith("kubeadm reset"));
    assert.ok(reset >= 0 && cp5.findIndex((x) => x.startsWith("kubeadm join")) > reset, cp5.join("\n"));
    assert.deepEqual(second.deleted, ["cp-1"]);
    assert.deepEqual(await members("cp-2"), { "cp-2": "voting", "cp-4": "voting", "cp-5": "voting" });
    assert.deepEqual(await nodeNames("cp-2"), ["cp-2", "cp-4", "cp-5", "w-1"]);
    assert.equal(c.nodeState.get("cp-2")!.init, false, "listed first now, cp-2 still is a node that joined");
    assert.ok(c.nodeState.get("cp-2")!.kubeconfig.includes("kind: Config"), "the cluster's kubeconfig outlives cp-1");

    await c.refresh();
    for (const [n, s] of c.nodeState) assert.deepEqual(s.observed.drift, [], n);
    const again = await c.up(undefined, inventory);
    assert.deepEqual(errorsOf(again), []);
    assert.deepEqual(again.updated, []);
  });

  it("a joined control plane that must join again while listed first is refused before kubeadm runs; listed after one in the cluster, it rejoins", async () => {
    await c.fleet.host("cp-2").exec("kubeadm reset -f >/dev/null 2>&1"); // behind clusterkit's back
    await c.refresh(); // as `pulumi up --refresh` would: the drift makes the node update
    assert.ok(c.nodeState.get("cp-2")!.observed.drift.includes("the node has not joined"));
    const before = await c.calls();
    const refused = await c.up(undefined, c.inventory("cp-2", "cp-4", "cp-5", "w-1"));
    assert.deepEqual([...refused.errors.keys()], ["cp-2"]);
    const msg = refused.errors.get("cp-2")!.message;
    assert.match(msg, /check-rendering: cp-2 joined this cluster and has to join again, but it is now the first control plane in the inventory, for which clusterkit renders kubeadm init/);
    assert.match(msg, /list a control plane that is in the cluster before cp-2 for this run/);
    const cp2 = ((await c.calls()).get("cp-2") ?? []).slice(before.get("cp-2")!.length).map(describeCall);
    assert.deepEqual(cp2.filter((x) => /^kubeadm (init|join|reset)/.test(x)), [], "kubeadm did not run on cp-2");

    const r = await c.up(undefined, c.inventory("cp-4", "cp-2", "cp-5", "w-1"));
    assert.deepEqual(errorsOf(r), [], c.logs.slice(-15).join("\n"));
    assert.deepEqual(await members("cp-4"), { "cp-2": "voting", "cp-4": "voting", "cp-5": "voting" });
  });

  it("no token, certificate key, private key or kubeconfig in logs or errors", () => {
    const secrets = secretsSeen(capture.exchanges, c.fleet.clientKey.privateKeyPem);
    assert.deepEqual(leaks([{ where: "provider log", text: c.logs.join("\n") }, { where: "errors", text: c.errors.join("\n") }], secrets), []);
  });
});
