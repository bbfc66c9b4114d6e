/**
 * Finds the Pulumi CLI before anything else runs. Without this the Automation API only learns it is
 * missing by failing to start it, once per stack, after seconds of loading, as raw spawn errors.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { ClusterkitError, ExitCode } from "../../core/errors";

const install = "install the Pulumi CLI 3.100.0 or newer (https://www.pulumi.com/docs/install/), or point --pulumi-root (or CLUSTERKIT_PULUMI_ROOT) at the folder holding bin/pulumi";

/** A regular file this process may execute. */
export function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/**
 * Throws one clear error when there is no `pulumi` to run: in `<root>/bin` when a root is given
 * (the way PulumiCommand.get looks there), else on PATH.
 */
export function requirePulumi(root: { dir: string; from: "--pulumi-root" | "CLUSTERKIT_PULUMI_ROOT" } | null, envPath = process.env.PATH ?? ""): void {
  if (root) {
    if (isExecutable(path.join(root.dir, "bin", "pulumi"))) return;
    throw new ClusterkitError(
      [{ file: root.from === "--pulumi-root" ? "(command line)" : "(environment)", path: root.from, message: `no Pulumi CLI found: ${path.join(root.dir, "bin", "pulumi")} is not an executable`, hint: install }],
      ExitCode.invalidInput,
    );
  }
  if (envPath.split(path.delimiter).some((dir) => dir && isExecutable(path.join(dir, "pulumi")))) return;
  throw new ClusterkitError([{ file: "(environment)", path: "PATH", message: "no Pulumi CLI found: no executable named pulumi on PATH", hint: install }], ExitCode.invalidInput);
}
