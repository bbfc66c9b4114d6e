/**
 * Failures talking to a host. Each names the host, the step that was running and what the host
 * said (stderr, redacted), and says whether retrying can help: only a connection that could not be
 * set up is retried automatically. Refusals (host key, authentication, sudo) never are.
 */
import { ClusterkitError, ExitCode } from "../../core/errors";
import { redact } from "./redact";

export type SshFailureKind =
  /** TCP or SSH handshake failed before the session was up (refused, unreachable, timed out). */
  | "connect"
  /** The host presented a key that is not the pinned one, or an unpinned key without TOFU. */
  | "host-key"
  /** The server did not accept our key. */
  | "auth"
  /** The user cannot run commands as root without a password. */
  | "sudo"
  /** The command ran longer than its timeout. */
  | "timeout"
  /** The connection dropped while a command ran: its outcome on the host is unknown. */
  | "connection-lost"
  /** The command ran and exited non-zero. */
  | "command";

export interface SshFailure {
  kind: SshFailureKind;
  /** Inventory name of the host. */
  host: string;
  address: string;
  /** The phase or step that was running, e.g. `prepare-host/containerd`. */
  step: string;
  message: string;
  exitCode?: number | null;
  stderr?: string;
  hint?: string;
}

export class SshError extends ClusterkitError {
  readonly failure: SshFailure;

  constructor(f: SshFailure) {
    const stderr = f.stderr?.trim() ? `\n  stderr: ${redact(f.stderr.trim()).split("\n").join("\n          ")}` : "";
    super([{ file: `host ${f.host} (${f.address})`, path: f.step, message: redact(`${f.message}${stderr}`), hint: f.hint && redact(f.hint) }], ExitCode.failure);
    this.name = "SshError";
    this.failure = { ...f, message: redact(f.message), stderr: f.stderr === undefined ? undefined : redact(f.stderr) };
  }

  get kind(): SshFailureKind {
    return this.failure.kind;
  }
}

export function isSshError(e: unknown, kind?: SshFailureKind): e is SshError {
  return e instanceof SshError && (kind === undefined || e.kind === kind);
}
