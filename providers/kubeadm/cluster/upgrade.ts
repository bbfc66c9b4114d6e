/**
 * What an upgrade asks the cluster: the version kubeadm recorded for it (the kubeadm-config
 * ConfigMap, which `kubeadm upgrade apply` moves), the version this control plane's own API server
 * runs, the room for kubeadm's backups, and an etcd snapshot before anything changes. Read through
 * kubectl, etcdctl, df and du on a control plane, like the rest of cluster/.
 */
import { parse } from "yaml";
import { shellQuote, type RemoteHost } from "../../ssh";
import { localServer } from "./apiserver";
import { etcdDataDir, saveSnapshot } from "./etcd";
import { kubectl } from "./kubectl";

/** The cluster's Kubernetes version as kubeadm recorded it (`v1.33.5`). */
export async function clusterVersion(admin: RemoteHost, step: string): Promise<string> {
  const out = await admin.read(`${kubectl} -n kube-system get configmap kubeadm-config -o json`, step, 30_000);
  const cm = JSON.parse(out) as { data?: { ClusterConfiguration?: string } };
  const v = (parse(cm.data?.ClusterConfiguration ?? "") as { kubernetesVersion?: string } | null)?.kubernetesVersion;
  if (!v) throw new Error("the kubeadm-config ConfigMap holds no kubernetesVersion");
  return `v${v.replace(/^v/, "")}`;
}

/** The version this host's own kube-apiserver answers with (its address and port from its manifest), or null when it does not answer. */
export async function localApiServerVersion(host: RemoteHost, step: string): Promise<string | null> {
  const r = await host.run(
    `${localServer}\n${kubectl} --server "$server" --request-timeout=5s get --raw /version`,
    { step, mutating: false, okCodes: [0, 1], timeoutMs: 30_000 },
  );
  if (r.code !== 0) return null;
  return (JSON.parse(r.stdout) as { gitVersion?: string }).gitVersion ?? null;
}

/** Each control plane's own API server version, null where it does not answer (or its host does not). */
export async function apiServerVersions(hosts: RemoteHost[], step: string): Promise<{ name: string; version: string | null }[]> {
  return Promise.all(hosts.map(async (h) => ({ name: h.name, version: await localApiServerVersion(h, step).catch(() => null) })));
}

/** What kubeadm's backups and the etcd snapshot need, in KiB, next to what the file systems have. */
export interface BackupSpace {
  /** The file system of /etc/kubernetes/tmp, where `kubeadm upgrade` copies the manifests and etcd's data dir. */
  backup: { mount: string; availKiB: number };
  /** The file system of the etcd data dir, where the snapshot is written before it moves next to it. */
  etcd: { mount: string; availKiB: number };
  etcdKiB: number;
  manifestsKiB: number;
}

/**
 * Free space where `kubeadm upgrade` writes its backups (/etc/kubernetes/tmp, or the file system
 * it will be made on) and where the etcd data dir is, and how big the data dir and the manifests
 * are, as df and du on the host see them.
 */
export async function backupSpace(cp: RemoteHost, step: string): Promise<BackupSpace> {
  const out = await cp.read(
    `kt=/etc/kubernetes/tmp
[ -d "$kt" ] || kt=/etc/kubernetes
df -Pk "$kt" ${etcdDataDir} | awk 'NR > 1 { print $4, $6 }'
du -sk ${etcdDataDir} /etc/kubernetes/manifests | awk '{ print $1 }'`,
    step,
    120_000,
  );
  const lines = out.trim().split("\n").map((l) => l.trim().split(/\s+/));
  const fs = (l: string[] | undefined) => ({ availKiB: Number(l?.[0]), mount: l?.[1] ?? "?" });
  const s = { backup: fs(lines[0]), etcd: fs(lines[1]), etcdKiB: Number(lines[2]?.[0]), manifestsKiB: Number(lines[3]?.[0]) };
  if ([s.backup.availKiB, s.etcd.availKiB, s.etcdKiB, s.manifestsKiB].some((n) => !Number.isFinite(n))) throw new Error(`unexpected df/du output on ${cp.name}: ${out.trim()}`);
  return s;
}

export const etcdSnapshotDir = "/var/lib/clusterkit/etcd-snapshots";

/** Pre-upgrade snapshots kept on the node: each is the size of the database, and a cluster lives through many upgrades. */
export const keptUpgradeSnapshots = 3;

/** Removes all but the newest `keep` snapshots named `<prefix>*.db` in `dir` (newest by modification time). */
export function pruneSnapshotsScript(dir: string, prefix: string, keep: number): string {
  return `find ${shellQuote(dir)} -maxdepth 1 -type f -name ${shellQuote(`${prefix}*.db`)} -printf '%T@ %p\\n' | sort -rn | tail -n +${keep + 1} | cut -d' ' -f2- | xargs -r -d '\\n' rm -f --`;
}

/**
 * Saves a snapshot of etcd on this control plane, through the etcd module's etcdctl (the host's or
 * the etcd container's), then removes the pre-upgrade snapshots beyond the newest few, so a
 * long-lived cluster's upgrades do not fill the disk; returns its path there.
 */
export async function etcdSnapshot(cp: RemoteHost, label: string, step: string, now = new Date()): Promise<string> {
  const file = `${etcdSnapshotDir}/${label}-${now.toISOString().replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z")}.db`;
  await saveSnapshot(cp, file, step);
  await cp.run(pruneSnapshotsScript(etcdSnapshotDir, "before-", keptUpgradeSnapshots), { step, mutating: true, timeoutMs: 60_000 });
  return file;
}
