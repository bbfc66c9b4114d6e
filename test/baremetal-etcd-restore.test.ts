// Bare metal over real SSH: the README's disaster-recovery runbook on a 3-member cluster (real etcd
// on the hosts), with the CLI as users run it. A snapshot is taken, keys are written after it, etcd
// is broken (two members' data wiped: quorum lost), and `clusterkit etcd restore` brings back
// exactly the keys from before, on all three members, healthy, in one new cluster. A restore cut
// off after the second member is run again and finishes. A wrong key, another cluster's bundle or
// no --confirm is refused with every host untouched. Needs root (test/hosts/setup-deps.sh).
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { TestCluster } from "./baremetal/cluster";
import { EtcdCliFixture } from "./baremetal/cli-project";
import { clusterkit, type CliResult } from "./support/cli";

const cps = ["cp-1", "cp-2", "cp-3"];

describe("bare metal over SSH: etcd restore (the disaster-recovery runbook)", () => {
  let f: EtcdCliFixture;
  let c: TestCluster;
  let scratch: string;
  const cli = (verb: "snapshot" | "restore", ...args: string[]): CliResult => f.etcd(verb, ...args);
  const exec = async (host: string, cmd: string) => {
    const r = await c.fleet.host(host).exec(cmd);
    assert.equal(r.code, 0, `${host}: ${cmd}: ${r.stderr}`);
    return r.stdout;
  };
  const keys = async (host: string) => (await exec(host, "etcdctl get --prefix --keys-only /dr/")).split("\n").filter(Boolean).sort();
  const clusterId = async (host: string) => /"cluster_id":(\d+)/.exec(await exec(host, "etcdctl endpoint status -w json"))![1];
  /** Two of three members lose their data: no quorum, the cluster is down. */
  const breakEtcd = async () => {
    for (const h of ["cp-2", "cp-3"]) await exec(h, "CLUSTERKIT_STANDIN_NOLOG=1 bash -c 'source /usr/local/lib/clusterkit-standin/lib/common.sh; source \"$STANDIN_LIB/etcd.sh\"; etcd_stop; rm -rf /var/lib/etcd/member'");
    assert.notEqual((await c.fleet.host("cp-1").exec("ETCDCTL_COMMAND_TIMEOUT=2s etcdctl get /dr/before/0")).code, 0, "etcd has lost its quorum");
  };

  before(async () => {
    f = await EtcdCliFixture.start("clusterkit-etcd-restore-");
    ({ c, scratch } = f);
  });

  after(async () => {
    await f?.stop();
  });

  let bundle = "";
  let firstId = "";

  it("refuses a bundle it cannot use, and a restore without --confirm, before any change", async () => {
    for (let i = 0; i < 10; i++) await exec("cp-1", `etcdctl put /dr/before/${i} v${i}`);
    const snap = cli("snapshot", "--to", path.join(scratch, "bundles"));
    assert.equal(snap.code, 0, snap.stderr);
    bundle = snap.stdout.trim();
    firstId = await clusterId("cp-1");
    for (let i = 0; i < 5; i++) await exec("cp-1", `etcdctl put /dr/after/${i} late`);
    const callsBefore = await c.calls();

    const noConfirm = cli("restore", "--snapshot", bundle);
    assert.equal(noConfirm.code, 2, noConfirm.stderr);
    assert.match(noConfirm.stderr, /--confirm: a restore puts every Kubernetes object of .* back as it was at .*\(expected ".*", found \(none\)\)/);
    const wrongKey = path.join(scratch, "other.key");
    fs.writeFileSync(wrongKey, "another backup key of at least 32 characters");
    const r = clusterkit(["etcd", "restore", "--stack", f.stack, "--snapshot", bundle, "--confirm", c.spec.name, "--ssh-key", c.fleet.clientKey.privateKeyPath, "--key-file", wrongKey], f.project.root);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /--snapshot: .* was sealed with another backup key \(key id [0-9a-f]{16}\); the stack's key has id [0-9a-f]{16}/);
    const damaged = path.join(scratch, "damaged.etcd-bundle");
    const bytes = fs.readFileSync(bundle);
    bytes[bytes.length - 100] ^= 0xff;
    fs.writeFileSync(damaged, bytes);
    const d = cli("restore", "--snapshot", damaged, "--confirm", c.spec.name);
    assert.equal(d.code, 2);
    assert.match(d.stderr, /damaged or cut short/);
    // Nothing ran on any host: no mutating stand-in call, the same data.
    assert.deepEqual([...TestCluster.mutatingSince(callsBefore, await c.calls())].filter(([, cs]) => cs.length), []);
    assert.equal((await keys("cp-1")).length, 15);
  });

  it("a restore cut off after the second member is run again and brings back exactly the keys from before the snapshot", async () => {
    await breakEtcd();
    await c.fleet.host("cp-3").failOnce("etcd-restore");
    const cut = cli("restore", "--snapshot", bundle, "--confirm", c.spec.name);
    assert.equal(cut.code, 1, cut.stderr);
    assert.match(cut.stderr, /cp-2: restored/);
    assert.match(cut.stderr, /no space left on device/);
    assert.doesNotMatch(cut.stderr, /\n\s+at /, "no stack trace");

    const again = cli("restore", "--snapshot", bundle, "--confirm", c.spec.name);
    assert.equal(again.code, 0, again.stderr);
    for (const l of ["[1/7]", "[2/7]", "[3/7]", "[4/7]", "[5/7]", "[6/7]", "[7/7]"]) assert.ok(again.stderr.includes(l), l);
    assert.match(again.stdout, /^etcd cluster [0-9a-f]+ restored: cp-1, cp-2, cp-3 at revision \d+/);

    const rid = (JSON.parse(fs.readFileSync(bundle, "utf8").split("\n")[1]) as { id: string }).id.slice(0, 12);
    const want = Array.from({ length: 10 }, (_, i) => `/dr/before/${i}`).sort();
    const ids = new Set<string>();
    for (const h of cps) {
      assert.deepEqual(await keys(h), want, `${h}: the keys from before the snapshot, and only those`);
      ids.add(await clusterId(h));
      assert.equal((await c.fleet.host(h).exec("etcdctl endpoint health")).code, 0, `${h} healthy`);
      assert.ok(await c.fleet.host(h).exists("/etc/kubernetes/manifests/etcd.yaml"));
      assert.ok(await c.fleet.host(h).exists("/etc/kubernetes/manifests/kube-apiserver.yaml"));
      assert.ok(await c.fleet.host(h).exists(`/var/lib/etcd.before-restore-${rid}`), `${h}: the old data kept`);
      assert.notEqual((await exec(h, "crictl ps -q --name '^kube-apiserver$'")).trim(), "", `${h}: the API server runs again`);
    }
    assert.equal(ids.size, 1, "one cluster");
    assert.notEqual([...ids][0], firstId, "a new cluster id");
    const members = JSON.parse(await exec("cp-1", "etcdctl member list -w json")) as { members: { name: string; isLearner?: boolean }[] };
    assert.deepEqual(members.members.map((m) => m.name).sort(), cps);
    // The API servers were stopped before etcd and started after it.
    const events = fs.readFileSync(path.join(c.fleet.clusterStateDir, "apiservers", "events.log"), "utf8");
    assert.match(events, /stop \S+ manifest-removed/);
    // A third run has nothing left to do and changes nothing.
    const before = await c.calls();
    const third = cli("restore", "--snapshot", bundle, "--confirm", c.spec.name);
    assert.equal(third.code, 0, third.stderr);
    assert.match(third.stderr, /was restored already .*nothing to do/);
    assert.deepEqual([...TestCluster.mutatingSince(before, await c.calls())].filter(([, cs]) => cs.length), []);
    assert.deepEqual(await keys("cp-2"), want);
  });

  it("prints no key material", async () => {
    await f.assertNoKeyMaterial();
  });
});
