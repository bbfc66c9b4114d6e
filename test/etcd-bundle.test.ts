// The etcd backup bundle's format, with the real openssl and tar doing the control plane's part:
// a bundle they produce opens with the stack's key, a wrong key is named as such, a damaged or
// truncated one is refused, retention picks the right files, and the node scripts (snapshot and
// restore) pass shellcheck.
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after, describe, it } from "node:test";
import { bundleFileName, bundleMac, cipher, expiredBundles, headerBytes, keyIdOf, parseHeader, payloadPassphrase, type BundleHeader } from "../core/backup/bundle";
import { inspectPayload, openBundleFile, payloadOf, verifyPayload } from "../core/backup/payload";
import { parseTaken, streamScript, takeScript } from "../providers/kubeadm/cluster/etcd-bundle";
import { inspectScript, restartComponentsScript, restoreScript, seedScript, seedUploadScript, startScript, stopScript, uploadScript, waitRunningScript } from "../providers/kubeadm/cluster/etcd-restore";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "clusterkit-bundle-test-"));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

const key = randomBytes(32).toString("base64");

/** A bundle as `clusterkit etcd snapshot` writes one: the payload made by tar and openssl with streamScript's flags. */
function makeBundle(name: string, snapshot: Buffer, tamper?: "snapshot" | "header"): { file: string; header: BundleHeader } {
  const work = fs.mkdtempSync(path.join(dir, "work-"));
  fs.writeFileSync(path.join(work, "snapshot.db"), snapshot);
  fs.mkdirSync(path.join(work, "etc/kubernetes/pki"), { recursive: true });
  fs.writeFileSync(path.join(work, "etc/kubernetes/pki/ca.key"), "-----BEGIN PRIVATE KEY-----\nnot a real key\n-----END PRIVATE KEY-----\n");
  const id = randomBytes(16).toString("hex");
  const header: BundleHeader = {
    id,
    keyId: keyIdOf(key),
    cluster: "metal-ber1",
    stack: "metal-ber1",
    takenAt: new Date().toISOString(),
    node: "cp-1",
    etcdVersion: "3.6.4",
    kubernetesVersion: "1.34.1",
    members: [{ name: "cp-1", peerUrls: ["https://10.0.0.11:2380"] }],
    snapshot: { sha256: createHash("sha256").update(tamper === "snapshot" ? Buffer.from("another snapshot") : snapshot).digest("hex"), bytes: snapshot.length, revision: 7, totalKeys: 3, hash: 1 },
    files: ["etc/kubernetes/pki/ca.key"],
    cipher: { ...cipher },
  };
  fs.writeFileSync(path.join(work, "bundle.json"), `${JSON.stringify(tamper === "header" ? { ...header, node: "cp-2" } : header)}\n`);
  const payload = execFileSync("bash", ["-c", `tar -C ${work} -czf - bundle.json snapshot.db etc | openssl enc -${cipher.name} -${cipher.kdf} -iter ${cipher.iter} -md ${cipher.md} -salt -pass env:P`], { env: { ...process.env, P: payloadPassphrase(key, id) }, maxBuffer: 1 << 26 });
  const head = headerBytes(header);
  const mac = bundleMac(key, id).update(head).update(payload).digest();
  const file = path.join(dir, name);
  fs.writeFileSync(file, Buffer.concat([head, payload, mac]));
  return { file, header };
}

describe("etcd bundles", () => {
  it("open with the stack's key: header, MAC, and a payload that decrypts to the snapshot and files", async () => {
    const snapshot = randomBytes(300_000);
    const { file, header } = makeBundle("ok.etcd-bundle", snapshot);
    const opened = await openBundleFile(file, key);
    assert.ok(!("kind" in opened), JSON.stringify(opened));
    assert.deepEqual(opened.header, header);
    const contents = await inspectPayload(payloadOf(file, opened, payloadPassphrase(key, header.id)));
    assert.deepEqual(contents.snapshot, { sha256: header.snapshot.sha256, bytes: snapshot.length });
    assert.equal(contents.bundleJson, JSON.stringify(header));
    assert.ok(contents.entries.includes("etc/kubernetes/pki/ca.key"), contents.entries.join(", "));
    assert.equal(fs.readFileSync(file).includes(Buffer.from("PRIVATE KEY")), false, "the CA key is not in clear");
  });

  it("a payload is checked against its header: the snapshot's hash and the sealed copy of the header", async () => {
    const check = async (tamper: "snapshot" | "header" | undefined, passphrase?: string) => {
      const { file, header } = makeBundle(`payload-${tamper ?? "ok"}.etcd-bundle`, randomBytes(2000), tamper);
      const opened = await openBundleFile(file, key);
      assert.ok(!("kind" in opened), JSON.stringify(opened));
      return (await verifyPayload(file, opened, passphrase ?? payloadPassphrase(key, header.id))).kind;
    };
    assert.equal(await check(undefined), "ok");
    assert.equal(await check("snapshot"), "snapshot-mismatch");
    assert.equal(await check("header"), "header-mismatch");
    assert.equal(await check(undefined, "not the passphrase"), "undecryptable");
  });

  it("name a wrong key by its id, and refuse a damaged, truncated or foreign file", async () => {
    const { file, header } = makeBundle("bad.etcd-bundle", randomBytes(50_000));
    const other = "another backup key, long enough to be accepted";
    assert.deepEqual(await openBundleFile(file, other), { kind: "wrong-key", keyId: header.keyId });
    const bytes = fs.readFileSync(file);
    const flipped = Buffer.from(bytes);
    flipped[bytes.length - 1000] ^= 1;
    fs.writeFileSync(path.join(dir, "flipped"), flipped);
    assert.deepEqual(await openBundleFile(path.join(dir, "flipped"), key), { kind: "damaged" });
    fs.writeFileSync(path.join(dir, "short"), bytes.subarray(0, bytes.length - 10));
    assert.deepEqual(await openBundleFile(path.join(dir, "short"), key), { kind: "damaged" });
    fs.writeFileSync(path.join(dir, "foreign"), "SQLite format 3\0");
    assert.deepEqual(await openBundleFile(path.join(dir, "foreign"), key), { kind: "not-a-bundle" });
    const badHeader = parseHeader(Buffer.from('clusterkit-etcd-bundle/v1\n{"id":"nope"}\n'));
    assert.ok("kind" in badHeader && badHeader.kind === "bad-header" && /id/.test(badHeader.detail), JSON.stringify(badHeader));
    assert.deepEqual(await openBundleFile(path.join(dir, "missing"), key), { kind: "unreadable", detail: "ENOENT" });
  });

  it("a payload decrypted with the wrong passphrase fails instead of yielding garbage", async () => {
    const { file } = makeBundle("wrong-pass.etcd-bundle", randomBytes(10_000));
    const opened = await openBundleFile(file, key);
    assert.ok(!("kind" in opened));
    await assert.rejects(inspectPayload(payloadOf(file, opened, "0".repeat(64))));
  });

  it("sort by time per cluster; retention keeps the newest, and leaves other clusters and other files alone", () => {
    const t = (s: string) => new Date(s);
    const names = [
      bundleFileName("metal", t("2026-12-01T10:00:00.000Z"), "aaaaaaaa11"),
      bundleFileName("metal", t("2026-12-01T10:00:00.000Z"), "bbbbbbbb22"),
      bundleFileName("metal", t("2026-12-02T10:00:00.000Z"), "cccccccc33"),
      bundleFileName("metal-eu", t("2026-11-01T10:00:00.000Z"), "dddddddd44"),
      "metal-20261101T100000.000Z-eeeeeeee.etcd-bundle.part",
      "metal-20261203T100000.000Z-ffffffff.etcd-bundle.part",
      "notes.txt",
    ];
    assert.match(names[0], /^metal-20261201T100000\.000Z-aaaaaaaa\.etcd-bundle$/);
    // The cut-off copy from before the newest bundle goes; the one newer than it may still be writing.
    assert.deepEqual(expiredBundles(names, "metal", 2), [names[0], names[4]]);
    assert.deepEqual(expiredBundles(names, "metal", 1), [names[0], names[1], names[4]]);
    assert.deepEqual(expiredBundles(names, "metal-eu", 1), []);
  });

  it("read the control plane's report for etcd 3.4 (etcdctl) and 3.6 (etcdutl)", () => {
    const out = (status: string) =>
      [
        `status ${status}`,
        "sha256 " + "ab".repeat(32),
        "bytes 20480",
        'endpoint [{"Endpoint":"https://127.0.0.1:2379","Status":{"header":{"cluster_id":1},"version":"3.6.4","dbSize":20480}}]',
        "member 8e9e05c52164694d, started, cp-1, https://10.0.0.11:2380, https://10.0.0.11:2379, false",
        "member 91bc3c398fb3c146, started, cp-2, https://10.0.0.12:2380, https://10.0.0.12:2379, false",
        "file etc/kubernetes/pki/ca.crt",
      ].join("\n");
    for (const status of ['{"hash":3295570393,"revision":12,"totalKey":9,"totalSize":20480}', '{"hash":3295570393,"revision":12,"totalKey":9,"totalSize":20480,"version":"3.6.0"}']) {
      const t = parseTaken(out(status));
      assert.deepEqual(t.snapshot, { sha256: "ab".repeat(32), bytes: 20480, revision: 12, totalKeys: 9, hash: 3295570393 });
      assert.equal(t.etcdVersion, "3.6.4");
      assert.deepEqual(t.members.map((m) => [m.name, m.peerUrls[0]]), [["cp-1", "https://10.0.0.11:2380"], ["cp-2", "https://10.0.0.12:2380"]]);
      assert.deepEqual(t.files, ["etc/kubernetes/pki/ca.crt"]);
    }
    assert.throws(() => parseTaken("status {}"), /no endpoint line/);
  });

  it("open by hand with the commands docs/backup.md gives", () => {
    const snapshot = randomBytes(70_000);
    const { file, header } = makeBundle("by-hand.etcd-bundle", snapshot);
    const doc = fs.readFileSync(path.join(__dirname, "..", "docs", "backup.md"), "utf8");
    const block = /<!-- open-by-hand[^>]*-->\n```sh\n([\s\S]*?)```/.exec(doc)?.[1];
    assert.ok(block, "the open-by-hand block in docs/backup.md");
    const out = fs.mkdtempSync(path.join(dir, "by-hand-"));
    const keyFile = path.join(dir, "by-hand.key");
    fs.writeFileSync(keyFile, key);
    const r = spawnSync("bash", ["-euo", "pipefail", "-c", block], { env: { ...process.env, BUNDLE: file, KEYFILE: keyFile, OUT: out }, encoding: "utf8" });
    assert.equal(r.status, 0, r.stderr);
    assert.ok(fs.readFileSync(path.join(out, "snapshot.db")).equals(snapshot));
    assert.ok(r.stdout.startsWith(header.snapshot.sha256), r.stdout);
    assert.equal(fs.readFileSync(path.join(out, "bundle.json"), "utf8").trim(), JSON.stringify(header));
  });

  it("node scripts pass shellcheck", () => {
    const m = { name: "cp-1", peerUrl: "https://10.0.0.11:2380" };
    const files = ["etc/kubernetes/pki/ca.crt", "etc/kubernetes/pki/ca.key", "etc/kubernetes/clusterkit/apiserver/encryption-config.yaml"];
    const restore = [inspectScript("abc"), uploadScript("abc", "00"), stopScript("abc", "etcd"), restoreScript("abc", m, [m]), startScript("abc", "kube-apiserver"), waitRunningScript("etcd"), restartComponentsScript("abc", true), seedUploadScript("abc", "00", files), seedScript("abc", m, files)];
    for (const [name, script] of [["take", takeScript()], ["stream", streamScript()], ...restore.map((r, i) => [`restore ${i}`, r])]) {
      const r = spawnSync("shellcheck", ["-s", "bash", "-"], { input: script, encoding: "utf8" });
      if (r.error) assert.fail(`shellcheck is not installed (${r.error.message}); install it: apt-get update && apt-get install -y shellcheck`);
      assert.equal(r.stdout, "", `${name}:\n${r.stdout}`);
      assert.equal(r.status, 0);
    }
  });
});
