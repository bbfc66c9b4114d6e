// Bare metal over real SSH: machines that die. A dead worker is replaced by editing the inventory
// (its pods are evicted without waiting for a kubelet that cannot confirm; its reset is skipped).
// Two of three control planes dead is a lost etcd quorum: `pulumi up` refuses to replace them and
// points to the restore runbook; following it (restore onto the control plane that is left, the
// new machines left out), the next `up` joins the new control planes and removes the dead ones,
// with exactly the keys from before the snapshot. Needs root (test/hosts/setup-deps.sh).
import assert from "node:assert/strict";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { errorsOf, TestCluster } from "./baremetal/cluster";
import { EtcdCliFixture } from "./baremetal/cli-project";
import { etcdMembers, run } from "./baremetal/nodes";
import { describeCall } from "./baremetal/standin-log";

describe("bare metal over SSH: replacing dead machines, and a lost quorum", () => {
  let f: EtcdCliFixture;
  let c: TestCluster;
  const exec = (host: string, cmd: string) => run(c.fleet.host(host), cmd);
  const members = (from: string) => etcdMembers(c.fleet.host(from));
  const nodeNames = async (from: string) =>
    (await exec(from, "kubectl --kubeconfig /etc/kubernetes/admin.conf get nodes -o name")).trim().split("\n").map((l) => l.replace("node/", "")).sort();
  const keys = async (host: string) => (await exec(host, "etcdctl get --prefix --keys-only /dr/")).split("\n").filter(Boolean).sort();
  const callsOn = async (host: string, since: Map<string, unknown[]>) => ((await c.calls()).get(host) ?? []).slice(since.get(host)?.length ?? 0).map(describeCall);

  before(async () => {
    f = await EtcdCliFixture.start("clusterkit-dead-nodes-", { spareControlPlanes: 2, spareWorkers: 1 });
    c = f.c;
  });

  after(async () => {
    await f?.stop();
  });

  it("a dead worker is replaced by editing the inventory: drained without waiting for its kubelet, not reset, its node deleted", async () => {
    await c.fleet.powerOff("w-1");
    const before = await c.calls();
    const r = await c.up(undefined, c.inventory("cp-1", "cp-2", "cp-3", "w-2"));
    assert.deepEqual(errorsOf(r), [], c.logs.slice(-15).join("\n"));
    assert.deepEqual(r.deleted, ["w-1"]);
    assert.deepEqual(await nodeNames("cp-1"), ["cp-1", "cp-2", "cp-3", "w-2"]);
    const drains = (await Promise.all(["cp-1", "cp-2", "cp-3"].map((h) => callsOn(h, before)))).flat().filter((x) => /^kubectl .*drain w-1/.test(x));
    assert.equal(drains.length, 1, "one drain");
    assert.match(drains[0], /--grace-period=1 --skip-wait-for-delete-timeout=1/);
    assert.ok(c.logs.some((l) => l.includes("w-1: host unreachable, skipping kubeadm reset")), c.logs.slice(-15).join("\n"));
    f.setInventory("cp-1", "cp-2", "cp-3", "w-2");
  });

  let bundle = "";

  it("two of three control planes dead: replacing them is refused before any change, and the error points to the restore runbook", async () => {
    for (let i = 0; i < 10; i++) await exec("cp-1", `etcdctl put /dr/before/${i} v${i}`);
    const snap = f.etcd("snapshot", "--to", path.join(f.scratch, "bundles"));
    assert.equal(snap.code, 0, snap.stderr);
    bundle = snap.stdout.trim();
    for (let i = 0; i < 5; i++) await exec("cp-1", `etcdctl put /dr/after/${i} late`);

    await c.fleet.powerOff("cp-2");
    await c.fleet.powerOff("cp-3");
    const inventory = c.inventory("cp-1", "cp-4", "cp-5", "w-2");
    const before = await c.calls();
    const r = await c.up(undefined, inventory);
    assert.deepEqual([...r.errors.keys()], ["cp-4"]);
    assert.ok(r.skipped.includes("cp-5"), "the next control plane waits for the one before");
    for (const e of r.errors.values()) {
      // Real etcd: the member that is left runs, but without a leader it is not healthy.
      assert.match(e.message, /refusing to join cp-4: etcd of \S+ has lost its quorum: no member has a leader, 1 of 3 members answer, and a quorum needs 2 \(running without a leader: cp-1; not answering: cp-2, cp-3\)/);
      assert.match(e.message, /"Disaster recovery: restoring etcd"/);
      assert.match(e.message, /clusterkit etcd restore --stack <stack> --snapshot <bundle> --confirm /);
    }
    assert.deepEqual(r.deleted, [], "nothing is removed by a refused run");
    assert.deepEqual(TestCluster.mutatingSince(before, await c.calls()).get("cp-1") ?? [], [], "nothing changed on the control plane that is left");
    assert.deepEqual(await members("cp-1"), { "cp-1": "voting", "cp-2": "voting", "cp-3": "voting" });
    assert.ok(!(await callsOn("cp-4", before)).some((x) => /^kubeadm join/.test(x)), "kubeadm join did not run");
  });

  it("the runbook: restore onto the control plane that is left (the new machines left out), then up joins them and removes the dead ones", async () => {
    f.setInventory("cp-1", "cp-4", "cp-5", "w-2");
    const r = f.etcd("restore", "--snapshot", bundle, "--confirm", c.spec.name);
    assert.equal(r.code, 0, r.stderr);
    for (const n of ["cp-4", "cp-5"]) assert.match(r.stderr, new RegExp(`note: ${n} has not joined the cluster \\(no etcd manifest, no kubelet\\.conf: a new machine\\): the restored cluster leaves it out, and it joins on the next pulumi up`));
    for (const n of ["cp-2", "cp-3"]) assert.match(r.stderr, new RegExp(`note: ${n} was a member when the snapshot was taken and is not in the stack now`));
    assert.match(r.stdout, /^etcd cluster [0-9a-f]+ restored: cp-1 at revision \d+/);
    assert.deepEqual(await members("cp-1"), { "cp-1": "voting" });

    const up = await c.up(undefined, c.inventory("cp-1", "cp-4", "cp-5", "w-2"));
    assert.deepEqual(errorsOf(up), [], c.logs.slice(-20).join("\n"));
    assert.deepEqual(up.deleted.sort(), ["cp-2", "cp-3"]);
    assert.deepEqual(await members("cp-1"), { "cp-1": "voting", "cp-4": "voting", "cp-5": "voting" });
    assert.deepEqual(await nodeNames("cp-1"), ["cp-1", "cp-4", "cp-5", "w-2"]);
    const want = Array.from({ length: 10 }, (_, i) => `/dr/before/${i}`).sort();
    for (const h of ["cp-1", "cp-4", "cp-5"]) assert.deepEqual(await keys(h), want, `${h}: the keys from before the snapshot, and only those`);
    await c.refresh();
    for (const [n, s] of c.nodeState) assert.deepEqual(s.observed.drift, [], n);
  });

  it("prints no key material", async () => {
    await f.assertNoKeyMaterial();
  });
});
