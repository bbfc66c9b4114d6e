/** Runs the real `clusterkit` CLI as a subprocess, the way users do. */
import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { repoRoot } from "./temp-project";

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function clusterkit(args: string[], cwd = repoRoot, env: NodeJS.ProcessEnv = {}): CliResult {
  const r = spawnSync(process.execPath, [path.join(repoRoot, "cli", "bin.js"), ...args], {
    cwd,
    encoding: "utf8",
    env: { ...process.env, ...env },
    timeout: 120_000,
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}
