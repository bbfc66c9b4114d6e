/**
 * Real ed25519 key pairs in the OpenSSH formats, built from a 32-byte seed with Node's crypto. The
 * plan's mocks derive stable keys from resource names with it, and the test hosts use it for fresh
 * keys: ssh2's generateKeyPairSync drops a leading zero byte of the public key (1 key in 256),
 * which OpenSSH then refuses to load.
 */
import { createPrivateKey, createPublicKey } from "node:crypto";

/** SSH wire format: a uint32 length, then the bytes. */
export function sshString(b: Buffer | string): Buffer {
  const buf = typeof b === "string" ? Buffer.from(b) : b;
  const len = Buffer.alloc(4);
  len.writeUInt32BE(buf.length);
  return Buffer.concat([len, buf]);
}

/** An ed25519 key pair from a 32-byte seed, in the OpenSSH formats tls.PrivateKey returns. */
export function ed25519FromSeed(seed: Buffer, comment = ""): { privateKeyOpenssh: string; publicKeyOpenssh: string } {
  const pkcs8 = Buffer.concat([Buffer.from("302e020100300506032b657004220420", "hex"), seed]);
  const pub = createPublicKey(createPrivateKey({ key: pkcs8, format: "der", type: "pkcs8" })).export({ format: "der", type: "spki" }).subarray(-32);
  const blob = Buffer.concat([sshString("ssh-ed25519"), sshString(pub)]);
  const check = seed.subarray(0, 4);
  let section = Buffer.concat([check, check, sshString("ssh-ed25519"), sshString(pub), sshString(Buffer.concat([seed, pub])), sshString(comment)]);
  const pad = (8 - (section.length % 8)) % 8;
  section = Buffer.concat([section, Buffer.from(Array.from({ length: pad }, (_, i) => i + 1))]);
  const body = Buffer.concat([Buffer.from("openssh-key-v1\0"), sshString("none"), sshString("none"), sshString(""), Buffer.from([0, 0, 0, 1]), sshString(blob), sshString(section)]);
  const lines = body.toString("base64").match(/.{1,70}/g)!.join("\n");
  return { privateKeyOpenssh: `-----BEGIN OPENSSH PRIVATE KEY-----\n${lines}\n-----END OPENSSH PRIVATE KEY-----\n`, publicKeyOpenssh: `ssh-ed25519 ${blob.toString("base64")}\n` };
}
