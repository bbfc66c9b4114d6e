/**
 * A secret of a stack as the CLI reads it: from a file named on the command line, else from the
 * stack's config through the Pulumi CLI (which decrypts it with the stack's secrets provider).
 * The value is never printed, and neither is the command's output when it fails.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { ClusterkitError } from "../core/errors";

export interface SecretSource {
  /** The stack config key, e.g. clusterkit:sshPrivateKey. */
  configKey: string;
  /** The command-line flag that names a file instead, e.g. --ssh-key. */
  flag: string;
  /** An example of the flag's use for the hint. */
  example: string;
}

export function readSecretFile(file: string, flag: string, cwd = process.cwd()): string {
  try {
    return fs.readFileSync(path.resolve(cwd, file), "utf8");
  } catch (e) {
    throw new ClusterkitError([{ file: "(command line)", path: flag, message: `cannot read the key file: ${(e as NodeJS.ErrnoException).code ?? String(e)}`, found: JSON.stringify(file) }]);
  }
}

/**
 * The stdout of a Pulumi CLI command run in the project; throws (with nothing of its output, which
 * may hold a secret) when it fails. stderr is dropped for the same reason.
 */
export function pulumiOutput(root: string, args: string[]): string {
  return execFileSync("pulumi", args, { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"], maxBuffer: 512 * 1024 * 1024, env: { ...process.env, PULUMI_SKIP_UPDATE_CHECK: "true" } });
}

export function stackSecret(root: string, stack: string, source: SecretSource, file: string | undefined): string {
  if (file) return readSecretFile(file, source.flag);
  try {
    return pulumiOutput(root, ["config", "get", source.configKey, "--stack", stack]);
  } catch {
    throw new ClusterkitError([
      {
        file: "(command line)",
        path: source.flag,
        message: `the secret ${source.configKey} could not be read from the stack with the Pulumi CLI`,
        hint: `log in to the stack's backend (pulumi login) and set it (pulumi config set --secret ${source.configKey} --stack ${stack}), or pass a file: ${source.example}`,
      },
    ]);
  }
}
