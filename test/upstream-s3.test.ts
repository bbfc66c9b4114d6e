// The s3:// target of `clusterkit etcd snapshot` and `restore`, against a real S3 server on loopback
// (the Versity S3 Gateway, built by test/upstream/build.sh) and a 3-member cluster on the SSH host
// fleet, with the CLI run as users run it. Wrong credentials are refused before the snapshot is
// taken; a bundle lands as one object only once it checks out; retention keeps this cluster's
// newest bundles, leaves other clusters' alone and aborts uploads that runs cut off; a restore
// fetches the bundle from the bucket and brings back exactly the keys from before the snapshot.
// The gateway ignores server-side encryption headers, so what clusterkit asks for is checked on the
// wire. Needs root (test/hosts/setup-deps.sh).
import {
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
} from "@aws-sdk/client-s3";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { after, before, describe, it } from "node:test";
import { bundleFileName } from "../core/backup/bundle";
import { openBundleFile } from "../core/backup/payload";
import { s3Store, type S3Target } from "../cli/etcd/s3-store";
import { TestCluster } from "./baremetal/cluster";
import { EtcdCliFixture } from "./baremetal/cli-project";
import { clusterkit } from "./support/cli";
import { startS3Server, type S3Server } from "./upstream/s3-server";
import { findTools, tierSkip } from "./upstream/tools";

const tools = findTools(["versitygw"]);
const skip = tierSkip("S3 tier", tools);
const bucket = "bundles";

describe("etcd bundles in S3 (a real S3 server on loopback)", skip, () => {
  let s3: S3Server;
  let client: S3Client;
  let f: EtcdCliFixture;
  let c: TestCluster;
  const target = (over: Partial<S3Target> = {}): S3Target => ({ kind: "s3", bucket, prefix: "etcd/lab/", endpoint: s3.endpoint, region: "us-east-1", sse: { kind: "AES256" }, ...over });
  const s3Flags = () => ["--s3-endpoint", s3.endpoint];
  const objects = async (prefix = "etcd/lab/") => ((await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }))).Contents ?? []).map((o) => o.Key!.slice(prefix.length)).sort();
  const incomplete = async () => ((await client.send(new ListMultipartUploadsCommand({ Bucket: bucket, Prefix: "etcd/" }))).Uploads ?? []).map((u) => u.Key!).sort();
  const exec = async (host: string, cmd: string) => {
    const r = await c.fleet.host(host).exec(cmd);
    assert.equal(r.code, 0, `${host}: ${cmd}: ${r.stderr}`);
    return r.stdout;
  };
  const keys = async (host: string) => (await exec(host, "etcdctl get --prefix --keys-only /dr/")).split("\n").filter(Boolean).sort();

  before(async () => {
    s3 = await startS3Server(tools.paths.versitygw);
    // The CLI's AWS SDK finds these the way it finds a user's: in the environment.
    Object.assign(process.env, { AWS_ACCESS_KEY_ID: s3.accessKeyId, AWS_SECRET_ACCESS_KEY: s3.secretAccessKey, AWS_REGION: "us-east-1", AWS_EC2_METADATA_DISABLED: "true" });
    client = new S3Client({ endpoint: s3.endpoint, region: "us-east-1", forcePathStyle: true, credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey } });
    await client.send(new CreateBucketCommand({ Bucket: bucket }));
    f = await EtcdCliFixture.start("clusterkit-s3-");
    c = f.c;
  });

  after(async () => {
    await f?.stop();
    client?.destroy();
    await s3?.stop();
    for (const k of ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_REGION", "AWS_EC2_METADATA_DISABLED"]) delete process.env[k];
  });

  it("credentials the store refuses are refused before the snapshot is taken, and nothing is written", async () => {
    const before = await c.calls();
    const r = clusterkit(["etcd", "snapshot", "--stack", f.stack, "--ssh-key", c.fleet.clientKey.privateKeyPath, "--key-file", f.keyFile, "--to", `s3://${bucket}/etcd/lab`, ...s3Flags()], f.project.root, { AWS_SECRET_ACCESS_KEY: "not-the-secret-key-of-this-store" });
    f.outputs.push(r.stdout, r.stderr);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /--to: writing a test object at s3:\/\/bundles\/etcd\/lab \(at http:\/\/127\.0\.0\.1:\d+\) failed: .*\(HTTP 403\)/);
    assert.match(r.stderr, /hint: the credentials need s3:PutObject/);
    assert.doesNotMatch(r.stderr, /\n\s+at /, "no stack trace");
    assert.deepEqual(await objects(), []);
    assert.deepEqual([...TestCluster.mutatingSince(before, await c.calls())].filter(([, cs]) => cs.length), [], "no snapshot was taken");
  });

  let bundleName = "";

  it("a snapshot lands as one checked object; retention keeps the newest, leaves other clusters alone and aborts cut-off uploads", async () => {
    const cluster = c.spec.name;
    const now = Date.now();
    const old = (days: number, id: string) => bundleFileName(cluster, new Date(now - days * 86_400_000), id.repeat(8));
    const other = bundleFileName("other-cluster", new Date(now - 5 * 86_400_000), "d".repeat(8));
    for (const [name, body] of [[old(3, "a"), "old"], [old(2, "b"), "older than kept"], [old(1, "c"), "kept"], [other, "not ours"]]) {
      await client.send(new PutObjectCommand({ Bucket: bucket, Key: `etcd/lab/${name}`, Body: body }));
    }
    // A run cut off halfway: its multipart upload never completed.
    const cut = await client.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: `etcd/lab/${old(2.5, "e")}` }));
    await client.send(new UploadPartCommand({ Bucket: bucket, Key: `etcd/lab/${old(2.5, "e")}`, UploadId: cut.UploadId, PartNumber: 1, Body: "partial" }));
    for (let i = 0; i < 10; i++) await exec("cp-1", `etcdctl put /dr/before/${i} v${i}`);

    const r = f.etcd("snapshot", "--to", `s3://${bucket}/etcd/lab`, ...s3Flags(), "--keep", "2");
    assert.equal(r.code, 0, r.stderr);
    const m = /^s3:\/\/bundles\/etcd\/lab\/(\S+\.etcd-bundle)$/.exec(r.stdout.trim());
    assert.ok(m, r.stdout);
    bundleName = m[1];
    assert.deepEqual(await objects(), [old(1, "c"), bundleName, other].sort(), "this cluster's newest two, and another cluster's bundle left alone");
    assert.deepEqual(await incomplete(), [], "the cut-off upload was aborted");
    for (const removed of [old(3, "a"), old(2, "b")]) assert.match(r.stderr, new RegExp(`removed ${removed.replace(/\./g, "\\.")}`));

    // The object is the bundle: whole (its MAC), sealed with the stack's key, and no key in clear.
    const file = path.join(f.scratch, bundleName);
    const got = await client.send(new GetObjectCommand({ Bucket: bucket, Key: `etcd/lab/${bundleName}` }));
    await pipeline(got.Body as Readable, fs.createWriteStream(file));
    const opened = await openBundleFile(file, f.backupKey);
    assert.ok(!("kind" in opened), JSON.stringify(opened));
    assert.equal(opened.header.cluster, cluster);
    const caKey = (await c.fleet.host("cp-1").readFile("/etc/kubernetes/pki/ca.key")).split("\n")[1];
    const bytes = fs.readFileSync(file, "latin1");
    assert.equal(bytes.includes(caKey), false, "the CA key is not in the object in clear");
    assert.equal(bytes.includes("PRIVATE KEY"), false);
  });

  it("asks the store for server-side encryption on every write (checked on the wire: this store ignores it)", async () => {
    const seen: { op: string; sse?: string; kms?: string; bytes: number }[] = [];
    const wired = new S3Client({ endpoint: s3.endpoint, region: "us-east-1", forcePathStyle: true, requestChecksumCalculation: "WHEN_REQUIRED", credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey } });
    wired.middlewareStack.add(
      (next, context) => async (args) => {
        const req = args.request as { headers: Record<string, string>; body?: unknown };
        const h = req.headers;
        const bytes = req.body instanceof Uint8Array ? req.body.length : 0;
        seen.push({ op: String(context.commandName), sse: h["x-amz-server-side-encryption"], kms: h["x-amz-server-side-encryption-aws-kms-key-id"], bytes });
        return next(args);
      },
      { step: "finalizeRequest", name: "recordSse" },
    );
    for (const sse of [{ kind: "AES256" as const }, { kind: "aws:kms" as const, keyId: "alias/etcd-backups" }]) {
      seen.length = 0;
      const store = s3Store(target({ prefix: "etcd/wire/", sse }), wired);
      await store.prepare();
      const up = store.upload(`wire-${sse.kind}.bin`);
      // Nine 1 MiB writes: one 8 MiB part, then the rest; and no empty part after it.
      await pipeline(Readable.from(Array.from({ length: 9 }, () => Buffer.alloc(1024 * 1024, 1))), up.stream as NodeJS.WritableStream);
      await up.done;
      await up.commit();
      const writes = seen.filter((s) => s.op === "PutObjectCommand" || s.op === "CreateMultipartUploadCommand");
      assert.deepEqual(writes.map((w) => w.op), ["PutObjectCommand", "CreateMultipartUploadCommand"]);
      for (const w of writes) {
        assert.equal(w.sse, sse.kind, `${w.op} asks for ${sse.kind}`);
        assert.equal(w.kms, sse.kind === "aws:kms" ? "alias/etcd-backups" : undefined);
      }
      assert.deepEqual(seen.filter((s) => s.op === "UploadPartCommand").map((s) => s.bytes), [8 * 1024 * 1024, 1024 * 1024], "two parts: 8 MiB and the rest");
    }
    assert.deepEqual(await objects("etcd/wire/"), ["wire-AES256.bin", "wire-aws:kms.bin"]);
    // An upload that is aborted leaves neither an object nor an incomplete upload.
    const store = s3Store(target({ prefix: "etcd/wire/" }), wired);
    const up = store.upload("aborted.bin");
    up.stream.write(Buffer.alloc(1024));
    await up.abort();
    assert.deepEqual(await objects("etcd/wire/"), ["wire-AES256.bin", "wire-aws:kms.bin"]);
    assert.deepEqual(await incomplete(), []);
    wired.destroy();
  });

  it("a restore fetches the bundle from the bucket and brings back exactly the keys from before the snapshot", async () => {
    for (let i = 0; i < 5; i++) await exec("cp-1", `etcdctl put /dr/after/${i} late`);
    // Two of three members lose their data: no quorum.
    for (const h of ["cp-2", "cp-3"]) await exec(h, "CLUSTERKIT_STANDIN_NOLOG=1 bash -c 'source /usr/local/lib/clusterkit-standin/lib/common.sh; source \"$STANDIN_LIB/etcd.sh\"; etcd_stop; rm -rf /var/lib/etcd/member'");
    const r = f.etcd("restore", "--snapshot", `s3://${bucket}/etcd/lab/${bundleName}`, ...s3Flags(), "--confirm", c.spec.name);
    assert.equal(r.code, 0, r.stderr);
    const fetched = /^fetching s3:\/\/\S+ to (\S+)$/m.exec(r.stderr);
    assert.ok(fetched, r.stderr);
    assert.equal(fs.existsSync(fetched[1]), false, "the fetched copy is removed afterwards");
    const want = Array.from({ length: 10 }, (_, i) => `/dr/before/${i}`).sort();
    for (const h of ["cp-1", "cp-2", "cp-3"]) assert.deepEqual(await keys(h), want, h);
  });

  it("prints no key material, and not the store's secret key", async () => {
    await f.assertNoKeyMaterial();
    assert.equal(f.outputs.join("\n").includes(s3.secretAccessKey), false);
  });
});
