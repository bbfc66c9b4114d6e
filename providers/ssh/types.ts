/** What the SSH layer needs to reach a host, and what a command run returns. Plain data only. */

export interface SshEndpoint {
  address: string;
  port: number;
  user: string;
  /** Pinned `SHA256:…` fingerprint of the host key; null refuses the host unless trustOnFirstUse. */
  hostKey: string | null;
}

export interface SshTarget extends SshEndpoint {
  /** Inventory name, used in messages. */
  name: string;
  /** OpenSSH or PEM private key (the value of a Pulumi secret). */
  privateKey: string;
  /** Accept an unpinned host key and print its fingerprint to pin. */
  trustOnFirstUse: boolean;
  /** Jump host the connection is tunnelled through; it uses the same key unless it has its own. */
  bastion: (SshEndpoint & { privateKey?: string }) | null;
}

export interface ExecOptions {
  /** Phase or step name for errors, e.g. `prepare-host/containerd`. */
  step: string;
  /**
   * Whether the command changes the host. A read-only command is re-run once on a fresh connection
   * when its connection drops; a mutating one never is.
   */
  mutating: boolean;
  /** Default 120 s. Enforced on both ends: the remote `timeout` kills the command too. */
  timeoutMs?: number;
  /** Fed to the command's standard input (file contents, never on the command line); a stream is piped. */
  stdin?: string | Buffer | NodeJS.ReadableStream;
  /**
   * Where standard output goes instead of the result (binary data such as a backup bundle, streamed
   * as it arrives; the result's stdout is then empty). It is not ended when the command ends.
   */
  stdoutTo?: NodeJS.WritableStream;
  /** Run as the SSH user instead of root (default: as root, through `sudo -n` when not root). */
  asUser?: boolean;
  /** Exit codes that are answers, not failures (a check that says "needed" exits 1). */
  okCodes?: number[];
  /** Extra values to mask in errors, beyond the registered secrets. */
  secrets?: string[];
}

export interface ExecResult {
  code: number;
  stdout: string;
  stderr: string;
  durationMs: number;
}

export type Logger = (line: string) => void;
