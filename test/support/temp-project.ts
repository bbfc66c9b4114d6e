/**
 * A throwaway copy of the project for tests that write or break stack and blueprint files: the
 * config folders are copied, the code and node_modules are symlinked.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

export const repoRoot = path.resolve(__dirname, "..", "..");

const copied = ["Pulumi.yaml", "blueprints", "stacks"];
const linked = ["index.ts", "core", "components", "providers", "cli", "node_modules", "package.json", "tsconfig.json"];

export function tempProject(prefix = "clusterkit-test-"): { root: string; write(rel: string, content: string): void; read(rel: string): string; cleanup(): void } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  for (const name of copied) fs.cpSync(path.join(repoRoot, name), path.join(root, name), { recursive: true });
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
