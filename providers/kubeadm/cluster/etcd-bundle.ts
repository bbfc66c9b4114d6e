/**
 * The control-plane side of an etcd backup bundle (core/backup/bundle.ts): a snapshot taken with
 * kubeadm's etcd client certificates and verified, set beside what a restore needs that is not in
 * etcd (the CAs, the service-account keys, the encryption-at-rest configuration), then streamed out
 * as an encrypted tar.gz. Nothing leaves the node in clear, and the work folder is root's only and
 * removed afterwards, even when a step failed.
 */
import { cipher } from "../../../core/backup/bundle";
import { encryptionConfigPath } from "../../../core/render/kubeadm/paths";
import { registerSecret, shellQuote, type RemoteHost } from "../../ssh";
import { etcdDataDir, etcdctl, parseMemberList, type EtcdMember } from "./etcd";

/** Where the snapshot is written first: inside the etcd data dir, the one folder the etcd container shares with the host. */
const snapshotPart = `${etcdDataDir}/clusterkit-bundle-snapshot.db`;
export const bundleWorkDir = "/var/lib/clusterkit/etcd-bundle";

/** What a restore needs besides etcd's data, relative to /: present ones go in the bundle. */
export const bundledFiles = [
  "etc/kubernetes/pki/ca.crt",
  "etc/kubernetes/pki/ca.key",
  "etc/kubernetes/pki/front-proxy-ca.crt",
  "etc/kubernetes/pki/front-proxy-ca.key",
  "etc/kubernetes/pki/etcd/ca.crt",
  "etc/kubernetes/pki/etcd/ca.key",
  "etc/kubernetes/pki/sa.key",
  "etc/kubernetes/pki/sa.pub",
  encryptionConfigPath.slice(1),
];

/**
 * Saves and verifies a snapshot and gathers the files. `etcdutl snapshot status` (the host's, else
 * the etcd container's) checks the file's integrity hash; etcd ≤ 3.5's `etcdctl snapshot status`
 * is the fallback, since etcd 3.6 dropped it from etcdctl. Prints `key value` lines for parseTaken.
 */
export function takeScript(workDir = bundleWorkDir, snapshotFile = snapshotPart): string {
  const dir = shellQuote(workDir);
  const part = shellQuote(snapshotFile);
  return `# shellcheck disable=SC2030,SC2031 # every etcdctl call sets its ETCDCTL_* in a subshell of its own, on purpose
set -euo pipefail
umask 077
for tool in tar gzip openssl sha256sum; do
  command -v "$tool" >/dev/null 2>&1 || { echo "clusterkit: $tool is not installed on this control plane; a bundle needs tar, gzip and openssl" >&2; exit 3; }
done
rm -rf ${dir} ${part}
install -d -m 0700 ${dir}
(
${etcdctl(`snapshot save ${part}`, undefined, null)}
) >/dev/null
chmod 0600 ${part}
status=""
if command -v etcdutl >/dev/null 2>&1; then
  status=$(etcdutl snapshot status ${part} -w json)
else
  cid=$(crictl ps -q --name '^etcd$' 2>/dev/null | head -n 1 || true)
  if [[ -n "$cid" ]] && status=$(crictl exec "$cid" etcdutl snapshot status ${part} -w json 2>/dev/null); then
    :
  elif command -v etcdctl >/dev/null 2>&1 && status=$(ETCDCTL_API=3 etcdctl snapshot status ${part} -w json); then
    :
  else
    echo "clusterkit: the snapshot could not be verified: no etcdutl on this control plane or in its etcd container, and no etcdctl that still has 'snapshot status' (etcd <= 3.5)" >&2
    exit 3
  fi
fi
mv -f ${part} ${dir}/snapshot.db
echo "status $(printf '%s' "$status" | tr -d '\\n')"
echo "sha256 $(sha256sum ${dir}/snapshot.db | cut -d' ' -f1)"
echo "bytes $(stat -c %s ${dir}/snapshot.db)"
endpoint=$(
${etcdctl("endpoint status -w json")}
)
echo "endpoint $(printf '%s' "$endpoint" | tr -d '\\n')"
members=$(
${etcdctl("member list -w simple")}
)
printf '%s\\n' "$members" | sed 's/^/member /'
for f in ${bundledFiles.map(shellQuote).join(" ")}; do
  if [[ -f "/$f" ]]; then
    install -D -m 0600 "/$f" ${dir}/"$f"
    echo "file $f"
  fi
done`;
}

export interface Taken {
  snapshot: { sha256: string; bytes: number; revision: number; totalKeys: number; hash: number };
  etcdVersion: string;
  members: EtcdMember[];
  files: string[];
}

/** Reads takeScript's output. */
export function parseTaken(out: string): Taken {
  const lines = out.split("\n").map((l) => l.trim()).filter(Boolean);
  const value = (key: string) => {
    const l = lines.find((x) => x.startsWith(`${key} `));
    if (!l) throw new Error(`the snapshot step printed no ${key} line`);
    return l.slice(key.length + 1);
  };
  const status = JSON.parse(value("status")) as { hash: number; revision: number; totalKey: number };
  const endpoint = JSON.parse(value("endpoint")) as { Status?: { version?: string } }[];
  const etcdVersion = endpoint[0]?.Status?.version;
  if (!etcdVersion) throw new Error("etcdctl endpoint status printed no version");
  return {
    snapshot: { sha256: value("sha256"), bytes: Number(value("bytes")), revision: status.revision, totalKeys: status.totalKey, hash: status.hash },
    etcdVersion,
    members: parseMemberList(lines.filter((l) => l.startsWith("member ")).map((l) => l.slice(7)).join("\n")),
    files: lines.filter((l) => l.startsWith("file ")).map((l) => l.slice(5)),
  };
}

/** Reads the passphrase from its first line of stdin and writes the encrypted tar.gz to stdout. */
export function streamScript(): string {
  return `set -euo pipefail
IFS= read -r CLUSTERKIT_BUNDLE_PASS
export CLUSTERKIT_BUNDLE_PASS
cd ${shellQuote(bundleWorkDir)}
entries=(bundle.json snapshot.db)
if [[ -d etc ]]; then entries+=(etc); fi
tar -czf - "\${entries[@]}" | openssl enc -${cipher.name} -${cipher.kdf} -iter ${cipher.iter} -md ${cipher.md} -salt -pass env:CLUSTERKIT_BUNDLE_PASS`;
}

/**
 * Streams the encrypted payload to `out`: bundle.json (the header, inside the sealed part too),
 * the snapshot and the files. The passphrase comes on stdin and reaches openssl through its
 * environment, which only root can read, never its command line.
 */
export async function streamPayload(cp: RemoteHost, headerJson: string, passphrase: string, out: NodeJS.WritableStream, step: string): Promise<void> {
  registerSecret(passphrase);
  await cp.writeFile({ path: `${bundleWorkDir}/bundle.json`, content: `${headerJson}\n`, mode: "0600" }, step);
  const script = streamScript();
  // Mutating, so a dropped connection is never re-run into a half-written stream.
  await cp.run(script, { step, mutating: true, stdin: `${passphrase}\n`, stdoutTo: out, timeoutMs: 60 * 60_000, secrets: [passphrase] });
}

export async function removeWorkDir(cp: RemoteHost, step: string): Promise<void> {
  await cp.run(`rm -rf ${shellQuote(bundleWorkDir)} ${snapshotPart}`, { step, mutating: true });
}
