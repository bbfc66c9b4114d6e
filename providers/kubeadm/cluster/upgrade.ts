/**
 * What an upgrade asks the cluster: the version kubeadm recorded for it (the kubeadm-config
 * ConfigMap, which `kubeadm upgrade apply` moves), the version this control plane's own API server
 * runs, and an etcd snapshot before anything changes. Read through kubectl and etcdctl on a
 * control plane, like the rest of cluster/.
 */
import { parse } from "yaml";
import type { RemoteHost } from "../../ssh";
import { shellQuote } from "../../ssh";
import { localServer } from "./apiserver";
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

export const etcdSnapshotDir = "/var/lib/clusterkit/etcd-snapshots";

/** Saves a snapshot of etcd on this control plane; returns its path there. */
export async function etcdSnapshot(cp: RemoteHost, label: string, step: string): Promise<string> {
  const file = `${etcdSnapshotDir}/${label}-$(date -u +%Y%m%dT%H%M%SZ).db`;
  const out = await cp.run(
    `install -d -m 0700 ${etcdSnapshotDir}
f="${file}"
manifest=/etc/kubernetes/manifests/etcd.yaml
url="$(grep -o -- '--listen-client-urls=[^ ]*' "$manifest" 2>/dev/null | head -n 1 | cut -d= -f2 | cut -d, -f1 || true)"
ep="\${url:-https://127.0.0.1:2379}"
export ETCDCTL_API=3 ETCDCTL_ENDPOINTS="$ep" ETCDCTL_DIAL_TIMEOUT=5s
case "$ep" in https://*) export ETCDCTL_CACERT=/etc/kubernetes/pki/etcd/ca.crt ETCDCTL_CERT=/etc/kubernetes/pki/etcd/healthcheck-client.crt ETCDCTL_KEY=/etc/kubernetes/pki/etcd/healthcheck-client.key ;; esac
etcdctl snapshot save "$f" >/dev/null
chmod 0600 "$f"
echo "$f"`,
    { step, mutating: true, timeoutMs: 300_000 },
  );
  return out.stdout.trim().split("\n").pop() ?? shellQuote(file);
}
