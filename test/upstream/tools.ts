/**
 * Where the upstream test tools built by test/upstream/build.sh live, and whether a tier that needs
 * them runs. A tier whose tools are not built is skipped with the reason, unless
 * CLUSTERKIT_REQUIRE_UPSTREAM=1 (what CI sets once it builds the tools): then it fails, because a
 * tier that silently did not run proves nothing.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { isExecutable } from "../../cli/drift/find-pulumi";

const buildScript = path.join(__dirname, "build.sh");

/** True when a missing tool must fail the run rather than skip a tier. */
export const upstreamRequired = process.env.CLUSTERKIT_REQUIRE_UPSTREAM === "1";

let binDir: string | undefined;

/** The bin folder for the pinned versions; `--print-dir` computes it without building or needing Go. */
export function upstreamBinDir(): string {
  binDir ??= execFileSync("bash", [buildScript, "--print-dir"], { encoding: "utf8" }).trim();
  return binDir;
}

export interface ToolLookup {
  /** Absolute path of each tool asked for, when all of them are built. */
  paths: Record<string, string>;
  /** Why the tier cannot run: the tools that are missing and how to build them. Null when all are there. */
  missing: string | null;
}

export function findTools(names: readonly string[]): ToolLookup {
  const dir = upstreamBinDir();
  waitWhileBuilding(path.dirname(dir), names);
  const paths = Object.fromEntries(names.map((n) => [n, path.join(dir, n)]));
  const absent = names.filter((n) => !isExecutable(paths[n]));
  if (absent.length === 0) return { paths, missing: null };
  const refused = refusedTools(dir);
  const why = absent.map((n) => (refused.has(n) ? `${n} (the module proxy refused it: ${refused.get(n)})` : n));
  return { paths, missing: `upstream tools not built: ${why.join(", ")}; run \`bash test/upstream/build.sh\` (needs Go; the first build takes tens of minutes)` };
}

/**
 * The node:test option that skips a tier whose tools are missing, or throws when they are required.
 * Called while tests are declared, so the failure names the tier before any test of it starts.
 */
export function tierSkip(tier: string, lookup: ToolLookup): { skip: string | false } {
  if (!lookup.missing) return { skip: false };
  if (upstreamRequired) throw new Error(`${tier}: ${lookup.missing} (required here: CLUSTERKIT_REQUIRE_UPSTREAM=1)`);
  return { skip: lookup.missing };
}

/**
 * While build.sh runs (its PID in `<key>/building`), waits until each tool has its `<key>/ready/`
 * mark (built and checked) or the build ends, so a tier starts as soon as its own tools are there
 * rather than after the whole build. Synchronous: the tiers look their tools up while declaring tests.
 */
function waitWhileBuilding(keyDir: string, names: readonly string[]): void {
  const started = Date.now();
  let noted = 0;
  for (;;) {
    if (!buildRunning(path.join(keyDir, "building"))) return;
    const waiting = names.filter((n) => !fs.existsSync(path.join(keyDir, "ready", n)));
    if (waiting.length === 0) return;
    if (Date.now() - noted >= 60_000) {
      const so = Math.round((Date.now() - started) / 1000);
      process.stderr.write(`upstream tools: waiting for ${waiting.join(", ")}, which test/upstream/build.sh is building (${so} s so far)\n`);
      noted = Date.now();
    }
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 2000);
  }
}

/** Whether the PID in build.sh's `building` file is a live build.sh (not a reused PID). */
function buildRunning(marker: string): boolean {
  try {
    const pid = fs.readFileSync(marker, "utf8").trim();
    return /^\d+$/.test(pid) && fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").includes("build.sh");
  } catch {
    return false;
  }
}

/** build.sh records, per tool it could not build because the proxy refused a module, the go error. */
function refusedTools(dir: string): Map<string, string> {
  const file = path.join(path.dirname(dir), "missing.txt");
  if (!fs.existsSync(file)) return new Map();
  const rows = fs.readFileSync(file, "utf8").split("\n").filter(Boolean).map((l) => l.split("\t"));
  return new Map(rows.map(([tool, ...why]) => [tool, why.join(" ")]));
}
