/**
 * `clusterkit etcd snapshot`: one encrypted, verified bundle of a kubeadm cluster's etcd, copied off
 * the cluster. The snapshot is taken on the first control plane (in the stack's order) whose etcd
 * answers, checked there with etcdutl, encrypted there, and read back by clusterkit as it streams
 * to the target: the bundle is only renamed into place once it decrypts with the stack's key and
 * holds the snapshot whose hash the control plane printed.
 */
import { randomBytes } from "node:crypto";
import { PassThrough, Transform } from "node:stream";
import { bundleFileName, bundleMac, cipher, headerBytes, keyIdOf, payloadPassphrase, type BundleHeader } from "../../core/backup/bundle";
import { decrypting, inspectPayload, payloadProblem } from "../../core/backup/payload";
import { ClusterkitError } from "../../core/errors";
import type { ClusterSpec, NodeSpec } from "../../core/spec";
import { etcdctl } from "../../providers/kubeadm/cluster/etcd";
import { parseTaken, removeWorkDir, streamPayload, takeScript } from "../../providers/kubeadm/cluster/etcd-bundle";
import { closeConnections, remoteHost, sharedPool } from "../../providers/kubeadm/context";
import { accessOf, type Connection } from "../../providers/kubeadm/types";
import { registerSecret, type RemoteHost } from "../../providers/ssh";
import { s3Store } from "./s3-store";
import { enforceRetention, localStore, sshStore, type Target, type TargetStore } from "./targets";
import type { VmAccess } from "./vsphere-access";

export interface SnapshotResult {
  file: string;
  target: string;
  header: BundleHeader;
  removedByRetention: string[];
}

const step = "etcd-snapshot";

/** Refuses a stack without an etcd of its own: EKS runs its own. */
export function assertOwnEtcd(spec: ClusterSpec, stackFile: string): void {
  if (spec.platform.kind === "eks") {
    throw new ClusterkitError([{ file: stackFile, path: "config.clusterkit:blueprint", message: "EKS runs etcd for you: there is no etcd to snapshot or restore", hint: "back up Kubernetes objects with a tool such as Velero; AWS keeps the control plane's own data" }]);
  }
}

/**
 * The stack's nodes of one role as SSH hosts. Bare-metal nodes' addresses and host keys are in the
 * stack file; a vSphere VM's come from the stack's state (`vms`, see ./vsphere-access.ts), and
 * nothing is trusted on first use there.
 */
export function nodeHosts(spec: ClusterSpec, privateKey: string, role: NodeSpec["role"], vms: Map<string, VmAccess> | null): RemoteHost[] {
  const p = spec.platform;
  const nodes = spec.nodes.filter((n) => n.role === role);
  if (p.kind === "baremetal") {
    const conn: Connection = { trustOnFirstUse: p.trustOnFirstUse, bastion: p.bastion, concurrency: p.concurrency };
    // Bare-metal nodes always have an address: the inventory gives it.
    return nodes.map((n) => remoteHost(accessOf({ ...n, address: n.address! }), privateKey, conn));
  }
  if (p.kind !== "vsphere" || !vms) throw new Error(`unreachable: no way to the nodes of a ${p.kind} stack`);
  const conn: Connection = { trustOnFirstUse: false, bastion: null, concurrency: p.concurrency };
  return nodes.map((n) => {
    const vm = vms.get(n.name)!;
    return remoteHost(accessOf({ name: n.name, address: vm.address, ssh: { ...n.ssh, hostKey: vm.hostKey } }), privateKey, conn);
  });
}

export const storeFor = (t: Target, sshKey: string): TargetStore => (t.kind === "local" ? localStore(t.dir) : t.kind === "ssh" ? sshStore(t, sharedPool(2), sshKey) : s3Store(t));

/** The first control plane whose local etcd member says it is healthy. */
async function healthyMember(cps: RemoteHost[], progress: (l: string) => void): Promise<RemoteHost> {
  const reasons: string[] = [];
  for (const cp of cps) {
    try {
      if (await cp.test(`{\n${etcdctl("endpoint health")}\n} >/dev/null 2>&1`, `${step}/health`, 30_000)) return cp;
      reasons.push(`${cp.name}: its etcd member is not healthy`);
    } catch (e) {
      reasons.push(`${cp.name}: ${(e as Error).message.split("\n")[0]}`);
    }
    progress(`  ${reasons[reasons.length - 1]}; trying the next control plane`);
  }
  throw ClusterkitError.failure("(cluster)", "etcd", `no control plane has a healthy etcd member to take the snapshot from:\n  ${reasons.join("\n  ")}`, "a cluster without any healthy etcd member is restored from an earlier bundle: see the disaster-recovery runbook in the README");
}

export async function takeSnapshot(opts: { spec: ClusterSpec; vms: Map<string, VmAccess> | null; sshKey: string; backupKey: string; target: Target; keep: number; progress: (line: string) => void; now?: Date }): Promise<SnapshotResult> {
  const { spec, progress } = opts;
  registerSecret(opts.backupKey);
  const cps = nodeHosts(spec, opts.sshKey, "control-plane", opts.vms);
  const store = storeFor(opts.target, opts.sshKey);
  try {
    progress(`etcd snapshot of ${spec.name} (stack ${spec.stack}) to ${store.label}`);
    await store.prepare();
    const cp = await healthyMember(cps, progress);
    progress(`  [1/4] snapshot on ${cp.name} (${cp.address}): etcdctl snapshot save, then etcdutl snapshot status`);
    let taken;
    try {
      taken = parseTaken((await cp.run(takeScript(), { step: `${step}/take`, mutating: true, timeoutMs: 30 * 60_000 })).stdout);
    } catch (e) {
      await removeWorkDir(cp, `${step}/cleanup`).catch(() => undefined);
      throw e;
    }
    progress(`        revision ${taken.snapshot.revision}, ${taken.snapshot.totalKeys} keys, ${taken.snapshot.bytes} bytes, etcd ${taken.etcdVersion}, ${taken.members.length} member(s); ${taken.files.length} CA/key/config files beside it`);
    const now = opts.now ?? new Date();
    const id = randomBytes(16).toString("hex");
    const header: BundleHeader = {
      id,
      keyId: keyIdOf(opts.backupKey),
      cluster: spec.name,
      stack: spec.stack,
      takenAt: now.toISOString(),
      node: cp.name,
      etcdVersion: taken.etcdVersion,
      kubernetesVersion: spec.kubernetes.version,
      members: taken.members.map((m) => ({ name: m.name, peerUrls: m.peerUrls })),
      snapshot: taken.snapshot,
      files: taken.files,
      cipher: { ...cipher },
    };
    const name = bundleFileName(spec.name, now, id);
    const passphrase = payloadPassphrase(opts.backupKey, id);
    progress(`  [2/4] encrypting on ${cp.name} and copying to ${store.label}/${name}`);
    const upload = store.upload(name);
    try {
      const mac = bundleMac(opts.backupKey, id);
      const head = headerBytes(header);
      mac.update(head);
      upload.stream.write(head);
      // The ciphertext goes to the target and, decrypted, to the check at once.
      const check = new PassThrough();
      const contents = inspectPayload(check.pipe(decrypting(passphrase)));
      contents.catch(() => undefined); // awaited below; a failure before then is not unhandled
      const tee = new Transform({
        transform(chunk: Buffer, _e, done) {
          mac.update(chunk);
          check.write(chunk);
          done(null, chunk);
        },
      });
      tee.pipe(upload.stream, { end: false });
      // A target that fails mid-way stops the stream rather than leaving it paused for good.
      const streamed = streamPayload(cp, JSON.stringify(header), passphrase, tee, `${step}/stream`);
      streamed.catch(() => undefined);
      await Promise.race([streamed, upload.done.then(() => streamed)]);
      tee.end();
      check.end();
      await new Promise<void>((resolve) => tee.once("end", resolve));
      upload.stream.end(mac.digest());
      await upload.done;
      progress(`  [3/4] checking what was written: it decrypts with the stack's backup key and holds that snapshot`);
      const c = await contents;
      const problem = payloadProblem(c, { sha256: taken.snapshot.sha256, headerJson: JSON.stringify(header) });
      const problems = [
        problem?.kind === "snapshot-mismatch" ? `snapshot.db hashes to ${problem.found ?? "(missing)"}, the control plane printed ${taken.snapshot.sha256}` : null,
        problem?.kind === "header-mismatch" ? "its sealed copy of the header differs" : null,
        ...taken.files.filter((f) => !c.entries.includes(f)).map((f) => `${f} is missing`),
      ].filter(Boolean);
      if (problems.length) throw ClusterkitError.failure("(bundle)", name, `the bundle written does not check out: ${problems.join("; ")}`, "nothing was kept; run the snapshot again");
      await upload.commit();
    } catch (e) {
      await upload.abort();
      throw e;
    } finally {
      await removeWorkDir(cp, `${step}/cleanup`).catch(() => undefined);
    }
    progress(`  [4/4] retention: keeping the newest ${opts.keep} bundle(s) of ${spec.name} at ${store.label}`);
    const removed = await enforceRetention(store, spec.name, opts.keep);
    for (const r of removed) progress(`        removed ${r}`);
    return { file: name, target: store.label, header, removedByRetention: removed };
  } finally {
    closeConnections();
  }
}
