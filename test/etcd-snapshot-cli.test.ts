// `clusterkit etcd snapshot` refuses bad input before it touches a host: exit 2, the flag or file
// to fix, no stack trace, and never a key's value.
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after, describe, it } from "node:test";
import { clusterkit } from "./support/cli";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "clusterkit-snapshot-cli-"));
after(() => fs.rmSync(dir, { recursive: true, force: true }));
const shortKey = path.join(dir, "short.key");
fs.writeFileSync(shortKey, "tooshort-but-secret\n");
const goodKey = path.join(dir, "good.key");
fs.writeFileSync(goodKey, "k".repeat(44));
const sshKey = path.join(dir, "id");
fs.writeFileSync(sshKey, "not used: refused before any host\n");
const emptyState = path.join(dir, "state-empty.json");
fs.writeFileSync(emptyState, JSON.stringify({ version: 3, deployment: { resources: [] } }));
const foreignState = path.join(dir, "state-foreign.json");
fs.writeFileSync(foreignState, JSON.stringify({ version: 3, deployment: { resources: [{ urn: "urn:pulumi:metal-ber1::clusterkit::pulumi:pulumi:Stack::clusterkit-metal-ber1", type: "pulumi:pulumi:Stack" }] } }));
// No Pulumi CLI on PATH: the state must come from --state.
const noPulumi = { PATH: path.dirname(process.execPath) + ":/usr/bin:/bin" };
const snapshot = (...args: string[]) => clusterkit(["etcd", "snapshot", ...args], undefined, noPulumi);

describe("clusterkit etcd snapshot: refusals", () => {
  const cases: [string, string[], RegExp][] = [
    ["--keep must be a whole number", ["--stack", "metal-ber1", "--to", dir, "--keep", "0"], /^\(command line\): --keep: expected a whole number of bundles to keep, at least 1 \(found "0"\)/m],
    ["an ssh:// target needs a pinned host key", ["--stack", "metal-ber1", "--to", "ssh://backup@10.0.0.5/srv/etcd"], /^\(command line\): --host-key: an ssh:\/\/ target needs its pinned host key[\s\S]*hint: ssh-keyscan -t ed25519 10\.0\.0\.5/m],
    ["a host key is a SHA256 fingerprint", ["--stack", "metal-ber1", "--to", "ssh://backup@10.0.0.5/srv/etcd", "--host-key", "MD5:aa"], /--host-key: expected a SHA256 fingerprint/],
    ["an ssh:// target has a user and a path", ["--stack", "metal-ber1", "--to", "ssh://10.0.0.5", "--host-key", `SHA256:${"A".repeat(43)}`], /--to: expected ssh:\/\/USER@HOST\[:PORT\]\/PATH/],
    ["a host key only with ssh://", ["--stack", "metal-ber1", "--to", dir, "--host-key", `SHA256:${"A".repeat(43)}`], /--host-key: --host-key is only for an ssh:\/\/ target/],
    ["an S3 setting only with s3://", ["--stack", "metal-ber1", "--to", dir, "--s3-endpoint", "http://127.0.0.1:7070"], /--s3-endpoint: --s3-endpoint is only for an s3:\/\/ target/],
    ["a host key not with s3://", ["--stack", "metal-ber1", "--to", "s3://backups/etcd", "--host-key", `SHA256:${"A".repeat(43)}`], /--host-key: --host-key is only for an ssh:\/\/ target/],
    ["an S3 bucket name as S3 allows it", ["--stack", "metal-ber1", "--to", "s3://Backups_1/etcd"], /--to: expected s3:\/\/BUCKET or s3:\/\/BUCKET\/PREFIX/],
    ["an S3 prefix without empty segments", ["--stack", "metal-ber1", "--to", "s3://backups/etcd//ber1"], /--to: the prefix has an empty or '\.\.' segment/],
    ["an S3 endpoint is a base URL", ["--stack", "metal-ber1", "--to", "s3://backups", "--s3-endpoint", "minio:9000/x"], /--s3-endpoint: expected the store's base URL, http\(s\):\/\/HOST\[:PORT\]/],
    ["server-side encryption is AES256 or aws:kms", ["--stack", "metal-ber1", "--to", "s3://backups", "--sse", "none"], /--sse: expected AES256 \(SSE-S3\) or aws:kms \(SSE-KMS\) \(found "none"\)/],
    ["a KMS key only with aws:kms", ["--stack", "metal-ber1", "--to", "s3://backups", "--sse-kms-key-id", "alias/etcd"], /--sse-kms-key-id: a KMS key is only for --sse aws:kms/],
    ["EKS has no etcd of ours", ["--stack", "prod-us-east-1", "--to", dir, "--key-file", goodKey, "--ssh-key", sshKey], /^stacks\/Pulumi\.prod-us-east-1\.yaml: config\.clusterkit:blueprint: EKS runs etcd for you/m],
    ["vSphere: a state without the VMs' host keys", ["--stack", "vsphere-fra1", "--to", dir, "--key-file", goodKey, "--ssh-key", sshKey, "--state", emptyState], /state-empty\.json: deployment\.resources: the state holds no clusterkit:vsphere:VsphereCluster, whose outputs name each VM's host key and address[\s\S]*hint: run pulumi up for the stack first/],
    ["vSphere: a state of another stack", ["--stack", "vsphere-fra1", "--to", dir, "--key-file", goodKey, "--ssh-key", sshKey, "--state", foreignState], /deployment\.resources\[0\]\.urn: belongs to stack metal-ber1, not to vsphere-fra1/],
    ["vSphere: no state, and no Pulumi CLI to read it", ["--stack", "vsphere-fra1", "--to", dir, "--key-file", goodKey, "--ssh-key", sshKey], /^\(command line\): --state: the state of stack vsphere-fra1 could not be read with the Pulumi CLI; a vSphere VM's host key and address are kept there[\s\S]*hint: .*pulumi stack export --stack vsphere-fra1 > state\.json/m],
    ["a state export only for vSphere", ["--stack", "metal-ber1", "--to", dir, "--key-file", goodKey, "--ssh-key", sshKey, "--state", emptyState], /--state: a state export is only read for a vSphere stack/],
    ["an unknown stack", ["--stack", "metal-nowhere", "--to", dir], /^stacks\/Pulumi\.metal-nowhere\.yaml: \(file\): does not exist/m],
    ["a key too short", ["--stack", "metal-ber1", "--to", dir, "--key-file", shortKey, "--ssh-key", sshKey], /^\(command line\): --key-file: the backup key is too short \(expected at least 32 characters, found 19 characters\)/m],
    ["a key file that is not there", ["--stack", "metal-ber1", "--to", dir, "--key-file", path.join(dir, "nope"), "--ssh-key", sshKey], /--key-file: cannot read the key file: ENOENT/],
  ];
  for (const [name, args, expected] of cases) {
    it(name, () => {
      const r = snapshot(...args);
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, expected);
      assert.doesNotMatch(r.stderr, /\n\s+at /, "no stack trace");
      assert.doesNotMatch(r.stderr + r.stdout, /tooshort-but-secret/);
      assert.equal(r.stdout, "");
    });
  }
  for (const [name, args, expected] of [
    ["restore: EKS has no etcd of ours", ["--stack", "prod-us-east-1", "--snapshot", "x.etcd-bundle", "--key-file", goodKey, "--ssh-key", sshKey], /EKS runs etcd for you/],
    ["restore: a bundle is required", ["--stack", "metal-ber1"], /required option '--snapshot <bundle>' not specified/],
    ["restore: a file that is not a bundle", ["--stack", "metal-ber1", "--snapshot", sshKey, "--key-file", goodKey, "--ssh-key", sshKey, "--confirm", "metal-ber1"], /^\(command line\): --snapshot: .*id is not a clusterkit etcd bundle/m],
    ["restore: an s3:// bundle names its object", ["--stack", "metal-ber1", "--snapshot", "s3://backups/etcd/", "--key-file", goodKey, "--ssh-key", sshKey], /--snapshot: expected s3:\/\/BUCKET\/\[PREFIX\/\]NAME\.etcd-bundle/],
    ["restore: S3 settings only with an s3:// bundle", ["--stack", "metal-ber1", "--snapshot", "x.etcd-bundle", "--s3-region", "eu-central-1"], /--s3-region: an S3 setting is only for an s3:\/\/ --snapshot/],
    ["restore: a bundle that is not there", ["--stack", "metal-ber1", "--snapshot", path.join(dir, "gone.etcd-bundle"), "--key-file", goodKey, "--ssh-key", sshKey], /--snapshot: cannot read .*gone\.etcd-bundle: ENOENT/],
  ] as [string, string[], RegExp][]) {
    it(name, () => {
      const r = clusterkit(["etcd", "restore", ...args]);
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, expected);
      assert.doesNotMatch(r.stderr, /\n\s+at /, "no stack trace");
    });
  }

  it("is listed in --help with its options", () => {
    const r = clusterkit(["etcd", "snapshot", "--help"]);
    assert.equal(r.code, 0);
    for (const o of ["--stack", "--to", "--host-key", "--s3-endpoint", "--s3-region", "--sse", "--sse-kms-key-id", "--keep", "--ssh-key", "--key-file", "--json"]) assert.ok(r.stdout.includes(o), o);
  });
});
