/** Where the CLI writes: results to stdout, diagnostics to stderr. Nothing else prints. */
import { formatIssue, formatWarning, type Issue, type Warning } from "../core/errors";

export interface Io {
  out(text: string): void;
  err(text: string): void;
}

/** Set once stdout's reader has gone (`clusterkit schema | head`): there is no one left to write to. */
let stdoutClosed = false;

export const processIo: Io = {
  out: (t) => {
    if (!stdoutClosed) process.stdout.write(t.endsWith("\n") ? t : `${t}\n`);
  },
  err: (t) => process.stderr.write(t.endsWith("\n") ? t : `${t}\n`),
};

/**
 * A reader that stops early (`| head`, `| true`) closes the pipe; writing on is pointless, not a
 * failure. Any other error on stdout is still one.
 */
export function quietOnClosedStdout(): void {
  process.stdout.on("error", (e: NodeJS.ErrnoException) => {
    stdoutClosed = true;
    if (e.code === "EPIPE") return;
    process.stderr.write(`clusterkit: cannot write to stdout (${e.code ?? e.message})\n`);
    process.exitCode = 1;
  });
}

export const validateApiVersion = "clusterkit.dev/validate/v1";

/** The `validate --json` document for input that did not validate; every `--json` command prints it for bad input. */
export function errorDocument(issues: Issue[]): string {
  return JSON.stringify({ apiVersion: validateApiVersion, ok: false, issues, stacks: [] }, null, 2);
}

/** The command that sets a secret; the SSH key is read from its file, so it never lands in shell history. */
export function secretSetCommand(key: string, stack: string): string {
  return `pulumi config set --secret ${key} --stack ${stack}${key === "clusterkit:sshPrivateKey" ? " < ~/.ssh/clusterkit_ed25519" : ""}`;
}

export function printIssues(io: Io, issues: Issue[]): void {
  io.err(issues.map(formatIssue).join("\n"));
  io.err(`${issues.length} problem${issues.length === 1 ? "" : "s"} found; nothing was written.`);
}

export function printWarnings(io: Io, warnings: Warning[]): void {
  const seen = new Set<string>();
  for (const w of warnings) {
    const line = formatWarning(w);
    if (!seen.has(line)) io.err(line);
    seen.add(line);
  }
}
