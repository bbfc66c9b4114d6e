/**
 * Runs the real `clusterkit` CLI as a subprocess, the way users do. By default in the shared fixture
 * project of the examples, never in the live project, whose stacks/ may hold the user's own stacks.
 */
import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { exampleRoot, repoRoot } from "./temp-project";

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function clusterkit(args: string[], cwd = exampleRoot(), env: NodeJS.ProcessEnv = {}): CliResult {
  const r = spawnSync(process.execPath, [path.join(repoRoot, "cli", "bin.js"), ...args], {
    cwd,
    encoding: "utf8",
    env: { ...process.env, ...env },
    timeout: 120_000,
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}
