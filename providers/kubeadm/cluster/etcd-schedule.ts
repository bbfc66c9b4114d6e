/**
 * Scheduled etcd snapshots (blueprint `backup.etcd.schedule`): a systemd timer on each control
 * plane runs a rendered script that takes a snapshot exactly as `clusterkit etcd snapshot` does
 * (takeScript), seals it there into a bundle of the same format (core/backup/bundle.ts) with the
 * node key derived from the stack's backup key, and keeps the newest few on the node. Nodes hold no
 * credentials of the backup store: `clusterkit etcd snapshot --collect` copies their bundles off.
 *
 * The script writes in the order a restore can trust: the bundle is built as `<name>.part`,
 * checked (its snapshot decrypts back to the hash etcdutl verified), given its MAC, synced and only
 * then renamed; retention runs after that, so a run cut off anywhere leaves the older bundles whole.
 * Free space is checked before the snapshot, so a full disk is a failure on record, not a fuller disk.
 */
import { bundleExtension, bundleMagic, cipher } from "../../../core/backup/bundle";
import { kubeadmPaths } from "../../../core/render/kubeadm";
import type { EtcdSchedule } from "../../../core/schema/backup";
import { shellQuote } from "../../ssh";
import { etcdDataDir, etcdctl } from "./etcd";
import { takeScript } from "./etcd-bundle";

export const scheduleUnit = "clusterkit-etcd-snapshot";
export const schedulePaths = {
  script: "/usr/local/lib/clusterkit/etcd-snapshot.sh",
  service: `/etc/systemd/system/${scheduleUnit}.service`,
  timer: `/etc/systemd/system/${scheduleUnit}.timer`,
  /** In kubeadm's clusterkit folder, so `kubeadm reset`'s clean-up of a node takes the key with it. */
  key: `${kubeadmPaths.clusterkitDir}/etcd-snapshot.key`,
  bundles: "/var/lib/clusterkit/etcd-snapshots",
  work: "/var/lib/clusterkit/etcd-scheduled",
  /** `<epoch seconds, to the millisecond> <what failed>`, written when a run fails and removed by the next good one. */
  lastFailure: "/var/lib/clusterkit/etcd-snapshots/last-failure",
} as const;
const snapshotPart = `${etcdDataDir}/clusterkit-scheduled-snapshot.db`;

export interface ScheduleScriptInputs {
  cluster: string;
  stack: string;
  node: string;
  kubernetesVersion: string;
  keepOnNode: number;
}

/** Builds the bundle header (one line of JSON, bundleHeaderSchema) from takeScript's `key value` lines. */
export const headerAwk = String.raw`function esc(s) { if (s ~ /["\\[:cntrl:]]/) bad = 1; return "\"" s "\"" }
function num(json, key,   m) {
  if (!match(json, "\"" key "\":-?[0-9]+")) { bad = 1; return "null" }
  m = substr(json, RSTART, RLENGTH); sub(/^[^:]*:/, "", m); return m
}
function list(s,   n, a, i, out) {
  n = split(s, a, / +/); out = ""
  for (i = 1; i <= n; i++) if (a[i] != "") out = out (out == "" ? "" : ",") esc(a[i])
  return "[" out "]"
}
$1 == "status" { st = substr($0, 8) }
$1 == "sha256" { sha = $2 }
$1 == "bytes" { bytes = $2 }
$1 == "endpoint" { ep = substr($0, 10) }
$1 == "member" {
  split(substr($0, 8), f, /, */)
  members = members (members == "" ? "" : ",") "{\"name\":" esc(f[3]) ",\"peerUrls\":" list(f[4]) "}"
}
$1 == "file" { files = files (files == "" ? "" : ",") esc(substr($0, 6)) }
END {
  version = ""
  if (match(ep, /"version":"[^"]*"/)) version = substr(ep, RSTART + 11, RLENGTH - 12)
  if (sha !~ /^[0-9a-f]+$/ || bytes !~ /^[0-9]+$/ || version == "" || members == "") exit 1
  printf "{\"id\":%s,\"keyId\":%s,\"cluster\":%s,\"stack\":%s,\"takenAt\":%s,\"node\":%s,\"etcdVersion\":%s,\"kubernetesVersion\":%s,", esc(id), esc(keyid), esc(cluster), esc(stack), esc(taken), esc(node), esc(version), esc(kver)
  printf "\"members\":[%s],\"snapshot\":{\"sha256\":%s,\"bytes\":%s,\"revision\":%s,\"totalKeys\":%s,\"hash\":%s},", members, esc(sha), bytes, num(st, "revision"), num(st, "totalKey"), num(st, "hash")
  printf "\"files\":[%s],\"cipher\":{\"name\":\"${cipher.name}\",\"kdf\":\"${cipher.kdf}\",\"iter\":${cipher.iter},\"md\":\"${cipher.md}\"}}\n", files
  if (bad) exit 1
}`;

export function scheduledSnapshotScript(o: ScheduleScriptInputs): string {
  const q = shellQuote;
  const enc = `-${cipher.name} -${cipher.kdf} -iter ${cipher.iter} -md ${cipher.md}`;
  const stampRe = `^${o.cluster}-[0-9]{8}T[0-9]{6}\\.[0-9]{3}Z-[0-9a-f]{8}\\${bundleExtension}$`;
  return `#!/usr/bin/env bash
# shellcheck disable=SC2030,SC2031 # every etcdctl call sets its ETCDCTL_* in a subshell of its own, on purpose
# Rendered by clusterkit (backup.etcd.schedule): a scheduled etcd snapshot of ${o.cluster} on ${o.node}.
# Run by ${scheduleUnit}.service; \`clusterkit etcd snapshot --collect\` copies the bundles off this node.
set -euo pipefail
umask 077
dir=${q(schedulePaths.bundles)}
work=${q(schedulePaths.work)}
key=${q(schedulePaths.key)}
install -d -m 0700 "$dir"
exec 8>"$dir/.lock"
if ! flock -n 8; then echo "clusterkit: a scheduled snapshot is already running on this node" >&2; exit 0; fi
stage="starting"
finish() {
  local rc=$?
  rm -rf "$work" ${q(snapshotPart)}
  if [[ $rc -ne 0 ]]; then
    printf '%s exit %s while %s\\n' "$(date -u +%s.%3N)" "$rc" "$stage" > ${q(schedulePaths.lastFailure)}
    rm -f "$dir"/*.part
  fi
}
trap finish EXIT
rm -f "$dir"/*.part
[[ -r "$key" ]] || { stage="reading the node key"; echo "clusterkit: $key is missing; pulumi up writes it" >&2; exit 3; }

stage="checking free space"
db=$(
${etcdctl("endpoint status -w json")}
)
db=$(printf '%s' "$db" | grep -o '"dbSize":[0-9]*' | head -n 1 | cut -d: -f2)
[[ -n "$db" ]] || { echo "clusterkit: etcd did not report its database size" >&2; exit 3; }
margin=$((64 * 1024 * 1024))
need=$((2 * db + margin))
avail=$(($(df -Pk "$dir" | awk 'NR == 2 { print $4 }') * 1024))
if ((avail < need)); then
  echo "clusterkit: not enough space in $dir for a snapshot: $need bytes needed (twice the \${db}-byte database and 64 MiB), $avail available" >&2
  exit 4
fi
avail=$(($(df -Pk ${etcdDataDir} | awk 'NR == 2 { print $4 }') * 1024))
if ((avail < db + margin)); then
  echo "clusterkit: not enough space in ${etcdDataDir} for a snapshot: $((db + margin)) bytes needed, $avail available" >&2
  exit 4
fi

stage="taking the snapshot"
taken=$(
${takeScript(schedulePaths.work, snapshotPart)}
)

stage="writing the bundle"
t=$(date -u +%s.%3N)
id=$(openssl rand -hex 16)
name="${o.cluster}-$(date -u -d "@$t" +%Y%m%dT%H%M%S.%3NZ)-\${id:0:8}${bundleExtension}"
header=$(printf '%s\\n' "$taken" | awk -v id="$id" -v keyid="$(sed -n 4p "$key")" -v cluster=${q(o.cluster)} -v stack=${q(o.stack)} -v taken="$(date -u -d "@$t" +%Y-%m-%dT%H:%M:%S.%3NZ)" -v node=${q(o.node)} -v kver=${q(o.kubernetesVersion)} ${q(headerAwk)}) || {
  echo "clusterkit: the snapshot step's output lacks the hash, size, etcd version or member list" >&2
  exit 3
}
sha=$(printf '%s\\n' "$taken" | awk '$1 == "sha256" { print $2 }')
printf '%s\\n' "$header" > "$work/bundle.json"
part="$dir/$name.part"
printf '%s\\n%s\\n' ${q(bundleMagic.trimEnd())} "$header" > "$part"
hlen=$(stat -c %s "$part")
CLUSTERKIT_BUNDLE_PASS=$(sed -n 1p "$key")
export CLUSTERKIT_BUNDLE_PASS
entries=(bundle.json snapshot.db)
if [[ -d "$work/etc" ]]; then entries+=(etc); fi
tar -C "$work" -czf - "\${entries[@]}" | openssl enc ${enc} -salt -pass env:CLUSTERKIT_BUNDLE_PASS >> "$part"

stage="checking the bundle"
got=$(tail -c +$((hlen + 1)) "$part" | openssl enc -d ${enc} -pass env:CLUSTERKIT_BUNDLE_PASS | tar -xzOf - snapshot.db | sha256sum | cut -d' ' -f1)
[[ "$got" == "$sha" ]] || { echo "clusterkit: the bundle written does not decrypt to the snapshot taken" >&2; exit 3; }
unset CLUSTERKIT_BUNDLE_PASS
# HMAC-SHA256 from its two padded keys, so no key is ever on a command line.
{ sed -n 2p "$key" | base64 -d; cat "$part"; } | openssl dgst -sha256 -binary > "$work/inner"
{ sed -n 3p "$key" | base64 -d; cat "$work/inner"; } | openssl dgst -sha256 -binary >> "$part"
sync "$part"
mv -f "$part" "$dir/$name"
sync "$dir"

stage="enforcing retention"
find "$dir" -maxdepth 1 -type f -printf '%f\\n' | grep -E ${q(stampRe)} | sort | head -n -${o.keepOnNode} | while IFS= read -r old; do rm -f -- "$dir/$old"; done
rm -f ${q(schedulePaths.lastFailure)}
echo "clusterkit: $name, $(stat -c %s "$dir/$name") bytes; keeping the newest ${o.keepOnNode}"
`;
}

export function serviceUnit(cluster: string): string {
  return `# Rendered by clusterkit (backup.etcd.schedule).
[Unit]
Description=clusterkit: scheduled etcd snapshot of ${cluster}
# Skipped while a restore has moved the etcd manifest away, or once the node has left the cluster.
ConditionPathExists=${kubeadmPaths.staticPodDir}/etcd.yaml
After=kubelet.service

[Service]
Type=oneshot
ExecStart=${schedulePaths.script}
Nice=10
IOSchedulingClass=idle
TimeoutStartSec=1h
UMask=0077
PrivateTmp=yes
`;
}

export function timerUnit(cluster: string, s: Extract<EtcdSchedule, { kind: "systemd-timer" }>): string {
  return `# Rendered by clusterkit (backup.etcd.schedule).
[Unit]
Description=clusterkit: etcd snapshots of ${cluster} (${s.onCalendar})

[Timer]
OnCalendar=${s.onCalendar}
RandomizedDelaySec=${s.randomizedDelaySeconds}
# A run missed while the machine was off happens when it is back.
Persistent=true
AccuracySec=1min

[Install]
WantedBy=timers.target
`;
}

export interface NodeBundle {
  name: string;
  bytes: number;
  takenAt: string;
}

/** Lists this cluster's bundles on the node and its last failure: `bundle NAME BYTES` and `failure EPOCH TEXT` lines. */
export function listNodeBundlesScript(): string {
  return `if [[ -d ${schedulePaths.bundles} ]]; then
  find ${schedulePaths.bundles} -maxdepth 1 -type f -name '*${bundleExtension}' -printf 'bundle %f %s\\n'
fi
if [[ -f ${schedulePaths.lastFailure} ]]; then printf 'failure %s\\n' "$(head -n 1 ${schedulePaths.lastFailure})"; fi
state=$(systemctl is-enabled ${scheduleUnit}.timer 2>/dev/null || true)
echo "timer \${state:-absent} $(systemctl is-active ${scheduleUnit}.timer 2>/dev/null || true)"`;
}

export interface NodeBundles {
  bundles: NodeBundle[];
  failure: { at: string; what: string } | null;
  timer: { enabled: boolean; active: boolean };
}

export const newestBundle = (b: NodeBundles): NodeBundle | null => b.bundles[b.bundles.length - 1] ?? null;

/** The last run's failure, unless a bundle was written after it. */
export function failureSinceNewest(b: NodeBundles): NodeBundles["failure"] {
  const newest = newestBundle(b);
  return b.failure && (!newest || b.failure.at > newest.takenAt) ? b.failure : null;
}

/** The takenAt a bundle's file name carries (bundleFileName), or null for a name not of this cluster. */
export function takenAtOf(name: string, cluster: string): string | null {
  const m = new RegExp(`^${cluster}-(\\d{4})(\\d{2})(\\d{2})T(\\d{2})(\\d{2})(\\d{2})\\.(\\d{3})Z-[0-9a-f]{8}\\${bundleExtension}$`).exec(name);
  return m ? `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}.${m[7]}Z` : null;
}

export function parseNodeBundles(out: string, cluster: string): NodeBundles {
  const lines = out.split("\n").map((l) => l.trim()).filter(Boolean);
  const bundles = lines
    .filter((l) => l.startsWith("bundle "))
    .map((l) => l.split(" "))
    .map(([, name, bytes]) => ({ name, bytes: Number(bytes), takenAt: takenAtOf(name, cluster) }))
    .filter((b): b is NodeBundle => b.takenAt !== null)
    .sort((a, b) => (a.name < b.name ? -1 : 1));
  const f = lines.find((l) => l.startsWith("failure "))?.slice(8);
  const failure = f ? { at: new Date(Number(f.split(" ")[0]) * 1000).toISOString(), what: f.split(" ").slice(1).join(" ") } : null;
  const [, enabled, active] = (lines.find((l) => l.startsWith("timer ")) ?? "timer absent inactive").split(" ");
  return { bundles, failure, timer: { enabled: enabled === "enabled", active: active === "active" } };
}
