/**
 * `clusterkit etcd snapshot --stack S --to TARGET`: an encrypted, verified etcd bundle of a kubeadm
 * stack, off the cluster (cli/etcd/snapshot.ts); `clusterkit etcd restore`: the cluster's etcd put
 * back to one (cli/etcd/restore.ts). Progress goes to stderr; stdout gets one line naming the
 * bundle or the restored cluster, or with snapshot --json the document in docs/json-output.md.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { bundleExtension, minKeyLength } from "../../core/backup/bundle";
import { ClusterkitError, ExitCode } from "../../core/errors";
import { findProjectRoot, loadStackAlone } from "../../core/load/project";
import { stackFileName } from "../../core/load/stack-file";
import { restoreBundle } from "../etcd/restore";
import { collectSnapshots } from "../etcd/collect";
import { assertOwnEtcd, takeSnapshot } from "../etcd/snapshot";
import { downloadBundle, type S3Target } from "../etcd/s3-store";
import { parseS3, parseTarget, type TargetFlags } from "../etcd/targets";
import { stackState, vsphereAccess } from "../etcd/vsphere-access";
import type { Io } from "../output";
import { stackSecret } from "../stack-secret";
import { stackNameArg } from "../stack-name";
import { sshKeyFor } from "./tunnel";

export interface SnapshotOptions extends TargetFlags {
  stack: string;
  state?: string;
  to: string;
  keep: string;
  sshKey?: string;
  keyFile?: string;
  json?: boolean;
  collect?: boolean;
}

export const snapshotApiVersion = "clusterkit.dev/etcd-snapshot/v1";
export const collectApiVersion = "clusterkit.dev/etcd-collect/v1";

/** The stack's backup key, at least minKeyLength characters (its value is never in a message). */
export function backupKeyFor(root: string, stack: string, file: string | undefined): string {
  const key = stackSecret(root, stack, { configKey: "clusterkit:backupKey", flag: "--key-file", example: "--key-file ./backup.key" }, file).trim();
  if (key.length < minKeyLength) {
    throw new ClusterkitError([
      {
        file: file ? "(command line)" : stackFileName(stack),
        path: file ? "--key-file" : "config.clusterkit:backupKey",
        message: "the backup key is too short",
        expected: `at least ${minKeyLength} characters`,
        found: `${key.length} characters`,
        hint: `openssl rand -base64 32 | pulumi config set --secret clusterkit:backupKey --stack ${stack}`,
      },
    ]);
  }
  return key;
}

/**
 * What both commands need, in the order a user's mistake is found: the stack, its platform, the
 * two keys, then (vSphere) the VMs' host keys and addresses from the stack's state.
 */
function etcdStack(opts: { stack: string; keyFile?: string; sshKey?: string; state?: string }, cwd: string) {
  const root = findProjectRoot(cwd);
  const stack = stackNameArg(opts.stack);
  const spec = loadStackAlone(root, stack).spec;
  const stackFile = stackFileName(stack);
  assertOwnEtcd(spec, stackFile);
  if (opts.state !== undefined && spec.platform.kind !== "vsphere") {
    throw new ClusterkitError([{ file: "(command line)", path: "--state", message: "a state export is only read for a vSphere stack (a bare-metal stack file names every host key)", found: JSON.stringify(opts.state) }]);
  }
  const backupKey = backupKeyFor(root, stack, opts.keyFile);
  const sshKey = sshKeyFor(root, stack, opts.sshKey);
  const vms = spec.platform.kind === "vsphere" ? vsphereAccess(stackState(root, stack, opts.state, cwd), spec) : null;
  return { stack, spec, backupKey, sshKey, vms };
}

export async function runSnapshot(io: Io, opts: SnapshotOptions, cwd = process.cwd()): Promise<number> {
  const keep = Number(opts.keep);
  if (!Number.isInteger(keep) || keep < 1) throw new ClusterkitError([{ file: "(command line)", path: "--keep", message: "expected a whole number of bundles to keep, at least 1", found: JSON.stringify(opts.keep) }]);
  const target = parseTarget(opts.to, opts, cwd);
  const { stack, spec, backupKey, sshKey, vms } = etcdStack(opts, cwd);
  if (opts.collect) {
    if (spec.backup.etcd.schedule.kind === "none") io.err(`note: ${spec.name} has no backup.etcd.schedule; collecting whatever bundles an earlier schedule left on the control planes`);
    const c = await collectSnapshots({ spec, vms, sshKey, backupKey, target, keep, progress: (l) => io.err(l) });
    if (opts.json) io.out(JSON.stringify({ apiVersion: collectApiVersion, stack, ...c }, null, 2));
    else for (const b of c.collected) io.out(`${c.target}/${b.bundle}`);
    // A bundle that could not be fetched or checked is a failed run: CI must see it.
    return c.failed.length ? ExitCode.failure : ExitCode.ok;
  }
  const r = await takeSnapshot({ spec, vms, sshKey, backupKey, target, keep, progress: (l) => io.err(l) });
  if (opts.json) {
    const { id, keyId, cluster, takenAt, node, etcdVersion, kubernetesVersion, members, snapshot, files } = r.header;
    io.out(JSON.stringify({ apiVersion: snapshotApiVersion, stack, target: r.target, bundle: r.file, id, keyId, cluster, takenAt, node, etcdVersion, kubernetesVersion, members, snapshot, files, removedByRetention: r.removedByRetention }, null, 2));
  } else io.out(`${r.target}/${r.file}`);
  return ExitCode.ok;
}

export interface RestoreOptions {
  stack: string;
  state?: string;
  snapshot: string;
  confirm?: string;
  sshKey?: string;
  keyFile?: string;
  s3Endpoint?: string;
  s3Region?: string;
}

export async function runRestore(io: Io, opts: RestoreOptions, cwd = process.cwd()): Promise<number> {
  const remote = opts.snapshot.startsWith("s3://") ? s3Location(opts) : null;
  if (!remote && (opts.s3Endpoint !== undefined || opts.s3Region !== undefined)) {
    throw new ClusterkitError([{ file: "(command line)", path: opts.s3Endpoint !== undefined ? "--s3-endpoint" : "--s3-region", message: "an S3 setting is only for an s3:// --snapshot", found: JSON.stringify(opts.snapshot) }]);
  }
  const { spec, backupKey, sshKey, vms } = etcdStack(opts, cwd);
  let scratch: string | null = null;
  try {
    let bundleFile = path.resolve(cwd, opts.snapshot);
    if (remote) {
      // The bundle is checked whole (its MAC) before anything else, so it is fetched first.
      scratch = fs.mkdtempSync(path.join(os.tmpdir(), "clusterkit-restore-"));
      bundleFile = path.join(scratch, remote.name);
      io.err(`fetching ${opts.snapshot} to ${bundleFile}`);
      await downloadBundle(remote.target, remote.name, bundleFile);
    }
    const r = await restoreBundle({ spec, vms, sshKey, backupKey, bundleFile, confirm: opts.confirm, progress: (l) => io.err(l) });
    if (r.seeded) io.out(`etcd of ${spec.name} seeded on ${r.seeded} from the bundle (revision ${r.revision}): run pulumi up --stack ${spec.stack} to bring the cluster up on it`);
    else io.out(`etcd cluster ${r.clusterId} restored: ${r.members.map((m) => m.name).join(", ")} at revision ${r.revision}`);
    return ExitCode.ok;
  } finally {
    if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
  }
}

/** `--snapshot s3://BUCKET/[PREFIX/]NAME`: the bundle's folder as a target, and its name. */
function s3Location(opts: RestoreOptions): { target: S3Target; name: string } {
  const i = opts.snapshot.lastIndexOf("/");
  const name = opts.snapshot.slice(i + 1);
  if (i < "s3://".length || !name.endsWith(bundleExtension)) {
    throw new ClusterkitError([{ file: "(command line)", path: "--snapshot", message: `expected s3://BUCKET/[PREFIX/]NAME${bundleExtension}`, found: JSON.stringify(opts.snapshot) }]);
  }
  return { target: parseS3(opts.snapshot.slice(0, i), { s3Endpoint: opts.s3Endpoint, s3Region: opts.s3Region }), name };
}
