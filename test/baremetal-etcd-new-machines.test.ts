// Bare metal over real SSH: every control plane lost, the cluster restored onto new machines, as
// the README's runbook says. A snapshot is taken, keys are written after it, and all three control
// planes die. The stack lists three new machines instead; `clusterkit etcd restore` seeds the first
// with the bundle's CAs, service-account keys and encryption configuration and with etcd restored as
// a one-member cluster; `pulumi up` runs kubeadm init over that data (the stand-in kubeadm, like the
// real one, uses the CAs it finds, and its preflight refuses the data dir unless told to accept it),
// joins the other two, keeps the worker, and removes the dead control planes through the new ones.
// Real etcd. Needs root (test/hosts/setup-deps.sh).
import assert from "node:assert/strict";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { restoreSeedPath } from "../providers/kubeadm/cluster/etcd-restore";
import { errorsOf, TestCluster } from "./baremetal/cluster";
import { EtcdCliFixture } from "./baremetal/cli-project";
import { etcdMembers, run } from "./baremetal/nodes";

describe("bare metal over SSH: every control plane lost, restored onto new machines", () => {
  let f: EtcdCliFixture;
  let c: TestCluster;
  const exec = (host: string, cmd: string) => run(c.fleet.host(host), cmd);
  const members = (from: string) => etcdMembers(c.fleet.host(from));
  const keys = async (host: string) => (await exec(host, "etcdctl get --prefix --keys-only /nm/")).split("\n").filter(Boolean).sort();

  before(async () => {
    f = await EtcdCliFixture.start("clusterkit-new-machines-", { spareControlPlanes: 3 });
    c = f.c;
  });

  after(async () => {
    await f?.stop();
  });

  it("the restore seeds the first new control plane; pulumi up brings the cluster back there with the keys from before the snapshot, the same CAs, the worker, and the dead control planes removed", async () => {
    for (let i = 0; i < 5; i++) await exec("cp-1", `etcdctl put /nm/before/${i} v${i}`);
    const snap = f.etcd("snapshot", "--to", path.join(f.scratch, "bundles"));
    assert.equal(snap.code, 0, snap.stderr);
    const bundle = snap.stdout.trim();
    for (let i = 0; i < 3; i++) await exec("cp-1", `etcdctl put /nm/after/${i} late`);
    const ca = await c.fleet.host("cp-1").readFile("/etc/kubernetes/pki/ca.crt");
    const saPub = await c.fleet.host("cp-1").readFile("/etc/kubernetes/pki/sa.pub");
    for (const n of ["cp-1", "cp-2", "cp-3"]) await c.fleet.powerOff(n);

    f.setInventory("cp-4", "cp-5", "cp-6", "w-1");
    const r = f.etcd("restore", "--snapshot", bundle, "--confirm", c.spec.name);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /every control plane of the stack is a new machine \(none has joined the cluster\): cp-4, listed first, is seeded, and the next pulumi up runs kubeadm init there over the restored data; cp-5, cp-6 join it then/);
    for (const n of ["cp-1", "cp-2", "cp-3"]) assert.match(r.stderr, new RegExp(`note: ${n} was a member when the snapshot was taken and is not in the stack now`));
    assert.match(r.stdout, /seeded on cp-4 from the bundle \(revision \d+\): run pulumi up --stack \S+ to bring the cluster up on it/);
    assert.equal(await c.fleet.host("cp-4").readFile("/etc/kubernetes/pki/ca.crt"), ca, "the cluster's CA, from the bundle");
    assert.equal((await exec("cp-4", "stat -c %a /etc/kubernetes/pki/ca.key")).trim(), "600");
    assert.ok(await c.fleet.host("cp-4").exists(restoreSeedPath));
    for (const n of ["cp-5", "cp-6"]) assert.equal(await c.fleet.host(n).exists("/etc/kubernetes/pki/ca.crt"), false, `${n} is left to join`);
    const again = f.etcd("restore", "--snapshot", bundle, "--confirm", c.spec.name);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stderr, /cp-4 is seeded from this bundle already/);

    const up = await c.up(undefined, c.inventory("cp-4", "cp-5", "cp-6", "w-1"));
    assert.deepEqual(errorsOf(up), [], c.logs.slice(-25).join("\n"));
    assert.ok(c.logs.some((l) => l.includes("cp-4: kubeadm init over the etcd data and CAs restored here")), c.logs.slice(-25).join("\n"));
    assert.deepEqual(up.deleted.sort(), ["cp-1", "cp-2", "cp-3"]);
    assert.deepEqual(await members("cp-4"), { "cp-4": "voting", "cp-5": "voting", "cp-6": "voting" });
    const want = Array.from({ length: 5 }, (_, i) => `/nm/before/${i}`);
    for (const h of ["cp-4", "cp-5", "cp-6"]) {
      assert.deepEqual(await keys(h), want, `${h}: the keys from before the snapshot, and only those`);
      assert.equal(await c.fleet.host(h).readFile("/etc/kubernetes/pki/ca.crt"), ca, `${h}: the same CA`);
      assert.equal(await c.fleet.host(h).readFile("/etc/kubernetes/pki/sa.pub"), saPub, `${h}: the same service-account key`);
    }
    assert.equal(await c.fleet.host("cp-4").exists(restoreSeedPath), false, "the seed is spent once init completed");
    const nodes = (await exec("cp-4", "kubectl --kubeconfig /etc/kubernetes/admin.conf get nodes -o name")).trim().split("\n").map((l) => l.replace("node/", "")).sort();
    assert.deepEqual(nodes, ["cp-4", "cp-5", "cp-6", "w-1"]);
    await c.refresh();
    for (const [n, s] of c.nodeState) assert.deepEqual(s.observed.drift, [], n);
    const second = await c.up(undefined, c.inventory("cp-4", "cp-5", "cp-6", "w-1"));
    assert.deepEqual(errorsOf(second), []);
    assert.deepEqual(second.updated, [], "a second up changes nothing");
  });

  it("prints no key material", async () => {
    const caKey = (await c.fleet.host("cp-4").readFile("/etc/kubernetes/pki/ca.key")).split("\n")[1];
    const all = f.outputs.join("\n");
    for (const needle of [f.backupKey, caKey, "PRIVATE KEY", c.fleet.clientKey.privateKeyPem.split("\n")[1]]) assert.equal(all.includes(needle), false);
  });
});
