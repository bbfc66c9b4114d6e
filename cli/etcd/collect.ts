/**
 * `clusterkit etcd snapshot --collect`: copies the bundles the control planes sealed on their
 * schedule (backup.etcd.schedule) to the backup target. The nodes hold no credentials of the
 * target; clusterkit pulls. Each bundle is fetched to a private temporary file and checked whole
 * with the stack's key (MAC, payload, the snapshot's hash, the sealed copy of the header) before
 * it is stored, so a damaged copy on one node never reaches the target and never stops the others.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { pipeline } from "node:stream/promises";
import { openBundleFile, verifyPayload } from "../../core/backup/payload";
import type { ClusterSpec } from "../../core/spec";
import { failureSinceNewest, listNodeBundlesScript, parseNodeBundles, schedulePaths } from "../../providers/kubeadm/cluster/etcd-schedule";
import { closeConnections } from "../../providers/kubeadm/context";
import { registerSecret, shellQuote } from "../../providers/ssh";
import { nodeHosts, storeFor } from "./snapshot";
import { enforceRetention, type Target } from "./targets";
import type { VmAccess } from "./vsphere-access";

export interface CollectResult {
  target: string;
  collected: { node: string; bundle: string; bytes: number; takenAt: string }[];
  /** Already at the target (collected before, or by another control plane's copy). */
  present: string[];
  failed: { node: string; bundle: string | null; reason: string }[];
  removedByRetention: string[];
}

const step = "etcd-collect";

/** Why a fetched bundle may not be stored, or null. */
async function check(file: string, backupKey: string, cluster: string): Promise<string | null> {
  const opened = await openBundleFile(file, backupKey);
  if ("kind" in opened) return opened.kind === "wrong-key" ? `sealed with another key (key id ${opened.keyId})` : `not a whole bundle (${opened.kind})`;
  if (opened.header.cluster !== cluster) return `a bundle of cluster ${opened.header.cluster}`;
  const checked = await verifyPayload(file, opened, opened.seal.passphrase(opened.header.id));
  if (checked.kind === "undecryptable") return `its payload does not decrypt: ${checked.detail}`;
  if (checked.kind === "snapshot-mismatch") return "its snapshot does not match its header's hash";
  if (checked.kind === "header-mismatch") return "its sealed copy of the header differs";
  return null;
}

export async function collectSnapshots(opts: { spec: ClusterSpec; vms: Map<string, VmAccess> | null; sshKey: string; backupKey: string; target: Target; keep: number; progress: (line: string) => void }): Promise<CollectResult> {
  const { spec, progress } = opts;
  registerSecret(opts.backupKey);
  const store = storeFor(opts.target, opts.sshKey);
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "clusterkit-collect-"));
  const out: CollectResult = { target: store.label, collected: [], present: [], failed: [], removedByRetention: [] };
  try {
    progress(`collecting the scheduled etcd snapshots of ${spec.name} (stack ${spec.stack}) to ${store.label}`);
    await store.prepare();
    const stored = new Set(await store.list());
    for (const cp of nodeHosts(spec, opts.sshKey, "control-plane", opts.vms)) {
      let listed;
      try {
        listed = parseNodeBundles(await cp.read(listNodeBundlesScript(), `${step}/list`), spec.name);
      } catch (e) {
        out.failed.push({ node: cp.name, bundle: null, reason: (e as Error).message.split("\n")[0] });
        progress(`  ${cp.name}: ${out.failed[out.failed.length - 1].reason}`);
        continue;
      }
      const failure = failureSinceNewest(listed);
      progress(`  ${cp.name}: ${listed.bundles.length} bundle(s) on the node${failure ? `; its last run failed at ${failure.at}: ${failure.what}` : ""}`);
      for (const b of listed.bundles) {
        if (stored.has(b.name)) {
          out.present.push(b.name);
          continue;
        }
        const local = path.join(scratch, b.name);
        try {
          const file = fs.createWriteStream(local, { mode: 0o600 });
          await cp.run(`cat ${shellQuote(`${schedulePaths.bundles}/${b.name}`)}`, { step: `${step}/fetch`, mutating: true, stdoutTo: file, timeoutMs: 60 * 60_000 });
          await new Promise<void>((resolve, reject) => {
            file.once("error", reject);
            file.end(resolve);
          });
          const problem = await check(local, opts.backupKey, spec.name);
          if (problem) {
            out.failed.push({ node: cp.name, bundle: b.name, reason: problem });
            progress(`    ${b.name}: not stored: ${problem}`);
            continue;
          }
          const upload = store.upload(b.name);
          try {
            await pipeline(fs.createReadStream(local), upload.stream);
            await upload.done;
            await upload.commit();
          } catch (e) {
            await upload.abort();
            throw e;
          }
          stored.add(b.name);
          out.collected.push({ node: cp.name, bundle: b.name, bytes: b.bytes, takenAt: b.takenAt });
          progress(`    ${b.name}: ${b.bytes} bytes, taken ${b.takenAt}: checked and stored`);
        } catch (e) {
          out.failed.push({ node: cp.name, bundle: b.name, reason: (e as Error).message.split("\n")[0] });
          progress(`    ${b.name}: ${out.failed[out.failed.length - 1].reason}`);
        } finally {
          fs.rmSync(local, { force: true });
        }
      }
    }
    progress(`  retention: keeping the newest ${opts.keep} bundle(s) of ${spec.name} at ${store.label}`);
    out.removedByRetention = await enforceRetention(store, spec.name, opts.keep);
    for (const r of out.removedByRetention) progress(`    removed ${r}`);
    return out;
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
    closeConnections();
  }
}
