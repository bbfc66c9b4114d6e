/**
 * SSH host-key fingerprints as `ssh-keygen -lf` prints them (SHA256 of the key blob, unpadded
 * base64). clusterkit generates each VM's host key itself, so the fingerprint it pins is computed
 * here from the public key, before the VM ever boots.
 */
import { createHash } from "node:crypto";

/** Reads the length-prefixed key type at the start of an SSH public-key blob. */
function blobKeyType(blob: Buffer): string | null {
  if (blob.length < 4) return null;
  const len = blob.readUInt32BE(0);
  return len > 0 && 4 + len <= blob.length ? blob.subarray(4, 4 + len).toString("latin1") : null;
}

/** `SHA256:…` fingerprint of an OpenSSH public key line (`ssh-ed25519 AAAA… [comment]`). */
export function sshFingerprintSha256(publicKeyOpenssh: string): string {
  const [type, data] = publicKeyOpenssh.trim().split(/\s+/);
  const blob = data && /^[A-Za-z0-9+/]+={0,2}$/.test(data) ? Buffer.from(data, "base64") : null;
  if (!type || !blob || blobKeyType(blob) !== type) {
    throw new Error(`not an OpenSSH public key line: expected "<type> <base64 blob>" whose blob starts with the same type`);
  }
  return `SHA256:${createHash("sha256").update(blob).digest("base64").replace(/=+$/, "")}`;
}
