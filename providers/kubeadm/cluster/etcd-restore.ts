/**
 * The control-plane side of `clusterkit etcd restore`: the scripts each step runs on a control
 * plane. Every step knows from the host whether it is still to do (a marker file in the restore's
 * folder, or where a manifest or data dir is), so a restore cut off anywhere is run again from the
 * start and does only what is left. The restored data replaces /var/lib/etcd itself (the old one
 * is kept beside it) rather than the manifest pointing elsewhere: kubeadm writes the etcd manifest
 * again from ClusterConfiguration's etcd.local.dataDir on every upgrade and reconfiguration, which
 * would bring the old data back.
 */
import { cipher } from "../../../core/backup/bundle";
import { shellQuote } from "../../ssh";

export const restoreRoot = "/var/lib/clusterkit/etcd-restore";
/**
 * Where a machine that never joined was seeded for `kubeadm init` over a restore (every control
 * plane of the stack new): the restore's id. kubeadm-init reads it; a reset removes it with the
 * rest of /etc/kubernetes.
 */
export const restoreSeedPath = "/etc/kubernetes/clusterkit/restore-seed";
const manifests = "/etc/kubernetes/manifests";

/** A restore's id: the bundle's, so running again with the same bundle resumes it. */
export const restoreId = (bundleId: string) => bundleId.slice(0, 12);

const dirOf = (rid: string) => `${restoreRoot}/${rid}`;

/** What the preflight needs from a control plane; `key value` lines. */
export function inspectScript(rid: string): string {
  const d = shellQuote(dirOf(rid));
  return `set -uo pipefail
m=${manifests}/etcd.yaml
[[ -f $m ]] || m=${d}/manifests/etcd.yaml
if [[ -f $m ]]; then
  echo "manifest $m"
  echo "image $(sed -n 's|^ *image: .*/etcd:||p' "$m" | head -n 1)"
  echo "name $(grep -o -- '--name=[^ ]*' "$m" | head -n 1 | cut -d= -f2)"
  echo "peer $(grep -o -- '--initial-advertise-peer-urls=[^ ]*' "$m" | head -n 1 | cut -d= -f2)"
fi
if command -v etcdutl >/dev/null 2>&1; then echo "tool etcdutl"
elif command -v etcdctl >/dev/null 2>&1; then
  # etcd 3.6 dropped 'snapshot restore' from etcdctl, and its --help of an unknown command still exits 0.
  v=$(ETCDCTL_API=3 etcdctl version 2>/dev/null | sed -n 's/^etcdctl version: *//p')
  case $v in 3.[0-5].*) echo "tool etcdctl" ;; esac
fi
[[ -f /etc/kubernetes/kubelet.conf ]] && echo "joined yes"
[[ -f ${restoreSeedPath} ]] && echo "seeded $(cat ${restoreSeedPath})"
for f in ${d}/*.done; do [[ -e $f ]] && echo "done $(basename "$f" .done)"; done
for f in ${restoreRoot}/*/started; do
  [[ -e $f ]] || continue
  r=$(basename "$(dirname "$f")")
  [[ $r != ${shellQuote(rid)} && ! -e ${restoreRoot}/$r/finish.done ]] && echo "other $r"
done
true`;
}

/**
 * Step 1: the snapshot onto the node. stdin is the passphrase line, then the bundle's encrypted
 * payload; only snapshot.db is kept, and only when its hash is the bundle's.
 */
export function uploadScript(rid: string, sha256: string): string {
  return payloadUpload(rid, sha256, [], "upload");
}

/**
 * Seeding, step 1: the snapshot and the files a restore needs besides the data (the CAs, the
 * service-account keys, the encryption configuration) onto the new machine, into the restore's
 * folder (files/); kept only when the snapshot's hash is the bundle's. stdin as for uploadScript.
 */
export function seedUploadScript(rid: string, sha256: string, files: string[]): string {
  return payloadUpload(rid, sha256, files, "seed-upload");
}

/** The payload on stdin (after the passphrase line) decrypted into the restore's folder: snapshot.db, checked, and `files` under files/. */
function payloadUpload(rid: string, sha256: string, files: string[], done: string): string {
  const d = shellQuote(dirOf(rid));
  const keep = files.length ? `\nrm -rf ${d}/files\nmv ${d}/unpack ${d}/files` : `\nrm -rf ${d}/unpack`;
  return `set -euo pipefail
umask 077
install -d -m 0700 ${d}
: > ${d}/started
IFS= read -r CLUSTERKIT_BUNDLE_PASS
export CLUSTERKIT_BUNDLE_PASS
if [[ -e ${d}/${done}.done ]]; then cat >/dev/null; exit 0; fi
rm -rf ${d}/unpack
install -d -m 0700 ${d}/unpack
openssl enc -d -${cipher.name} -${cipher.kdf} -iter ${cipher.iter} -md ${cipher.md} -pass env:CLUSTERKIT_BUNDLE_PASS | tar -xzf - -C ${d}/unpack ${["snapshot.db", ...files].map(shellQuote).join(" ")}
got=$(sha256sum ${d}/unpack/snapshot.db | cut -d' ' -f1)
if [[ $got != ${shellQuote(sha256)} ]]; then echo "clusterkit: the snapshot arrived with sha256 $got, the bundle says ${sha256}" >&2; exit 1; fi
mv -f ${d}/unpack/snapshot.db ${d}/snapshot.db${keep}
: > ${d}/${done}.done`;
}

/** The running container of a static pod, as crictl lists it; `pattern` is shell text for crictl's --name regex. */
const runningAs = (pattern: string) => `crictl ps -q --name ${pattern} 2>/dev/null | head -n 1`;
const running = (name: string) => runningAs(`'^${name}$'`);

/**
 * Steps 2 and 3: a static pod stopped by moving its manifest out of the kubelet's folder into the
 * restore's, then waiting until the kubelet has removed its container.
 */
export function stopScript(rid: string, component: "kube-apiserver" | "etcd", timeoutS = 180): string {
  const d = shellQuote(dirOf(rid));
  return `set -euo pipefail
install -d -m 0700 ${d}/manifests
if [[ -f ${manifests}/${component}.yaml ]]; then mv -f ${manifests}/${component}.yaml ${d}/manifests/${component}.yaml; fi
for ((i = 0; i < ${timeoutS * 5}; i++)); do
  [[ -z "$(${running(component)})" ]] && { : > ${d}/stop-${component}.done; exit 0; }
  sleep 0.2
done
echo "clusterkit: the kubelet did not stop ${component} within ${timeoutS} s of its manifest leaving ${manifests}" >&2
exit 1`;
}

export interface Member {
  name: string;
  peerUrl: string;
}

/**
 * Step 4: the snapshot restored into a new data dir beside the old one, as this member of the new
 * cluster (the stack's members, a new cluster token; restoreInto), then swapped in; the old data is
 * kept as /var/lib/etcd.before-restore-<rid>.
 */
export function restoreScript(rid: string, me: Member, members: Member[]): string {
  const d = shellQuote(dirOf(rid));
  const fresh = shellQuote(`/var/lib/etcd.restore-${rid}`);
  const before = shellQuote(`/var/lib/etcd.before-restore-${rid}`);
  return `set -euo pipefail
if [[ ! -e ${d}/restore.done ]]; then
  [[ -n "$(${running("etcd")})" ]] && { echo "clusterkit: etcd is still running on this control plane" >&2; exit 1; }
${restoreInto(rid, me, members, fresh)}
  : > ${d}/restore.done
fi
if [[ ! -e ${d}/swap.done ]]; then
  if [[ -d /var/lib/etcd && ! -e ${before} ]]; then mv /var/lib/etcd ${before}; fi
  if [[ -d ${fresh} ]]; then mv ${fresh} /var/lib/etcd; fi
  : > ${d}/swap.done
fi`;
}

/**
 * The snapshot in the restore's folder restored into `fresh` (shell-quoted) as member `me` of a new
 * cluster of `members` with a new cluster token: etcdutl where there is one (with --bump-revision
 * and --mark-compacted where it has them, so the API servers' watchers start over instead of
 * missing what changed, etcd's Kubernetes advice), else etcdctl (etcd ≤ 3.5).
 */
function restoreInto(rid: string, me: Member, members: Member[], fresh: string): string {
  const d = shellQuote(dirOf(rid));
  const initial = shellQuote(members.map((m) => `${m.name}=${m.peerUrl}`).join(","));
  const args = `--name ${shellQuote(me.name)} --initial-cluster ${initial} --initial-cluster-token ${shellQuote(`clusterkit-restore-${rid}`)} --initial-advertise-peer-urls ${shellQuote(me.peerUrl)}`;
  return `  rm -rf ${fresh}
  if command -v etcdutl >/dev/null 2>&1; then
    extra=()
    if etcdutl snapshot restore --help 2>&1 | grep -q -- --bump-revision; then extra=(--bump-revision 1000000000 --mark-compacted); fi
    etcdutl snapshot restore ${d}/snapshot.db --data-dir ${fresh} ${args} "\${extra[@]}" >/dev/null
  else
    ETCDCTL_API=3 etcdctl snapshot restore ${d}/snapshot.db --data-dir ${fresh} ${args} >/dev/null
  fi
  chmod 0700 ${fresh}`;
}

/** Steps 5 and 6: a static pod's manifest back into the kubelet's folder. */
export function startScript(rid: string, component: "kube-apiserver" | "etcd"): string {
  const d = shellQuote(dirOf(rid));
  return `set -euo pipefail
if [[ -f ${d}/manifests/${component}.yaml ]]; then mv -f ${d}/manifests/${component}.yaml ${manifests}/${component}.yaml; fi
: > ${d}/start-${component}.done`;
}

/** Waits until the kubelet runs the static pod again. */
export function waitRunningScript(component: string, timeoutS = 180): string {
  return `set -euo pipefail
for ((i = 0; i < ${timeoutS * 5}; i++)); do
  [[ -n "$(${running(component)})" ]] && exit 0
  sleep 0.2
done
echo "clusterkit: the kubelet did not start ${component} within ${timeoutS} s" >&2
exit 1`;
}

/** Step 7: the controller-manager and scheduler restarted (the kubelet starts new containers), then the kubelet. */
export function restartComponentsScript(rid: string, controlPlane: boolean): string {
  const d = shellQuote(dirOf(rid));
  const cp = controlPlane
    ? `for c in kube-controller-manager kube-scheduler; do
  id="$(${runningAs('"^$c\\$"')})"
  if [[ -n "$id" ]]; then crictl stop "$id" >/dev/null; fi
done
`
    : "";
  return `set -euo pipefail
${cp}systemctl restart kubelet
install -d -m 0700 ${d}
: > ${d}/finish.done
rm -f ${d}/snapshot.db`;
}

/**
 * Seeding, step 2: etcd restored as the one member of a new cluster into /var/lib/etcd (which must
 * not hold data: a machine that never joined has none), then the files into place, keys 0600, and
 * the seed recorded for kubeadm-init. Each part is skipped once done.
 */
export function seedScript(rid: string, me: Member, files: string[]): string {
  const d = shellQuote(dirOf(rid));
  const fresh = shellQuote(`/var/lib/etcd.restore-${rid}`);
  const install = files.map((f) => `install -D -m ${/\.(key)$|encryption/.test(f) ? "0600" : "0644"} ${d}/files/${shellQuote(f)} ${shellQuote(`/${f}`)}`).join("\n");
  return `set -euo pipefail
if [[ ! -e ${d}/seed-etcd.done ]]; then
  if [[ -n "$(ls -A /var/lib/etcd 2>/dev/null)" ]]; then echo "clusterkit: /var/lib/etcd on this machine already holds data; a machine seeded for a restore must hold none" >&2; exit 1; fi
${restoreInto(rid, me, [me], fresh)}
  rm -rf /var/lib/etcd
  mv ${fresh} /var/lib/etcd
  : > ${d}/seed-etcd.done
fi
if [[ ! -e ${d}/seed-files.done ]]; then
${install}
  : > ${d}/seed-files.done
fi
install -d -m 0700 "$(dirname ${restoreSeedPath})"
printf '%s\\n' ${shellQuote(rid)} > ${restoreSeedPath}
rm -f ${d}/snapshot.db
rm -rf ${d}/files
: > ${d}/finish.done`;
}
