/**
 * Host key fingerprints exactly as OpenSSH prints them (`ssh-keygen -lf`, `ssh-keyscan | ssh-keygen
 * -lf -`): `SHA256:` + unpadded base64 of the SHA-256 of the key blob (the wire-format public key).
 */
import { createHash } from "node:crypto";

export function fingerprintOf(keyBlob: Buffer): string {
  return `SHA256:${createHash("sha256").update(keyBlob).digest("base64").replace(/=+$/, "")}`;
}

/** Fingerprints from users sometimes carry the trailing padding or surrounding spaces. */
export function normalizeFingerprint(fp: string): string {
  return fp.trim().replace(/=+$/, "");
}

/** The key type named inside the blob (`ssh-ed25519`, `ecdsa-sha2-nistp256`, `ssh-rsa`). */
export function keyTypeOf(keyBlob: Buffer): string {
  if (keyBlob.length < 4) return "unknown";
  const len = keyBlob.readUInt32BE(0);
  return len > 0 && len < 64 && keyBlob.length >= 4 + len ? keyBlob.subarray(4, 4 + len).toString("latin1") : "unknown";
}
