// node-ssh connection to a fake host with host-key pinning, the way clusterkit
// itself connects (key auth, fingerprint compared before auth).
import { createHash } from "node:crypto";
import { NodeSSH } from "node-ssh";
import type { Fleet, TestHost } from "./harness";

/** "SHA256:..." of a raw SSH public key blob, as `ssh-keygen -lf` prints it. */
export function sha256Fingerprint(keyBlob: Buffer): string {
  return "SHA256:" + createHash("sha256").update(keyBlob).digest("base64").replace(/=+$/, "");
}

export interface ConnectOptions {
  user?: string;
  /** Pinned fingerprint; defaults to the host's real one. */
  expectFingerprint?: string;
  readyTimeoutMs?: number;
}

export async function connectPinned(fleet: Fleet, host: TestHost, opts: ConnectOptions = {}): Promise<NodeSSH> {
  const expected = opts.expectFingerprint ?? host.hostKeyFingerprint;
  const ssh = new NodeSSH();
  await ssh.connect({
    host: host.address,
    port: host.port,
    username: opts.user ?? "root",
    privateKey: fleet.clientKey.privateKeyPem,
    readyTimeout: opts.readyTimeoutMs ?? 10_000,
    hostVerifier: (key: Buffer) => sha256Fingerprint(key) === expected,
  });
  // A cut or stopped host resets the socket; without a listener that 'error'
  // would crash the test process instead of failing the pending command.
  ssh.connection?.on("error", () => undefined);
  return ssh;
}
