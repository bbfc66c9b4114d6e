/**
 * `clusterkit etcd restore`: a kubeadm cluster's etcd put back to a bundle, on the stack's control
 * planes. Everything that can be checked is checked before anything changes (the bundle, the key,
 * the cluster it belongs to, every control plane reachable with its etcd manifest, name, peer URL,
 * etcd minor and a restore tool; a control plane that never joined is a new machine, left out of
 * the restored cluster to join it on the next `pulumi up`). Then, printing each step: the snapshot onto every control plane,
 * every API server stopped, then every etcd; each member restored from the same file into a new
 * data dir, as a member of a new cluster whose members come from the stack; etcd started and
 * checked healthy; the API servers started; the controller-manager, scheduler and kubelets
 * restarted. Each step is skipped where the host shows it done, so a cut-off run is run again.
 * When every control plane of the stack is a new machine (all of the cluster's were lost), the
 * first is seeded for the next pulumi up's kubeadm init instead (seedNewMachines).
 */
import { PassThrough } from "node:stream";
import { keyIdOf, type BundleHeader } from "../../core/backup/bundle";
import { openBundleFile, payloadCiphertext, verifyPayload, type OpenedBundle, type OpenProblem } from "../../core/backup/payload";
import { ClusterkitError } from "../../core/errors";
import type { ClusterSpec } from "../../core/spec";
import { etcdctl, hostOf, listMembers } from "../../providers/kubeadm/cluster/etcd";
import { inspectScript, restartComponentsScript, restoreId, restoreScript, restoreSeedPath, seedScript, seedUploadScript, startScript, stopScript, uploadScript, waitRunningScript, type Member } from "../../providers/kubeadm/cluster/etcd-restore";
import { closeConnections } from "../../providers/kubeadm/context";
import { registerSecret, type RemoteHost } from "../../providers/ssh";
import { nodeHosts } from "./snapshot";
import type { VmAccess } from "./vsphere-access";

const step = "etcd-restore";
const flag = (message: string, hint?: string) => new ClusterkitError([{ file: "(command line)", path: "--snapshot", message, hint }]);

function openProblem(p: OpenProblem, file: string, stackKeyId: string): ClusterkitError {
  switch (p.kind) {
    case "not-a-bundle":
      return flag(`${file} is not a clusterkit etcd bundle`, "give a file written by clusterkit etcd snapshot (*.etcd-bundle)");
    case "bad-header":
      return flag(`${file} has a header clusterkit cannot read: ${p.detail}`);
    case "wrong-key":
      return flag(`${file} was sealed with another backup key (key id ${p.keyId}); the stack's key has id ${stackKeyId}`, "pass the key it was taken with: --key-file FILE");
    case "damaged":
      return flag(`${file} is damaged or cut short: its MAC does not match`, "use another copy of the bundle");
    case "unreadable":
      return flag(`cannot read ${file}: ${p.detail}`);
  }
}

interface Facts {
  manifest: string | null;
  image: string;
  name: string;
  peer: string;
  tool: string | null;
  joined: boolean;
  /** The restore that seeded this new machine for kubeadm init, if one did. */
  seeded: string | null;
  done: Set<string>;
  other: string[];
}

function parseFacts(out: string): Facts {
  const lines = out.split("\n").map((l) => l.trim()).filter(Boolean);
  const one = (k: string) => lines.find((l) => l.startsWith(`${k} `))?.slice(k.length + 1) ?? null;
  const all = (k: string) => lines.filter((l) => l.startsWith(`${k} `)).map((l) => l.slice(k.length + 1));
  return { manifest: one("manifest"), image: one("image") ?? "", name: one("name") ?? "", peer: one("peer") ?? "", tool: one("tool"), joined: one("joined") === "yes", seeded: one("seeded"), done: new Set(all("done")), other: all("other") };
}

const minorOf = (v: string) => /^v?(\d+\.\d+)/.exec(v)?.[1] ?? v;

export interface RestoreResult {
  clusterId: string;
  revision: string;
  members: Member[];
  keptOldData: string;
  /** Every control plane new: the one seeded for the next pulumi up's kubeadm init (no etcd runs yet); null otherwise. */
  seeded: string | null;
}

export async function restoreBundle(opts: { spec: ClusterSpec; vms: Map<string, VmAccess> | null; sshKey: string; backupKey: string; bundleFile: string; confirm: string | undefined; progress: (line: string) => void }): Promise<RestoreResult> {
  const { spec, progress } = opts;
  registerSecret(opts.backupKey);
  const opened = await openBundleFile(opts.bundleFile, opts.backupKey);
  if ("kind" in opened) {
    throw openProblem(opened, opts.bundleFile, keyIdOf(opts.backupKey));
  }
  const h: BundleHeader = opened.header;
  if (h.cluster !== spec.name) throw flag(`the bundle is of cluster ${h.cluster}, the stack's cluster is ${spec.name}`, "restore a bundle of this cluster; a bundle moves to a new cluster only through a stack of the same name");
  const passphrase = opened.seal.passphrase(h.id);
  registerSecret(passphrase);
  const checked = await verifyPayload(opts.bundleFile, opened, passphrase);
  if (checked.kind === "undecryptable") throw flag(`the bundle does not decrypt: ${checked.detail}`);
  if (checked.kind === "snapshot-mismatch") throw flag("the bundle's snapshot does not match its header's hash", "use another copy of the bundle");
  if (checked.kind === "header-mismatch") throw flag("the bundle's sealed copy of its header differs from the header", "use another copy of the bundle");
  if (opts.confirm !== spec.name) {
    throw new ClusterkitError([
      {
        file: "(command line)",
        path: "--confirm",
        message: `a restore puts every Kubernetes object of ${spec.name} back as it was at ${h.takenAt} (revision ${h.snapshot.revision}); what changed since is lost`,
        expected: JSON.stringify(spec.name),
        found: opts.confirm === undefined ? "(none)" : JSON.stringify(opts.confirm),
        hint: `to go ahead: --confirm ${spec.name}`,
      },
    ]);
  }

  const rid = restoreId(h.id);
  const cps = nodeHosts(spec, opts.sshKey, "control-plane", opts.vms);
  try {
    progress(`etcd restore of ${spec.name} from ${opts.bundleFile} (taken ${h.takenAt} on ${h.node}, etcd ${h.etcdVersion}, revision ${h.snapshot.revision}); restore id ${rid}`);
    progress("  preflight: every control plane reachable, with its etcd manifest, name, peer URL, etcd minor and a restore tool (or a new machine, left to join)");
    const facts = new Map<string, Facts>();
    const problems: string[] = [];
    await Promise.all(
      cps.map(async (cp) => {
        try {
          facts.set(cp.name, parseFacts(await cp.read(inspectScript(rid), `${step}/preflight`, 60_000)));
        } catch (e) {
          problems.push(`${cp.name}: ${(e as Error).message.split("\n")[0]}`);
        }
      }),
    );
    // Every control plane of the stack a new machine: nothing to restore in place. The first is
    // seeded instead, and the next pulumi up initialises the cluster on it (kubeadm init over the
    // restored data and CAs); the others join it.
    const isNew = (f: Facts | undefined) => !!f && !f.manifest && !f.joined;
    if (!problems.length && cps.every((cp) => isNew(facts.get(cp.name)))) {
      return await seedNewMachines({ spec, cps, facts, h, rid, passphrase, bundleFile: opts.bundleFile, opened, progress });
    }
    const members: Member[] = [];
    const fresh: RemoteHost[] = [];
    for (const cp of cps) {
      const f = facts.get(cp.name);
      if (!f) continue;
      // A machine that never joined (or was reset) has nothing to restore: it joins the restored
      // cluster on the next pulumi up, as any new control plane does.
      if (!f.manifest && !f.joined && !f.done.size) {
        fresh.push(cp);
        continue;
      }
      // A manifest set aside by another bundle's unfinished restore is reported with it below: no reset advice then.
      if (!f.manifest && !f.other.length) problems.push(`${cp.name}: joined the cluster (it has /etc/kubernetes/kubelet.conf) but has no etcd static pod manifest: reset it (kubeadm reset -f) so it joins the restored cluster as a new control plane, or put its manifest back`);
      else {
        if (f.name !== cp.name) problems.push(`${cp.name}: its etcd manifest names the member ${JSON.stringify(f.name)}, not the node's name`);
        if (hostOf(f.peer) !== cp.address) problems.push(`${cp.name}: its etcd manifest advertises ${f.peer}, not the stack's address ${cp.address}`);
        if (minorOf(f.image) !== minorOf(h.etcdVersion)) problems.push(`${cp.name}: runs etcd ${f.image || "(unknown)"}, the bundle is from etcd ${h.etcdVersion}: restore with the same etcd minor`);
      }
      if (!f.tool) problems.push(`${cp.name}: no etcdutl, and no etcdctl with 'snapshot restore' (etcd ≤ 3.5): install etcdutl of etcd ${minorOf(h.etcdVersion)} on the control planes`);
      for (const o of f.other) problems.push(`${cp.name}: an unfinished restore ${o} (another bundle) is in /var/lib/clusterkit/etcd-restore/${o}: finish it with its bundle, or remove that folder`);
      members.push({ name: cp.name, peerUrl: f.peer || `https://${cp.address}:2380` });
    }
    if (problems.length) {
      throw ClusterkitError.failure("(cluster)", "etcd", `the restore was refused before any change:\n  ${problems.join("\n  ")}`, "nothing was changed on any host");
    }
    notes(h, members, progress);
    for (const m of members) if (!h.members.some((x) => x.name === m.name)) progress(`  note: ${m.name} was not a member when the snapshot was taken: it is one in the restored cluster`);
    for (const cp of fresh) progress(`  note: ${cp.name} has not joined the cluster (no etcd manifest, no kubelet.conf: a new machine): the restored cluster leaves it out, and it joins on the next pulumi up`);
    const restoreOn = cps.filter((cp) => !fresh.includes(cp));
    const done = (cp: RemoteHost, marker: string) => facts.get(cp.name)!.done.has(marker);
    if (restoreOn.every((cp) => done(cp, "finish"))) {
      progress(`  this bundle was restored already (restore ${rid} finished on every control plane): nothing to do. To restore it once more, remove /var/lib/clusterkit/etcd-restore/${rid} on the control planes first.`);
      const { clusterId, revision } = await waitHealthy(restoreOn, members, 30_000);
      return { clusterId, revision, members, keptOldData: `/var/lib/etcd.before-restore-${rid}`, seeded: null };
    }
    const each = (what: string, fn: (cp: RemoteHost) => Promise<unknown>) =>
      Promise.all(
        restoreOn.map(async (cp) => {
          await fn(cp);
          progress(`        ${cp.name}: ${what}`);
        }),
      );

    progress(`  [1/7] the snapshot onto ${restoreOn.map((c) => c.name).join(", ")} (decrypted there, checked against the bundle's hash)`);
    await each("snapshot in place", async (cp) => {
      if (done(cp, "upload")) return;
      const stdin = new PassThrough();
      stdin.write(`${passphrase}\n`);
      payloadCiphertext(opts.bundleFile, opened).pipe(stdin);
      await cp.run(uploadScript(rid, h.snapshot.sha256), { step: `${step}/upload`, mutating: true, stdin, timeoutMs: 60 * 60_000, secrets: [passphrase] });
    });
    progress("  [2/7] stopping every API server (manifest out of the kubelet's folder, then waiting for the kubelet)");
    await each("kube-apiserver stopped", (cp) => cp.run(stopScript(rid, "kube-apiserver"), { step: `${step}/stop-apiserver`, mutating: true, timeoutMs: 240_000 }));
    progress("  [3/7] stopping every etcd");
    await each("etcd stopped", (cp) => cp.run(stopScript(rid, "etcd"), { step: `${step}/stop-etcd`, mutating: true, timeoutMs: 240_000 }));
    progress(`  [4/7] restoring every member from the same snapshot: members ${members.map((m) => `${m.name}=${m.peerUrl}`).join(",")}, new cluster token clusterkit-restore-${rid}`);
    for (const cp of restoreOn) {
      await cp.run(restoreScript(rid, members.find((m) => m.name === cp.name)!, members), { step: `${step}/restore`, mutating: true, timeoutMs: 30 * 60_000 });
      progress(`        ${cp.name}: restored; its old data kept in /var/lib/etcd.before-restore-${rid}`);
    }
    progress("  [5/7] starting etcd on every control plane, then waiting until every member is healthy");
    await each("etcd manifest back", (cp) => cp.run(startScript(rid, "etcd"), { step: `${step}/start-etcd`, mutating: true }));
    await each("etcd running", (cp) => cp.run(waitRunningScript("etcd"), { step: `${step}/start-etcd`, mutating: false, timeoutMs: 240_000 }));
    const { clusterId, revision } = await waitHealthy(restoreOn, members);
    progress(`        etcd cluster ${clusterId}: ${members.length} member(s) healthy, revision ${revision}`);
    progress("  [6/7] starting every API server");
    await each("kube-apiserver manifest back", (cp) => cp.run(startScript(rid, "kube-apiserver"), { step: `${step}/start-apiserver`, mutating: true }));
    await each("kube-apiserver running", (cp) => cp.run(waitRunningScript("kube-apiserver"), { step: `${step}/start-apiserver`, mutating: false, timeoutMs: 240_000 }));
    progress("  [7/7] restarting the controller-managers, schedulers and every kubelet");
    await each("controller-manager, scheduler and kubelet restarted", (cp) => cp.run(restartComponentsScript(rid, true), { step: `${step}/restart`, mutating: true, timeoutMs: 120_000 }));
    await restartWorkers(nodeHosts(spec, opts.sshKey, "worker", opts.vms), rid, progress);
    progress(`Restored. The old etcd data stays on each control plane in /var/lib/etcd.before-restore-${rid}: remove it once the cluster is checked.`);
    return { clusterId, revision, members, keptOldData: `/var/lib/etcd.before-restore-${rid}`, seeded: null };
  } finally {
    closeConnections();
  }
}

const notes = (h: BundleHeader, members: Member[], progress: (l: string) => void) => {
  for (const m of h.members) {
    const now = members.find((x) => x.name === m.name);
    if (!now) progress(`  note: ${m.name} was a member when the snapshot was taken and is not in the stack now: the restored cluster leaves it out`);
    else if (!m.peerUrls.includes(now.peerUrl)) progress(`  note: ${m.name} was at ${m.peerUrls.join(",")} in the snapshot, now at ${now.peerUrl}: restored with the stack's address`);
  }
};

/**
 * Every control plane new (all of the cluster's machines were lost): the first one listed, the one
 * the next pulumi up runs kubeadm init on, gets the bundle's CAs, service-account keys and
 * encryption configuration and etcd restored as a one-member cluster; kubeadm init then keeps
 * them (it uses CAs it finds, and is told to accept the data dir). Nothing runs yet, so nothing
 * needs stopping.
 */
async function seedNewMachines(o: {
  spec: ClusterSpec;
  cps: RemoteHost[];
  facts: Map<string, Facts>;
  h: BundleHeader;
  rid: string;
  passphrase: string;
  bundleFile: string;
  opened: OpenedBundle;
  progress: (l: string) => void;
}): Promise<RestoreResult> {
  const { h, rid, progress } = o;
  const seed = o.cps[0];
  const f = o.facts.get(seed.name)!;
  // The peer URL as kubeadm writes it into this cluster's etcd manifests: the snapshot's members show the scheme and port.
  const sample = h.members.flatMap((m) => m.peerUrls)[0];
  const at = seed.address.includes(":") ? `[${seed.address}]` : seed.address;
  const me: Member = { name: seed.name, peerUrl: sample ? `${new URL(sample).protocol}//${at}:${new URL(sample).port || "2380"}` : `https://${at}:2380` };
  const problems: string[] = [];
  if (minorOf(h.kubernetesVersion) !== o.spec.kubernetes.minor) problems.push(`the bundle was taken at Kubernetes ${h.kubernetesVersion}, the stack runs ${o.spec.kubernetes.version}: kubeadm init brings the etcd of its own minor, so set kubernetesVersion to ${minorOf(h.kubernetesVersion)} for the restore and upgrade after`);
  if (!f.tool) problems.push(`${seed.name}: no etcdutl, and no etcdctl with 'snapshot restore' (etcd ≤ 3.5): install etcdutl of etcd ${minorOf(h.etcdVersion)} on it`);
  if (f.seeded && f.seeded !== rid) problems.push(`${seed.name}: seeded already by restore ${f.seeded} (another bundle): reset it (kubeadm reset -f, or remove ${restoreSeedPath} and /var/lib/etcd) to seed it from this one`);
  for (const x of f.other) problems.push(`${seed.name}: an unfinished restore ${x} (another bundle) is in /var/lib/clusterkit/etcd-restore/${x}: finish it with its bundle, or remove that folder`);
  if (problems.length) throw ClusterkitError.failure("(cluster)", "etcd", `the restore was refused before any change:\n  ${problems.join("\n  ")}`, "nothing was changed on any host");
  progress(`  every control plane of the stack is a new machine (none has joined the cluster): ${seed.name}, listed first, is seeded, and the next pulumi up runs kubeadm init there over the restored data; ${o.cps.length > 1 ? `${o.cps.slice(1).map((c) => c.name).join(", ")} join it then` : "no other control plane to join"}`);
  notes(h, [me], progress);
  if (f.seeded === rid && f.done.has("finish")) {
    progress(`  ${seed.name} is seeded from this bundle already (restore ${rid}): nothing to do`);
  } else {
    progress(`  [1/2] the snapshot and the CAs, service-account keys and encryption configuration onto ${seed.name} (decrypted there, checked against the bundle's hash)`);
    const stdin = new PassThrough();
    stdin.write(`${o.passphrase}\n`);
    payloadCiphertext(o.bundleFile, o.opened).pipe(stdin);
    await seed.run(seedUploadScript(rid, h.snapshot.sha256, h.files), { step: `${step}/seed-upload`, mutating: true, stdin, timeoutMs: 60 * 60_000, secrets: [o.passphrase] });
    progress(`  [2/2] etcd restored on ${seed.name} as the one member ${me.name}=${me.peerUrl} of a new cluster (token clusterkit-restore-${rid}), the files in place, the seed recorded in ${restoreSeedPath}`);
    await seed.run(seedScript(rid, me, h.files), { step: `${step}/seed`, mutating: true, timeoutMs: 30 * 60_000 });
  }
  progress(`Seeded. Now run pulumi up --stack ${o.spec.stack}: kubeadm init on ${seed.name} keeps the restored data and CAs, the other control planes join, and the dead ones are removed from the stack's state.`);
  return { clusterId: "", revision: String(h.snapshot.revision), members: [me], keptOldData: "", seeded: seed.name };
}

/** Every member started, voting, healthy, in one cluster: the stack's members exactly. */
async function waitHealthy(cps: RemoteHost[], members: Member[], timeoutMs = 180_000): Promise<{ clusterId: string; revision: string }> {
  const deadline = Date.now() + timeoutMs;
  let last = "";
  for (;;) {
    try {
      const listed = await listMembers(cps[0], `${step}/health`);
      const names = listed.filter((m) => m.started && !m.learner).map((m) => m.name).sort();
      const want = members.map((m) => m.name).sort();
      if (JSON.stringify(names) !== JSON.stringify(want)) last = `members ${names.join(",") || "(none)"}, expected ${want.join(",")}`;
      else {
        const status = await Promise.all(cps.map((cp) => cp.read(etcdctl("endpoint status -w json"), `${step}/health`, 30_000)));
        const ids = status.map((s) => /"cluster_id":(\d+)/.exec(s)?.[1] ?? "?");
        const rev = /"revision":(\d+)/.exec(status[0])?.[1] ?? "?";
        if (new Set(ids).size === 1 && ids[0] !== "?") return { clusterId: BigInt(ids[0]).toString(16), revision: rev };
        last = `cluster ids ${ids.join(",")}`;
      }
    } catch (e) {
      last = (e as Error).message.split("\n")[0];
    }
    if (Date.now() > deadline) throw ClusterkitError.failure("(cluster)", "etcd", `etcd did not come back healthy after the restore: ${last}`, "run the same restore again: it resumes from here");
    await new Promise((r) => setTimeout(r, 1000));
  }
}

/** Workers' kubelets reconnect on their own in time; a worker out of reach is said, not fatal. */
async function restartWorkers(workers: RemoteHost[], rid: string, progress: (l: string) => void): Promise<void> {
  await Promise.all(
    workers.map(async (w) => {
      try {
        await w.run(restartComponentsScript(rid, false), { step: `${step}/restart`, mutating: true, timeoutMs: 120_000 });
        progress(`        ${w.name}: kubelet restarted`);
      } catch (e) {
        progress(`        ${w.name}: WARNING: kubelet not restarted (${(e as Error).message.split("\n")[0]}); restart it there: systemctl restart kubelet`);
      }
    }),
  );
}
