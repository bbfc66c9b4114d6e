// Bare metal over real SSH: scheduled etcd snapshots (backup.etcd.schedule). pulumi up installs the
// timer, its service, the script and the node key on the control plane and takes a first snapshot;
// the service, started as the calendar would start it, seals bundles the stack's key opens; the node
// keeps the newest few; a full disk is a failure on record that refresh reports; turning the schedule
// off removes the timer and keeps the bundles. Needs root (test/hosts/setup-deps.sh).
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { inspectPayload, openBundleFile, payloadOf } from "../core/backup/payload";
import { schedulePaths } from "../providers/kubeadm/cluster/etcd-schedule";
import { collectSnapshots } from "../cli/etcd/collect";
import { restoreBundle } from "../cli/etcd/restore";
import { TestCluster } from "./baremetal/cluster";

const unit = "clusterkit-etcd-snapshot";

describe("bare metal over SSH: scheduled etcd snapshots", () => {
  let c: TestCluster;
  let scratch: string;
  const bundlesOn = async () => (await c.fleet.host("cp-1").exec(`ls ${schedulePaths.bundles} | grep -E '\\.etcd-bundle$' || true`)).stdout.split("\n").filter(Boolean);

  before(async () => {
    c = await TestCluster.start({ controlPlanes: 1, workers: 0 });
    c.editBlueprint((b) => (b.backup = { etcd: { schedule: { kind: "systemd-timer", keepOnNode: 2, maxAgeHours: 2 } } }));
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), "clusterkit-schedule-"));
  });
  after(async () => {
    await c?.stop();
    if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
  });

  it("pulumi up installs the timer and takes the first snapshot; the bundle opens with the stack's key", async () => {
    const r = await c.up();
    assert.equal(r.errors.size, 0, [...r.errors.values()].map((e) => e.message).join("\n"));
    const cp1 = c.fleet.host("cp-1");
    assert.equal((await cp1.exec(`systemctl is-active ${unit}.timer`)).stdout.trim(), "active");
    assert.equal((await cp1.exec(`stat -c %a ${schedulePaths.key}`)).stdout.trim(), "600");
    const names = await bundlesOn();
    assert.equal(names.length, 1, names.join(", "));
    const copy = path.join(scratch, names[0]);
    fs.copyFileSync(cp1.path(`${schedulePaths.bundles}/${names[0]}`), copy);
    const opened = await openBundleFile(copy, c.backupKey);
    assert.ok(!("kind" in opened), JSON.stringify(opened));
    assert.equal(opened.seal.sealedOn, "node");
    assert.equal(opened.header.node, "cp-1");
    const contents = await inspectPayload(payloadOf(copy, opened, opened.seal.passphrase(opened.header.id)));
    assert.equal(contents.snapshot?.sha256, opened.header.snapshot.sha256);
    assert.equal(contents.bundleJson, opened.headerJson);
    assert.ok(contents.entries.includes("etc/kubernetes/pki/ca.key"), contents.entries.join(", "));
    assert.equal(fs.readFileSync(copy).includes(Buffer.from("PRIVATE KEY")), false);
    await c.refresh();
    const o = c.nodeState.get("cp-1")!.observed;
    assert.deepEqual(o.drift, []);
    assert.equal(o.etcdSnapshots?.newest?.name, names[0]);
  });

  it("the node keeps the newest keepOnNode bundles", async () => {
    const cp1 = c.fleet.host("cp-1");
    for (let i = 0; i < 3; i++) {
      const r = await cp1.exec(`systemctl start ${unit}.service`);
      assert.equal(r.code, 0, r.stderr);
    }
    assert.equal((await bundlesOn()).length, 2);
  });

  it("--collect copies the node's bundles off, checked, once; a restore from a collected bundle brings back exactly its keys", async () => {
    const cp1 = c.fleet.host("cp-1");
    const put = async (k: string) => assert.equal((await cp1.exec(`etcdctl put ${k} v`)).code, 0);
    await put("/clusterkit-test/before");
    assert.equal((await cp1.exec(`systemctl start ${unit}.service`)).code, 0);
    await put("/clusterkit-test/after");
    const dir = path.join(scratch, "target");
    const opts = { spec: c.spec, vms: null, sshKey: c.fleet.clientKey.privateKeyPem, backupKey: c.backupKey, target: { kind: "local" as const, dir }, keep: 5, progress: () => undefined };
    const first = await collectSnapshots(opts);
    assert.deepEqual(first.failed, []);
    assert.deepEqual(first.collected.map((b) => b.bundle).sort(), (await bundlesOn()).sort());
    assert.deepEqual(fs.readdirSync(dir).sort(), (await bundlesOn()).sort(), "no .part left");
    const again = await collectSnapshots(opts);
    assert.deepEqual(again.collected, []);
    assert.equal(again.present.length, first.collected.length);
    const newest = path.join(dir, fs.readdirSync(dir).sort().pop()!);
    const r = await restoreBundle({ spec: c.spec, vms: null, sshKey: c.fleet.clientKey.privateKeyPem, backupKey: c.backupKey, bundleFile: newest, confirm: c.spec.name, progress: () => undefined });
    assert.deepEqual(r.members.map((m) => m.name), ["cp-1"]);
    const keys = (await cp1.exec("etcdctl get --prefix --keys-only /clusterkit-test/")).stdout.split("\n").filter(Boolean);
    assert.deepEqual(keys, ["/clusterkit-test/before"]);
  });

  it("a disk too small is a failure on record, reported by refresh, and leaves the bundles whole", async () => {
    const cp1 = c.fleet.host("cp-1");
    const before = await bundlesOn();
    await cp1.breakStep("disk-space", true);
    const r = await cp1.exec(`systemctl start ${unit}.service`);
    assert.notEqual(r.code, 0);
    assert.match(await cp1.readFile(schedulePaths.lastFailure), /checking free space/);
    assert.deepEqual(await bundlesOn(), before);
    await c.refresh();
    assert.ok(c.nodeState.get("cp-1")!.observed.drift.some((d) => /last run failed/.test(d)), JSON.stringify(c.nodeState.get("cp-1")!.observed.drift));
    await cp1.breakStep("disk-space", false);
  });

  it("turning the schedule off removes the timer and the key, and keeps the bundles", async () => {
    const kept = await bundlesOn();
    c.editBlueprint((b) => (b.backup = { etcd: { schedule: { kind: "none" } } }));
    const r = await c.up();
    assert.equal(r.errors.size, 0, [...r.errors.values()].map((e) => e.message).join("\n"));
    const cp1 = c.fleet.host("cp-1");
    for (const p of [schedulePaths.timer, schedulePaths.service, schedulePaths.script, schedulePaths.key]) assert.equal(await cp1.exists(p), false, p);
    assert.deepEqual(await bundlesOn(), kept);
  });
});
