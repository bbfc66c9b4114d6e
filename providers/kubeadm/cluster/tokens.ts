/**
 * Join credentials, made on demand and kept only in memory. Each join gets its own bootstrap token
 * that lives 15 minutes (kubeadm's default is 24 h) and is deleted once the node has joined. The
 * certificate key that lets control planes fetch the shared certificates is remembered for this
 * process only, and the certificates are uploaded again once it is close to kubeadm's 2 h expiry.
 */
import { randomBytes, randomInt } from "node:crypto";
import { ClusterkitError } from "../../../core/errors";
import { registerSecret, type RemoteHost } from "../../ssh";

export const JOIN_TOKEN_TTL = "15m";
/** kubeadm deletes uploaded certificates after 2 h; re-upload with a margin for a slow join. */
const CERTIFICATE_KEY_REUSE_MS = 100 * 60_000;

export interface JoinCredentials {
  endpoint: string;
  token: string;
  /** `sha256:<hex>`: public, pins the cluster CA during discovery. */
  caCertHash: string;
}

const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
const pick = (n: number) => Array.from({ length: n }, () => alphabet[randomInt(alphabet.length)]).join("");

/** A bootstrap token in kubeadm's format, `[a-z0-9]{6}.[a-z0-9]{16}`. */
export function randomBootstrapToken(): string {
  const t = `${pick(6)}.${pick(16)}`;
  registerSecret(t);
  return t;
}

export function randomCertificateKey(): string {
  const k = randomBytes(32).toString("hex");
  registerSecret(k);
  return k;
}

/** Parses `kubeadm token create --print-join-command` output. */
export function parseJoinCommand(out: string): JoinCredentials | null {
  const m = /kubeadm join\s+(\S+)\s+.*?--token\s+(\S+).*?--discovery-token-ca-cert-hash\s+(sha256:[0-9a-f]{64})/s.exec(out);
  return m ? { endpoint: m[1], token: m[2], caCertHash: m[3] } : null;
}

export async function createJoinToken(admin: RemoteHost, step: string): Promise<JoinCredentials> {
  const r = await admin.run(`kubeadm token create --ttl ${JOIN_TOKEN_TTL} --print-join-command`, { step, mutating: true, timeoutMs: 60_000 });
  const creds = parseJoinCommand(r.stdout);
  if (creds) registerSecret(creds.token);
  else registerSecret(r.stdout.trim());
  if (!creds) throw ClusterkitError.failure(`host ${admin.name} (${admin.address})`, step, "kubeadm token create printed no join command", "check that kubeadm on the control plane works: kubeadm token list");
  return creds;
}

/** Deletes a used token; best effort (it expires on its own 15 minutes after creation). */
export async function deleteJoinToken(admin: RemoteHost, token: string, step: string): Promise<void> {
  const id = token.split(".")[0];
  await admin.run(`kubeadm token delete ${id}`, { step, mutating: true, okCodes: [0, 1], timeoutMs: 60_000 }).catch(() => undefined);
}

const certificateKeys = new Map<string, { key: string; at: number }>();

export function rememberCertificateKey(cluster: string, key: string, at = Date.now()): void {
  registerSecret(key);
  certificateKeys.set(cluster, { key, at });
}

/** The certificate key to join a control plane with: the remembered one, or a fresh upload. */
export async function certificateKey(admin: RemoteHost, cluster: string, step: string): Promise<string> {
  const known = certificateKeys.get(cluster);
  if (known && Date.now() - known.at < CERTIFICATE_KEY_REUSE_MS) return known.key;
  const r = await admin.run("kubeadm init phase upload-certs --upload-certs", { step, mutating: true, timeoutMs: 120_000 });
  const key = /\b([0-9a-f]{64})\s*$/.exec(r.stdout.trim())?.[1];
  if (!key) {
    registerSecret(r.stdout.trim());
    throw ClusterkitError.failure(`host ${admin.name} (${admin.address})`, step, "kubeadm init phase upload-certs printed no certificate key");
  }
  rememberCertificateKey(cluster, key);
  return key;
}

/** Forgets a key kubeadm refused (expired early, or uploaded by someone else since). */
export function forgetCertificateKey(cluster: string): void {
  certificateKeys.delete(cluster);
}
