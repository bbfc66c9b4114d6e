/**
 * Golden-file comparison for rendered artifacts. `UPDATE_GOLDEN=1` rewrites the folder (stale files
 * removed); otherwise every file must match and none may be missing or extra.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";

export const goldenRoot = __dirname;

function listFiles(dir: string, base = dir): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? listFiles(path.join(dir, e.name), base) : [path.relative(base, path.join(dir, e.name))]));
}

export function expectGolden(rel: string, files: { path: string; content: string }[]): void {
  const dir = path.join(goldenRoot, rel);
  if (process.env.UPDATE_GOLDEN === "1") {
    fs.rmSync(dir, { recursive: true, force: true });
    for (const f of files) {
      fs.mkdirSync(path.dirname(path.join(dir, f.path)), { recursive: true });
      fs.writeFileSync(path.join(dir, f.path), f.content);
    }
    return;
  }
  const hint = "run the tests with UPDATE_GOLDEN=1 after checking the change is intended";
  assert.deepEqual(listFiles(dir).sort(), files.map((f) => f.path).sort(), `golden file list of ${rel} differs; ${hint}`);
  for (const f of files) assert.equal(f.content, fs.readFileSync(path.join(dir, f.path), "utf8"), `${rel}/${f.path} differs from its golden file; ${hint}`);
}
