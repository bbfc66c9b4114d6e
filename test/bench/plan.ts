// The plan section of `npm run bench` (alone: `npm run bench:plan`; no root, no hosts needed).
// Every figure is a whole process, `node cli/bin.js …` as a user runs it, node start-up included,
// repeated BENCH_RUNS times (default 5): min/median/max wall time and the median CPU time (user +
// system of the child, from /proc: steadier than wall time on a busy machine). Targets are judged
// on the median wall time and printed as held or MISSED; the load average is printed before and
// after, so a figure taken on a busy machine says so.
//  - plan of generated bare-metal and vSphere stacks of 10, 50, 100 and 200 nodes, with the fixed
//    cost and the cost per node from a least-squares line, and whether growth stays linear;
//  - plan of every example stack, `validate` of the examples, `--help`, and `npx clusterkit --help`.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { exampleStacks, repoRoot, tempProject } from "../support/temp-project";
import { median } from "./stats";

const runs = Math.max(1, Number(process.env.BENCH_RUNS ?? 5));
const sizes = [10, 50, 100, 200];
const bin = path.join(repoRoot, "cli", "bin.js");

interface Figures {
  wall: number[];
  cpu: number[];
}


/** CPU seconds of this process's waited-for children so far (cutime + cstime in /proc/self/stat). */
function childrenCpu(): number {
  const fields = fs.readFileSync("/proc/self/stat", "utf8").split(") ")[1]!.split(" ");
  // After "pid (comm) ", field 3 is the state; cutime and cstime are fields 16 and 17.
  return (Number(fields[16 - 3]) + Number(fields[17 - 3])) / 100;
}

function measure(label: string, cmd: string, args: string[], cwd: string): Figures {
  const f: Figures = { wall: [], cpu: [] };
  for (let i = 0; i < runs; i++) {
    const cpu0 = childrenCpu();
    const t0 = process.hrtime.bigint();
    const r = spawnSync(cmd, args, { cwd, encoding: "utf8", maxBuffer: 1 << 28, env: { ...process.env, COLUMNS: "120" } });
    f.wall.push(Number(process.hrtime.bigint() - t0) / 1e9);
    f.cpu.push(childrenCpu() - cpu0);
    if (r.status !== 0) throw new Error(`${label}: exit ${r.status}\n${(r.stderr ?? "").slice(-2000)}`);
  }
  return f;
}

const sec = (x: number) => `${x.toFixed(2)} s`;
const row = (label: string, f: Figures) =>
  `  ${label.padEnd(34)} wall min ${sec(Math.min(...f.wall))}  median ${sec(median(f.wall))}  max ${sec(Math.max(...f.wall))}   CPU median ${sec(median(f.cpu))}`;

/** Least squares y = a + b·x, with R². */
function fit(xs: number[], ys: number[]): { fixed: number; perNode: number; r2: number } {
  const n = xs.length;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  const sxy = xs.reduce((a, x, i) => a + (x - mx) * (ys[i]! - my), 0);
  const sxx = xs.reduce((a, x) => a + (x - mx) ** 2, 0);
  const perNode = sxy / sxx;
  const fixed = my - perNode * mx;
  const ssRes = ys.reduce((a, y, i) => a + (y - (fixed + perNode * xs[i]!)) ** 2, 0);
  const ssTot = ys.reduce((a, y) => a + (y - my) ** 2, 0);
  return { fixed, perNode, r2: ssTot ? 1 - ssRes / ssTot : 1 };
}

/** A fingerprint-shaped host key per host name (the plan only pins it; nothing connects). */
const hostKey = (name: string) => `SHA256:${createHash("sha256").update(name).digest("base64").replace(/=+$/, "")}`;

/** Addresses in 10.200.0.0/22 (away from the examples' ranges), from .0.20 on. */
const address = (i: number) => `10.200.${Math.floor((i + 20) / 256)}.${(i + 20) % 256}`;

export function baremetalStack(nodes: number): string {
  const hosts = Array.from({ length: nodes }, (_, i) => {
    const name = i < 3 ? `bench-cp-${i + 1}` : `bench-worker-${i - 2}`;
    return { name, address: address(i), role: i < 3 ? "control-plane" : "worker", sshUser: "ubuntu", hostKey: hostKey(name) };
  });
  return JSON.stringify({
    config: {
      "clusterkit:blueprint": "baremetal-ha",
      "clusterkit:region": `bench${nodes}`,
      "clusterkit:variables": {
        nodeCidr: "10.200.0.0/22",
        podCidr: "10.210.0.0/16",
        serviceCidr: "10.211.0.0/20",
        controlPlaneVip: "10.200.0.10",
        ingressAddressPool: "10.200.3.240-10.200.3.250",
        hosts,
      },
    },
  });
}

export function vsphereStack(nodes: number): string {
  return JSON.stringify({
    config: {
      "clusterkit:blueprint": "vsphere-ha",
      "clusterkit:region": `bench${nodes}`,
      "clusterkit:overrides": { nodePools: { workers: { count: nodes - 3 } } },
      "clusterkit:variables": {
        vcenterServer: "vcenter.bench.example.com",
        vcenterUser: "svc-clusterkit@vsphere.local",
        datacenter: "BENCH",
        computeCluster: "BENCH-compute",
        datastore: "vsanDatastore",
        network: "k8s-bench",
        template: "ubuntu-24.04-k8s-template",
        nodeCidr: "10.200.0.0/22",
        gateway: "10.200.0.1",
        nameservers: ["10.200.0.2", "10.200.0.3"],
        controlPlaneVip: "10.200.0.10",
        nodeIps: Array.from({ length: nodes }, (_, i) => address(i)),
        podCidr: "10.210.0.0/16",
        serviceCidr: "10.211.0.0/20",
        ingressAddressPool: "10.200.3.240-10.200.3.250",
      },
    },
  });
}

interface Target {
  what: string;
  limit: number;
  seconds: number;
}

const loadavg = () => os.loadavg().map((l) => l.toFixed(2)).join(", ");

/** Runs the plan section; returns false when a target was missed. */
export function planBench(): boolean {
  const project = tempProject("clusterkit-bench-");
  const targets: Target[] = [];
  let linear = true;
  try {
    console.log(`Plan and CLI start-up, whole processes (node ${process.version}, ${os.cpus().length} CPUs), ${runs} runs each; load average before: ${loadavg()}`);
    // The first run after a source change compiles the CLI (cli/compile.js); that is not what is measured.
    measure("warm-up", process.execPath, [bin, "--help"], project.root);

    const series: Record<string, { nodes: number[]; wall: number[]; cpu: number[] }> = {};
    for (const [platform, gen] of [
      ["bare metal", baremetalStack],
      ["vSphere", vsphereStack],
    ] as const) {
      const s = (series[platform] = { nodes: [] as number[], wall: [] as number[], cpu: [] as number[] });
      console.log(`\nplan of a generated ${platform} stack:`);
      for (const n of sizes) {
        const stack = `bench-${platform === "vSphere" ? "vsphere" : "metal"}-${n}`;
        project.write(`stacks/Pulumi.${stack}.yaml`, gen(n));
        const f = measure(`${platform} ${n}`, process.execPath, [bin, "plan", "--stack", stack], project.root);
        fs.rmSync(path.join(project.root, `stacks/Pulumi.${stack}.yaml`));
        console.log(row(`${n} nodes`, f));
        s.nodes.push(n);
        s.wall.push(median(f.wall));
        s.cpu.push(median(f.cpu));
        if (n === 100) targets.push({ what: `plan of a 100-node ${platform} stack`, limit: platform === "vSphere" ? 4 : 3, seconds: median(f.wall) });
      }
      const w = fit(s.nodes, s.wall);
      const c = fit(s.nodes, s.cpu);
      // Linear: the last step (100 → 200 nodes) costs per node at most 1.5× the first (10 → 100), on CPU time.
      const first = (s.cpu[2]! - s.cpu[0]!) / (sizes[2]! - sizes[0]!);
      const last = (s.cpu[3]! - s.cpu[2]!) / (sizes[3]! - sizes[2]!);
      const isLinear = last <= 1.5 * Math.max(first, 0.001);
      linear &&= isLinear;
      console.log(`  least squares, wall: fixed ${sec(w.fixed)} + ${(w.perNode * 1000).toFixed(1)} ms per node (R² ${w.r2.toFixed(3)})`);
      console.log(`  least squares, CPU:  fixed ${sec(c.fixed)} + ${(c.perNode * 1000).toFixed(1)} ms per node (R² ${c.r2.toFixed(3)})`);
      console.log(
        `  growth: ${(first * 1000).toFixed(1)} ms CPU per node from 10 to 100 nodes, ${(last * 1000).toFixed(1)} ms from 100 to 200: ${isLinear ? "linear, held" : "MISSED (grows faster than linear)"}`,
      );
    }

    console.log("\nplan of each example stack:");
    let slowest = 0;
    for (const stack of exampleStacks) {
      const f = measure(stack, process.execPath, [bin, "plan", "--stack", stack], project.root);
      console.log(row(stack, f));
      slowest = Math.max(slowest, median(f.wall));
    }
    targets.push({ what: "plan of any example stack (slowest)", limit: 2, seconds: slowest });

    console.log("\nother commands:");
    const validate = measure("validate", process.execPath, [bin, "validate"], project.root);
    console.log(row("validate (every example)", validate));
    targets.push({ what: "validate of the examples", limit: 0.5, seconds: median(validate.wall) });
    const help = measure("--help", process.execPath, [bin, "--help"], project.root);
    console.log(row("node cli/bin.js --help", help));
    targets.push({ what: "--help (node cli/bin.js)", limit: 0.3, seconds: median(help.wall) });
    // For the README: what npx adds (it resolves the bin through npm's own start-up first).
    const npx = measure("npx --help", "npx", ["--no-install", "clusterkit", "--help"], repoRoot);
    console.log(row("npx clusterkit --help (no target)", npx));

    console.log(`\nload average after: ${loadavg()}`);
    console.log("targets (median wall time):");
    for (const t of targets) console.log(`  ${t.what.padEnd(42)} ${sec(t.seconds).padStart(8)}  limit ${sec(t.limit)}  ${t.seconds < t.limit ? "held" : "MISSED"}`);
    console.log(`  ${"growth linear in nodes".padEnd(42)} ${linear ? "held" : "MISSED"}`);
    return linear && targets.every((t) => t.seconds < t.limit);
  } finally {
    project.cleanup();
  }
}

if (require.main === module) {
  if (!planBench()) process.exitCode = 1;
}
