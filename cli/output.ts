/** Where the CLI writes: results to stdout, diagnostics to stderr. Nothing else prints. */
import { formatIssue, formatWarning, type Issue, type Warning } from "../core/errors";

export interface Io {
  out(text: string): void;
  err(text: string): void;
}

export const processIo: Io = {
  out: (t) => process.stdout.write(t.endsWith("\n") ? t : `${t}\n`),
  err: (t) => process.stderr.write(t.endsWith("\n") ? t : `${t}\n`),
};

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
