/**
 * A host as the node phases see it: run a script, probe with a read-only check, read and write
 * files. File contents always travel on stdin, never on the command line (where `ps` and audit logs
 * would see them), and are written atomically with the mode they need.
 */
import { createHash } from "node:crypto";
import { shellQuote } from "./command";
import type { SshPool } from "./pool";
import { registerSecret } from "./redact";
import type { ExecOptions, ExecResult, SshTarget } from "./types";

export interface RemoteFile {
  path: string;
  content: string;
  /** Octal, e.g. "0600". */
  mode: string;
  /** Whether the content is secret (kept out of every message). */
  secret?: boolean;
}

export const sha256 = (s: string | Buffer) => createHash("sha256").update(s).digest("hex");

export class RemoteHost {
  constructor(
    private readonly pool: SshPool,
    readonly target: SshTarget,
  ) {}

  get name(): string {
    return this.target.name;
  }

  get address(): string {
    return this.target.address;
  }

  run(script: string, o: ExecOptions): Promise<ExecResult> {
    return this.pool.exec(this.target, script, o);
  }

  /** A read-only check: true when it exits 0, false on exit 1; anything else is a failure. */
  async test(script: string, step: string, timeoutMs?: number): Promise<boolean> {
    const r = await this.run(script, { step, mutating: false, okCodes: [0, 1], timeoutMs });
    return r.code === 0;
  }

  /** Standard output of a read-only command, trimmed. */
  async read(script: string, step: string, timeoutMs?: number): Promise<string> {
    return (await this.run(script, { step, mutating: false, timeoutMs })).stdout.trim();
  }

  /** sha256 of each file, or null where it does not exist. */
  async fileHashes(paths: string[], step: string): Promise<Record<string, string | null>> {
    if (!paths.length) return {};
    const script = paths.map((p) => `if [ -f ${shellQuote(p)} ]; then sha256sum ${shellQuote(p)}; else echo "- ${p}"; fi`).join("\n");
    const out = await this.read(script, step);
    const result: Record<string, string | null> = Object.fromEntries(paths.map((p) => [p, null]));
    for (const line of out.split("\n")) {
      const m = /^([0-9a-f]{64}|-)\s+(.*)$/.exec(line.trim());
      if (m && m[2] in result) result[m[2]] = m[1] === "-" ? null : m[1];
    }
    return result;
  }

  /** The files whose content on the host differs (or that are missing). Read-only. */
  async staleFiles(files: RemoteFile[], step: string): Promise<RemoteFile[]> {
    const hashes = await this.fileHashes(files.map((f) => f.path), step);
    return files.filter((f) => hashes[f.path] !== sha256(f.content));
  }

  /** Writes only the files whose content differs; returns the paths written. */
  async syncFiles(files: RemoteFile[], step: string): Promise<string[]> {
    const stale = await this.staleFiles(files, step);
    await this.writeFiles(stale, step);
    return stale.map((f) => f.path);
  }

  /** Writes files at once (one channel each on the host's connection). */
  async writeFiles(files: RemoteFile[], step: string): Promise<void> {
    await Promise.all(files.map((f) => this.writeFile(f, step)));
  }

  async writeFile(f: RemoteFile, step: string): Promise<void> {
    if (f.secret) registerSecret(f.content);
    const p = shellQuote(f.path);
    const tmp = shellQuote(`${f.path}.clusterkit-tmp`);
    await this.run(`umask 077\nmkdir -p "$(dirname ${p})"\ncat > ${tmp}\nchmod ${f.mode} ${tmp}\nmv -f ${tmp} ${p}`, {
      step,
      mutating: true,
      stdin: f.content,
      secrets: f.secret ? [f.content] : undefined,
    });
  }
}
