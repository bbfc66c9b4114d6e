/**
 * The one error type of clusterkit. It carries every problem found (we collect, never stop at the
 * first), each with the file and field path it belongs to, and the exit code the CLI should use.
 * Only cli/main.ts turns it into output and an exit status; everything else just throws it.
 */

export const ExitCode = { ok: 0, failure: 1, invalidInput: 2 } as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

export interface Issue {
  /** Path of the offending file, relative to the project root, e.g. `stacks/Pulumi.prod-us-east-1.yaml`. */
  file: string;
  /** Dotted field path inside that file, e.g. `config.clusterkit:variables.azs[1]`. Empty for the whole file. */
  path: string;
  message: string;
  expected?: string;
  found?: string;
  hint?: string;
}

export interface Warning {
  file: string;
  path: string;
  message: string;
}

export class ClusterkitError extends Error {
  readonly issues: Issue[];
  readonly exitCode: ExitCode;

  constructor(issues: Issue[], exitCode: ExitCode = ExitCode.invalidInput) {
    super(issues.map(formatIssue).join("\n"));
    this.name = "ClusterkitError";
    this.issues = issues;
    this.exitCode = exitCode;
  }

  /** A failure that is not about the user's input (a host refused us, a tool is missing). */
  static failure(file: string, path: string, message: string, hint?: string): ClusterkitError {
    return new ClusterkitError([{ file, path, message, hint }], ExitCode.failure);
  }
}

export function formatIssue(issue: Issue): string {
  let line = `${issue.file}: ${issue.path || "(file)"}: ${issue.message}`;
  if (issue.expected !== undefined || issue.found !== undefined) {
    const parts: string[] = [];
    if (issue.expected !== undefined) parts.push(`expected ${issue.expected}`);
    if (issue.found !== undefined) parts.push(`found ${issue.found}`);
    line += ` (${parts.join(", ")})`;
  }
  if (issue.hint) line += `\n  hint: ${issue.hint}`;
  return line;
}

export function formatWarning(w: Warning): string {
  return `warning: ${w.file}: ${w.path || "(file)"}: ${w.message}`;
}

/** Joins path segments the way users read them: `a.b[2].c`, keeping `clusterkit:x` keys intact. */
export function joinPath(segments: readonly (string | number)[]): string {
  return appendPath("", segments);
}

/** Appends segments to an already joined path. */
export function appendPath(base: string, segments: readonly (string | number)[]): string {
  return segments.reduce<string>((acc, seg) => (typeof seg === "number" ? `${acc}[${seg}]` : acc ? `${acc}.${seg}` : seg), base);
}

/** Renders a found value briefly; never call it on secret material. */
export function describeValue(value: unknown): string {
  if (value === undefined) return "nothing";
  if (value === null) return "null";
  if (Array.isArray(value)) return `a list of ${value.length}`;
  if (typeof value === "object") return "an object";
  if (typeof value === "string") return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  return String(value);
}
