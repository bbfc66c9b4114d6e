/**
 * Fixture projects: throwaway copies of the project in which tests run. Only the shipped example
 * files, named below, are copied; the code and node_modules are symlinked. Nothing here lists the
 * live stacks/ or blueprints/ folders, so a user's own stacks there (a clone-region result, a copy
 * being edited) never change what a test sees.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

export const repoRoot = path.resolve(__dirname, "..", "..");

/** The example stacks clusterkit ships; tests loop over this list, never over a directory listing. */
export const exampleStacks = ["metal-ber1", "metal-nyc1", "prod-eu-west-1", "prod-us-east-1", "vsphere-ams1", "vsphere-fra1"] as const;
export const exampleBlueprints = ["baremetal-ha", "eks-standard", "vsphere-ha"] as const;

export const exampleFiles: readonly string[] = [
  "Pulumi.yaml",
  "stacks/address-plan.yaml",
  "stacks/stack.schema.json",
  "blueprints/blueprint.schema.json",
  ...exampleStacks.map((s) => `stacks/Pulumi.${s}.yaml`),
  ...exampleBlueprints.map((b) => `blueprints/${b}.yaml`),
];
const linked = ["index.ts", "core", "components", "providers", "cli", "node_modules", "package.json", "tsconfig.json"];

export interface TempProject {
  root: string;
  write(rel: string, content: string): void;
  read(rel: string): string;
  cleanup(): void;
}

/** A fresh fixture project for tests that write or break files. `from` is where the examples are copied from. */
export function tempProject(prefix = "clusterkit-test-", from = repoRoot): TempProject {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  for (const rel of exampleFiles) {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.copyFileSync(path.join(from, rel), path.join(root, rel));
  }
  for (const name of linked) if (fs.existsSync(path.join(repoRoot, name))) fs.symlinkSync(path.join(repoRoot, name), path.join(root, name));
  return {
    root,
    write: (rel, content) => {
      fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
      fs.writeFileSync(path.join(root, rel), content);
    },
    read: (rel) => fs.readFileSync(path.join(root, rel), "utf8"),
    cleanup: () => fs.rmSync(root, { recursive: true, force: true }),
  };
}

let shared: TempProject | undefined;

/**
 * One fixture project per test process for tests that only read the examples (resolve them, plan
 * them, run the CLI on them). Removed when the process exits; write into a tempProject() instead.
 */
export function exampleRoot(): string {
  if (!shared) {
    const p = tempProject("clusterkit-examples-");
    shared = p;
    process.on("exit", () => p.cleanup());
  }
  return shared.root;
}

/** Lists every file under a folder, relative to it (to prove a command wrote nothing). */
export function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      if (e.isSymbolicLink()) continue;
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.push(path.relative(dir, p));
    }
  };
  walk(dir);
  return out.sort();
}
