// The host-preparation comparison of `npm run bench`: clusterkit against ansible-playbook
// (pipelining, ControlPersist, free strategy), both as whole processes (node start-up and module
// loading included, as ansible's Python start-up is), on the same fresh fake hosts and the same
// commands: detect-os, then per step its check, its apply when the check says so, and the check
// again. Two step sets:
//  - no-op: NOOP_STEPS steps whose apply only touches a marker file, so what is compared is each
//    tool's cost per command;
//  - real: the host-preparation scripts clusterkit renders for the example blueprint, against the
//    hosts' stand-ins with no configured sleeps, so the stand-ins cost what they cost on their own.
// For each fleet size (BENCH_PREP_HOSTS, default "3,20") and set, BENCH_PREP_RUNS runs (default 5)
// of each tool, interleaved (clusterkit, ansible, clusterkit, ...), each on a fleet of its own
// started fresh (BENCH_PREP_SETS picks the sets, default "no-op,real"). Prints min/median/max of
// each tool, the ratio of the medians and the load average before and after. The goal: ansible takes 10× as long or more on the real set; a miss is printed
// as MISSED and makes the bench fail.
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { TestCluster } from "../baremetal/cluster";
import type { HostPrepInputs, HostStepSpec } from "../../providers/kubeadm/types";
import { runAnsible } from "./ansible";
import { loadAverage as load, median, spread } from "./stats";

const runs = Math.max(1, Number(process.env.BENCH_PREP_RUNS ?? 5));
const sizes = (process.env.BENCH_PREP_HOSTS ?? "3,20").split(",").map(Number).filter((n) => n >= 1);
const sets = (process.env.BENCH_PREP_SETS ?? "no-op,real").split(",").filter((x): x is StepSet => x === "no-op" || x === "real");
const NOOP_STEPS = 16;
const goal = 10;

const sec = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

function noopSteps(): HostStepSpec[] {
  return Array.from({ length: NOOP_STEPS }, (_, i) => ({
    name: `noop-${i + 1}`,
    description: "a marker file",
    check: `[ -e /var/tmp/ck-bench/${i + 1} ]`,
    apply: `mkdir -p /var/tmp/ck-bench && : > /var/tmp/ck-bench/${i + 1}`,
  }));
}

type StepSet = "no-op" | "real";

/** One fresh fleet of K hosts, one control plane and the rest workers, stopped after `use`. */
async function onFreshFleet<T>(k: number, use: (c: TestCluster) => Promise<T> | T): Promise<T> {
  const c = await TestCluster.start({ controlPlanes: 1, workers: k - 1 });
  try {
    return await use(c);
  } finally {
    await c.stop();
  }
}

function prepInputs(c: TestCluster, set: StepSet): HostPrepInputs[] {
  return c.names.map((n) => {
    const prep = c.inputs(n).prep;
    return set === "real" ? prep : { ...prep, steps: noopSteps() };
  });
}

/** clusterkit as a whole process: test/bench/prep-driver.js with the fleet's inputs. */
function runClusterkit(inputs: HostPrepInputs[]): number {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ck-bench-prep-"));
  try {
    const file = path.join(dir, "inputs.json");
    fs.writeFileSync(file, JSON.stringify(inputs), { mode: 0o600 });
    const t0 = process.hrtime.bigint();
    const r = spawnSync(process.execPath, [path.join(__dirname, "prep-driver.js"), file], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    if (r.status !== 0) throw new Error(`clusterkit host preparation failed:\n${(r.stderr ?? "").slice(-3000)}`);
    return ms;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Returns whether the goal held on every fleet size. */
export async function hostPrepComparison(): Promise<boolean> {
  let held = true;
  for (const k of sizes) {
    for (const set of sets) {
      const ours: number[] = [];
      const theirs: number[] = [];
      let commands = 0;
      const loadBefore = load();
      for (let r = 0; r < runs; r++) {
        ours.push(await onFreshFleet(k, (c) => runClusterkit(prepInputs(c, set))));
        theirs.push(
          await onFreshFleet(k, (c) => {
            const [first] = prepInputs(c, set);
            commands = 1 + first!.steps.length * 3;
            const a = runAnsible(c.fleet, first!.detectOs, first!.steps);
            if (!a.ok) throw new Error(`ansible-playbook failed:\n${a.output.slice(-3000)}`);
            return a.ms;
          }),
        );
      }
      const ratio = median(theirs) / median(ours);
      const judged = set === "real";
      const ok = ratio >= goal;
      if (judged && !ok) held = false;
      console.log(`\nHost preparation, ${set} steps, ${k} fresh hosts, up to ${commands} commands per host, ${runs} run(s) of each, interleaved (load average ${loadBefore} → ${load()}):`);
      console.log(`  clusterkit (node process, compiled copy): ${spread(ours, sec)}`);
      console.log(`  ansible-playbook (pipelining, ControlPersist, free): ${spread(theirs, sec)}`);
      console.log(`  ratio of the medians: ansible takes ${ratio.toFixed(1)}× as long${judged ? `; goal ${goal}× or more: ${ok ? "held" : "MISSED"}` : " (not judged)"}`);
    }
  }
  return held;
}
