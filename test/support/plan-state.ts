/**
 * The `clusterkit plan --state` tests' shared setup: a state export of a stack as just deployed,
 * built once per file by running the program in its own process (plan-state-fixture.ts), and fresh
 * copies of the examples that hold it, to edit before each plan.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { repoRoot, tempProject, type TempProject } from "./temp-project";

/** Runs plan-state-fixture.ts for `stack` in the project at `root` and returns the export's text. */
export function deployedState(root: string, stack: string): string {
  const r = spawnSync(process.execPath, ["--import", "tsx", path.join(repoRoot, "test", "plan-state-fixture.ts"), root, stack], { encoding: "utf8", cwd: root, maxBuffer: 64 << 20 });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
}

/** A fresh copy of the examples with `state` in it as state.json, edited by `edit`. */
export function projectWithState(prefix: string, state: string, edit: (t: TempProject) => void = () => {}): TempProject {
  const t = tempProject(prefix);
  t.write("state.json", state);
  edit(t);
  return t;
}

/** Replaces `from` in `file`; fails if `from` is not there, so a stale edit cannot pass as "no change". */
export function replaceIn(t: TempProject, file: string, from: string | RegExp, to: string): void {
  const before = t.read(file);
  const after = before.replace(from, to);
  assert.notEqual(after, before, `${from} is in ${file}`);
  t.write(file, after);
}
