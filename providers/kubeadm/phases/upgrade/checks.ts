/**
 * The upgrade preflight's rules over what it read from the cluster (pure, so each is tested with
 * plain values): the API servers' versions, the kubelets' skew, etcd's alarms, certificate expiry
 * and the room for kubeadm's backups. Each returns null when the upgrade may go on, else why not
 * and the safe way forward.
 */
import { versionStep } from "../../../../core/render/kubeadm/upgrade";
import type { Expiry } from "../../cluster/certs";
import type { EtcdMember } from "../../cluster/etcd";
import type { BackupSpace } from "../../cluster/upgrade";

export interface Refusal {
  message: string;
  hint: string;
}

const parts = (v: string) => v.replace(/^v/, "").split(/[.+-]/).slice(0, 3).map(Number);
/** <0, 0, >0 as a is older than, the same as, newer than b (major.minor.patch only). */
export function compareVersions(a: string, b: string): number {
  const [x, y] = [parts(a), parts(b)];
  for (let i = 0; i < 3; i++) if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) - (y[i] ?? 0);
  return 0;
}
const minorOf = (v: string) => parts(v)[1];

/**
 * The API servers must agree on their version before an upgrade starts. Once the upgrade was
 * applied (kubeadm recorded the target for the cluster), some are at the target and the rest at
 * the one version they came from: that is a run going on or resuming, and fine.
 */
export function apiServerVersionsProblem(servers: { name: string; version: string | null }[], clusterVersion: string, target: string): Refusal | null {
  const silent = servers.filter((s) => s.version === null);
  if (silent.length) {
    return {
      message: `the API server on ${silent.map((s) => s.name).join(", ")} does not answer /version, so the control planes' versions cannot be compared`,
      hint: "bring it back (`crictl ps -a --name kube-apiserver` and `crictl logs` on that host), then run pulumi up again",
    };
  }
  const list = servers.map((s) => `${s.name} ${s.version}`).join(", ");
  const others = [...new Set(servers.map((s) => s.version!).filter((v) => v !== target))];
  if (compareVersions(clusterVersion, target) === 0) {
    const from = others[0];
    const step = from === undefined ? null : versionStep(from, target);
    if (others.length <= 1 && (step === null || step.kind === "minor" || step.kind === "patch")) return null;
    return {
      message: `the API servers run ${list}: the cluster is being upgraded to ${target}, but ${others.join(" and ")} is not the one version the rest of this upgrade started from`,
      hint: `bring the control planes that are not at ${target} to one version by hand (\`kubeadm upgrade node\` with kubeadm at that version), then run pulumi up again to finish the upgrade`,
    };
  }
  if (new Set(servers.map((s) => s.version)).size <= 1) return null;
  return {
    message: `the API servers disagree on their version (${list}); an upgrade starts only from one version on every control plane`,
    hint: `find out why (a \`kubeadm upgrade\` run by hand on one control plane?) and bring every control plane to the same version first, e.g. \`kubeadm upgrade node\` on the ones behind with kubeadm at the cluster's version (${clusterVersion}); then run pulumi up again`,
  };
}

/**
 * The version-skew policy for kubelets (since 1.28): never newer than kube-apiserver, at most
 * three minors older. Once the API servers are at `target`, every kubelet this run does not move,
 * or has not moved yet, must still be inside it; nodes clusterkit does not manage count too.
 */
export function kubeletSkewProblem(nodes: { name: string; kubeletVersion: string | null }[], target: string): Refusal | null {
  const known = nodes.filter((n): n is { name: string; kubeletVersion: string } => !!n.kubeletVersion);
  const old = known.filter((n) => minorOf(n.kubeletVersion) < minorOf(target) - 3);
  const newer = known.filter((n) => compareVersions(n.kubeletVersion, target) > 0);
  const list = (ns: typeof known) => ns.map((n) => `${n.name} (${n.kubeletVersion})`).join(", ");
  if (newer.length) {
    return {
      message: `the kubelet of ${list(newer)} is newer than ${target}, and a kubelet must never be newer than the API servers (Kubernetes' version-skew policy)`,
      hint: `set kubernetesVersion to at least ${newer[0].kubeletVersion.replace(/^v/, "")}, or bring those kubelets back to the cluster's version, then run pulumi up again`,
    };
  }
  if (old.length) {
    return {
      message: `the kubelet of ${list(old)} would be more than 3 minors older than the API servers at ${target}; Kubernetes' version-skew policy allows a kubelet at most 3 minors behind`,
      hint: `upgrade those nodes' kubelets first (one minor at a time, to 1.${minorOf(target) - 3} or later), or remove the nodes from the cluster, then run pulumi up again`,
    };
  }
  return null;
}

/** Hex, as `member list -w simple` prints ids; `alarm list` prints them in decimal. */
const hexId = (decimal: string) => {
  try {
    return BigInt(decimal).toString(16);
  } catch {
    return decimal;
  }
};

/** Any raised alarm stops the upgrade: NOSPACE makes etcd refuse writes, CORRUPT means a member's data differs. */
export function etcdAlarmProblem(alarms: { memberId: string; alarm: string }[], members: EtcdMember[]): Refusal | null {
  if (!alarms.length) return null;
  const name = (id: string) => members.find((m) => m.id === hexId(id) || m.id === id)?.name || id;
  const kinds = new Set(alarms.map((a) => a.alarm));
  const hints = [];
  if (kinds.has("NOSPACE")) hints.push("NOSPACE: etcd is out of its space quota; compact and defragment it (`etcdctl compact`, `etcdctl defrag`), raise --quota-backend-bytes if it needs more, then `etcdctl alarm disarm`");
  if (kinds.has("CORRUPT")) hints.push("CORRUPT: a member's data differs from the others'; replace that control plane (remove it from the inventory and add a new host), then `etcdctl alarm disarm`");
  if (!hints.length) hints.push("clear its cause, then `etcdctl alarm disarm`");
  return {
    message: `etcd has raised alarm(s): ${alarms.map((a) => `${a.alarm} on member ${name(a.memberId)}`).join(", ")}; an upgrade restarts etcd and writes to it, so it starts only with no alarm`,
    hint: `${hints.join("; ")}; then run pulumi up again`,
  };
}

/**
 * "During the run" means within this margin from now: a run takes minutes to hours, and a
 * certificate that ends inside it breaks the nodes the run has not reached yet.
 */
export const certificateMarginMs = 24 * 3_600_000;

/**
 * kubeadm renews a control plane's certificates when it upgrades it (`--certificate-renewal`,
 * on by default), so this node's own certificates may expire soon. What it never renews is a CA,
 * and the other control planes' certificates last only until the run reaches them.
 */
export function certificateProblem(hosts: { name: string; self: boolean; expiries: Expiry[] }[], now: Date, marginMs = certificateMarginMs): Refusal | null {
  const until = now.getTime() + marginMs;
  const soon = (e: Expiry) => e.date.getTime() < until;
  const day = (d: Date) => d.toISOString().replace(/\.\d+Z$/, "Z");
  const ca = hosts.flatMap((h) => h.expiries.filter((e) => e.ca && soon(e)).map((e) => ({ host: h.name, e })));
  if (ca.length) {
    return {
      message: `CA ${ca.map((x) => `${x.e.name} on ${x.host} (expires ${day(x.e.date)})`).join(", ")} ends within the upgrade's margin of ${marginMs / 3_600_000} h; kubeadm renews the certificates a CA signs, never the CA itself, not in an upgrade either`,
      hint: "rotate that CA first (https://kubernetes.io/docs/tasks/tls/manual-rotation-of-ca-certificates/), then run pulumi up again",
    };
  }
  const leaf = hosts.filter((h) => !h.self).flatMap((h) => h.expiries.filter((e) => !e.ca && soon(e)).map((e) => ({ host: h.name, e })));
  if (leaf.length) {
    return {
      message: `certificate ${leaf.map((x) => `${x.e.name} on ${x.host} (expires ${day(x.e.date)})`).join(", ")} ends within the upgrade's margin of ${marginMs / 3_600_000} h, possibly before the upgrade reaches that control plane and renews it`,
      hint: "renew them first: run pulumi up without the version change (it renews certificates once fewer than certificates.renewBeforeDays are left), or `kubeadm certs renew all` on that host; then upgrade",
    };
  }
  return null;
}

/** Room kept free on top of the copies: a full disk stops etcd and the kubelet, not only the upgrade. */
export const backupMarginKiB = 512 * 1024;

export function backupSpaceProblem(s: BackupSpace, snapshot: boolean, marginKiB = backupMarginKiB): Refusal | null {
  const needs = new Map<string, { availKiB: number; kib: number; what: string[] }>();
  const add = (fs: { mount: string; availKiB: number }, kib: number, what: string) => {
    const n = needs.get(fs.mount) ?? { availKiB: fs.availKiB, kib: 0, what: [] };
    n.kib += kib;
    n.what.push(what);
    needs.set(fs.mount, n);
  };
  add(s.backup, s.etcdKiB + s.manifestsKiB, "kubeadm's backup of the etcd data dir and the static pod manifests (/etc/kubernetes/tmp)");
  if (snapshot) add(s.etcd, s.etcdKiB, "the etcd snapshot");
  const mib = (k: number) => `${Math.ceil(k / 1024)} MiB`;
  for (const [mount, n] of needs) {
    const want = n.kib + marginKiB;
    if (n.availKiB < want) {
      return {
        message: `the file system at ${mount} has ${mib(n.availKiB)} free, but ${n.what.join(" and ")} need ${mib(n.kib)}, plus ${mib(marginKiB)} kept free (${mib(want)} in all)`,
        hint: `free space there (old backups in /etc/kubernetes/tmp, old snapshots in /var/lib/clusterkit/etcd-snapshots) or grow the disk, then run pulumi up again`,
      };
    }
  }
  return null;
}
