// Bare metal over real SSH: `clusterkit etcd snapshot` of a 3-member cluster (real etcd on the
// hosts), run as users run it, against a project whose stack lists the fleet. The bundle is opened
// with the stack's key, its snapshot restored with the real etcdctl into a scratch etcd on
// loopback, and exactly the keys written before the snapshot are there. To a backup host over SSH
// (pinned host key), retention keeps the newest bundles. No key material is in a bundle or in
// anything the command prints. Needs root (test/hosts/setup-deps.sh).
import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { keyIdOf, payloadPassphrase } from "../core/backup/bundle";
import { inspectPayload, openBundleFile, payloadOf } from "../core/backup/payload";
import type { TestCluster } from "./baremetal/cluster";
import { EtcdCliFixture } from "./baremetal/cli-project";
import type { CliResult } from "./support/cli";

/** The hosts' etcdctl wrapper talks to their own member. */
const etcdctlOn = (args: string) => `etcdctl ${args}`;

describe("bare metal over SSH: etcd snapshot bundles", () => {
  let f: EtcdCliFixture;
  let c: TestCluster;
  let scratch: string;
  let backupKey: string;
  const snapshot = (...args: string[]): CliResult => f.etcd("snapshot", ...args);

  before(async () => {
    f = await EtcdCliFixture.start("clusterkit-etcd-snapshot-");
    ({ c, scratch, backupKey } = f);
  });

  after(async () => {
    await f?.stop();
  });

  it("a local bundle holds exactly the keys written before it, the CAs and the encryption config, sealed with the stack's key", async () => {
    const cp1 = c.fleet.host("cp-1");
    const put = async (key: string, value: string) => {
      const r = await cp1.exec(etcdctlOn(`put ${key} ${value}`));
      assert.equal(r.code, 0, r.stderr);
    };
    for (let i = 0; i < 20; i++) await put(`/clusterkit-test/before/${i}`, `v${i}`);
    const dir = path.join(scratch, "local");
    const r = snapshot("--to", dir, "--json");
    assert.equal(r.code, 0, r.stderr);
    for (const l of ["[1/4] snapshot on cp-1", "[2/4] encrypting on cp-1", "[3/4] checking", "[4/4] retention"]) assert.ok(r.stderr.includes(l), `progress line ${l}:\n${r.stderr}`);
    const doc = JSON.parse(r.stdout) as { apiVersion: string; bundle: string; members: { name: string }[]; snapshot: { totalKeys: number; sha256: string }; files: string[]; keyId: string };
    assert.equal(doc.apiVersion, "clusterkit.dev/etcd-snapshot/v1");
    assert.deepEqual(doc.members.map((m) => m.name).sort(), ["cp-1", "cp-2", "cp-3"]);
    assert.equal(doc.keyId, keyIdOf(backupKey));
    for (const f of ["etc/kubernetes/pki/ca.key", "etc/kubernetes/pki/etcd/ca.key", "etc/kubernetes/pki/front-proxy-ca.key", "etc/kubernetes/pki/sa.key", "etc/kubernetes/clusterkit/apiserver/encryption-config.yaml"]) assert.ok(doc.files.includes(f), `${f} in ${doc.files.join(", ")}`);
    for (let i = 0; i < 5; i++) await put(`/clusterkit-test/after/${i}`, "late");
    // Nothing is left on the control plane but etcd's own data.
    assert.equal(await cp1.exists("/var/lib/clusterkit/etcd-bundle"), false);
    assert.equal(await cp1.exists("/var/lib/etcd/clusterkit-bundle-snapshot.db"), false);

    const file = path.join(dir, doc.bundle);
    assert.deepEqual(fs.readdirSync(dir), [doc.bundle], "only the finished bundle, no .part");
    assert.equal(fs.statSync(file).mode & 0o777, 0o600);
    const opened = await openBundleFile(file, backupKey);
    assert.ok(!("kind" in opened), JSON.stringify(opened));
    const contents = await inspectPayload(payloadOf(file, opened, payloadPassphrase(backupKey, opened.header.id)));
    assert.equal(contents.snapshot?.sha256, doc.snapshot.sha256);

    // No key in clear: neither the CA's private key nor the encryption secret is in the bundle's bytes.
    const bytes = fs.readFileSync(file);
    const caKey = (await cp1.readFile("/etc/kubernetes/pki/ca.key")).trim();
    const encryption = await cp1.readFile("/etc/kubernetes/clusterkit/apiserver/encryption-config.yaml");
    const secret = /secret:\s*(\S+)/.exec(encryption)![1];
    for (const [what, needle] of [["PRIVATE KEY", "PRIVATE KEY"], ["the CA key", caKey.split("\n")[1]], ["the encryption secret", secret], ["the backup key", backupKey]] as const) {
      assert.equal(bytes.includes(Buffer.from(needle)), false, `${what} in the bundle`);
    }

    // Restored with the real etcdctl into a scratch etcd on loopback: the keys from before, not after.
    const restored = path.join(scratch, "restored");
    fs.mkdirSync(restored);
    const payload = path.join(scratch, "payload.tar.gz");
    await new Promise<void>((resolve, reject) => payloadOf(file, opened, payloadPassphrase(backupKey, opened.header.id)).pipe(fs.createWriteStream(payload)).on("finish", resolve).on("error", reject));
    execFileSync("tar", ["-xzf", payload, "-C", restored]);
    execFileSync("etcdctl", ["snapshot", "restore", path.join(restored, "snapshot.db"), "--data-dir", path.join(restored, "data"), "--name", "scratch", "--initial-cluster", "scratch=http://127.0.0.1:23380", "--initial-advertise-peer-urls", "http://127.0.0.1:23380"], { env: { ...process.env, ETCDCTL_API: "3" }, stdio: "pipe" });
    const etcd = spawn("etcd", ["--name", "scratch", "--data-dir", path.join(restored, "data"), "--listen-client-urls", "http://127.0.0.1:23379", "--advertise-client-urls", "http://127.0.0.1:23379", "--listen-peer-urls", "http://127.0.0.1:23380", "--initial-advertise-peer-urls", "http://127.0.0.1:23380", "--initial-cluster", "scratch=http://127.0.0.1:23380"], { stdio: "ignore" });
    try {
      const get = (): string => execFileSync("etcdctl", ["--endpoints=http://127.0.0.1:23379", "--dial-timeout=1s", "get", "--prefix", "--keys-only", "/clusterkit-test/"], { env: { ...process.env, ETCDCTL_API: "3" }, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
      let keys = "";
      for (let i = 0; i < 50 && !keys; i++) {
        try {
          keys = get();
        } catch {
          await new Promise((res) => setTimeout(res, 200));
        }
      }
      const found = keys.split("\n").filter(Boolean).sort();
      assert.deepEqual(found, Array.from({ length: 20 }, (_, i) => `/clusterkit-test/before/${i}`).sort());
    } finally {
      etcd.kill();
    }
    assert.ok(fs.existsSync(path.join(restored, "etc/kubernetes/pki/ca.key")));
    assert.equal(fs.readFileSync(path.join(restored, "etc/kubernetes/pki/ca.key"), "utf8").trim(), caKey);
  });

  it("to a backup host over SSH with a pinned host key; retention keeps the newest bundles there", async () => {
    const backup = c.fleet.host("w-1");
    const to = `ssh://root@${backup.address}/srv/etcd-backups`;
    const unpinned = snapshot("--to", to);
    assert.equal(unpinned.code, 2);
    assert.match(unpinned.stderr, /--host-key: an ssh:\/\/ target needs its pinned host key/);
    const wrong = snapshot("--to", to, "--host-key", c.fleet.host("cp-1").hostKeyFingerprint);
    assert.notEqual(wrong.code, 0);
    assert.match(wrong.stderr, /host key/i);
    assert.equal(await backup.exists("/srv/etcd-backups"), false, "nothing written to a host whose key did not match");
    const names: string[] = [];
    for (let i = 0; i < 3; i++) {
      const r = snapshot("--to", to, "--host-key", backup.hostKeyFingerprint, "--keep", "2");
      assert.equal(r.code, 0, r.stderr);
      names.push(path.basename(r.stdout.trim()));
    }
    const listed = (await backup.exec("ls -1 /srv/etcd-backups")).stdout.split("\n").filter(Boolean).sort();
    assert.deepEqual(listed, names.slice(1).sort(), "the oldest bundle removed, no .part left");
    assert.equal((await backup.exec("stat -c %a /srv/etcd-backups/" + names[2])).stdout.trim(), "600");
    const copy = path.join(scratch, names[2]);
    fs.writeFileSync(copy, await backup.exec(`base64 -w0 /srv/etcd-backups/${names[2]}`).then((r) => Buffer.from(r.stdout, "base64")));
    const opened = await openBundleFile(copy, backupKey);
    assert.ok(!("kind" in opened), JSON.stringify(opened));
    assert.deepEqual((await openBundleFile(copy, "another key of at least thirty-two characters")), { kind: "wrong-key", keyId: keyIdOf(backupKey) });
  });

  it("prints no key material", async () => {
    await f.assertNoKeyMaterial();
  });
});
