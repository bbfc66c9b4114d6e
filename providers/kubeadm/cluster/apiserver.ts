/**
 * A control plane's own kube-apiserver, asked on the host: its static pod's container through
 * crictl (kubeadm's packages bring cri-tools), and its health and metrics at the address and port
 * its manifest advertises, with the admin kubeconfig. Going to the node's own address rather than
 * the endpoint matters: behind the VIP another control plane would answer for it.
 */
import { kubeadmPaths } from "../../../core/render/kubeadm";
import type { RemoteHost } from "../../ssh";
import { shellQuote } from "../../ssh";
import { apiServerManifestPath } from "../paths";
import { kubectl } from "./kubectl";

const manifestFlag = (flag: string) => `grep -o -- '--${flag}=[^ ]*' ${apiServerManifestPath} | head -n 1 | cut -d= -f2-`;

/** Sets $server to https://ADVERTISE:PORT of this host's API server (IPv6 in brackets). */
export const localServer = `adv="$(${manifestFlag("advertise-address")})"
port="$(${manifestFlag("secure-port")})"
case "$adv" in *:*) adv="[$adv]" ;; esac
server="https://$adv:\${port:-6443}"`;

/** The running kube-apiserver container's ID, or null (stopped, crash-looping, not started yet). */
export async function runningApiServer(host: RemoteHost, step: string): Promise<string | null> {
  const out = await host.read(`crictl ps -q --name '^kube-apiserver$' --state running | head -n 1`, step, 30_000);
  return out.trim() || null;
}

/** Stops the container; the kubelet starts a new one from the same manifest, which reads its files afresh. */
export async function stopApiServer(host: RemoteHost, id: string, step: string): Promise<void> {
  await host.run(`crictl stop --timeout 30 ${shellQuote(id)} >/dev/null`, { step, mutating: true, timeoutMs: 90_000 });
}

/** Stops the running container of a static pod by name, if there is one (the kubelet starts a new one). */
export async function stopContainer(host: RemoteHost, name: string, step: string): Promise<void> {
  await host.run(`id="$(crictl ps -q --name ${shellQuote(`^${name}$`)} --state running | head -n 1)"\nif [ -n "$id" ]; then crictl stop --timeout 30 "$id" >/dev/null; fi`, { step, mutating: true, timeoutMs: 90_000 });
}

/** Whether this host's API server answers /readyz with ok. */
export async function apiServerReady(host: RemoteHost, step: string): Promise<boolean> {
  const r = await host.run(`${localServer}\n${kubectl} --server "$server" --request-timeout=5s get --raw /readyz`, { step, mutating: false, okCodes: [0, 1], timeoutMs: 30_000 });
  return r.code === 0 && r.stdout.trim() === "ok";
}

export interface AuthnReloadStatus {
  /** sha256 (hex) of the AuthenticationConfiguration on disk. */
  fileHash: string;
  /** The hash of the configuration the server applied last (Kubernetes ≥ 1.34 reports it), or null. */
  appliedHash: string | null;
  /** Epoch seconds of the last successful / refused automatic reload, or null when none happened. */
  lastSuccess: number | null;
  lastFailure: number | null;
}

const metric = "apiserver_authentication_config_controller";

/** Parses the reload metrics from the server's /metrics (the lines that matter, already filtered). */
export function parseAuthnReload(fileHash: string, metrics: string): AuthnReloadStatus {
  const value = (status: string) => {
    const m = new RegExp(`^${metric}_automatic_reload_last_timestamp_seconds\\{[^}]*status="${status}"[^}]*\\} (\\S+)$`, "m").exec(metrics);
    const n = m ? Number(m[1]) : NaN;
    return Number.isFinite(n) ? n : null;
  };
  const info = new RegExp(`^${metric}_last_config_info\\{[^}]*hash="sha256:([0-9a-f]{64})"[^}]*\\} 1$`, "m").exec(metrics);
  return { fileHash, appliedHash: info?.[1] ?? null, lastSuccess: value("success"), lastFailure: value("failure") };
}

/** The file on disk and what this host's API server says it did with it. */
export async function authnReloadStatus(host: RemoteHost, step: string): Promise<AuthnReloadStatus> {
  const out = await host.read(
    `${localServer}\nsha256sum ${kubeadmPaths.authenticationConfigPath} | cut -c1-64\n${kubectl} --server "$server" --request-timeout=10s get --raw /metrics | grep '^${metric}_' || true`,
    step,
    60_000,
  );
  const [first, ...rest] = out.split("\n");
  return parseAuthnReload(first.trim(), rest.join("\n"));
}

/** Whether the server took the file written at `since` (epoch seconds on the host), refused it, or has not looked yet. */
export function authnReloadOutcome(s: AuthnReloadStatus, since: number): "applied" | "refused" | "pending" {
  if (s.appliedHash !== null) {
    if (s.appliedHash === s.fileHash) return "applied";
  } else if (s.lastSuccess !== null && s.lastSuccess >= since) {
    return "applied";
  }
  if (s.lastFailure !== null && s.lastFailure >= since) return "refused";
  return "pending";
}
