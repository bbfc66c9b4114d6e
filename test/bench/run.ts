// `npm run bench` (not part of `npm test`; needs root and test/bench/setup-deps.sh):
//  1. the host-preparation step list on K fresh fake hosts, once through clusterkit's SSH layer
//     (in process, one TCP_NODELAY connection per host) and once with ansible-playbook
//     (pipelining, ControlPersist, free strategy), on two fresh fleets: both times and the ratio;
//  2. an HA bootstrap (3 control planes, 3 workers) with stand-in step durations set, its wall
//     time against the critical path computed from those durations: the orchestration overhead
//     must stay under 10 % of the critical path (exit code 1 otherwise).
// BENCH_HOSTS=K (default 3) sets K for part 1; BENCH_SCALE=x scales the stand-in durations of part 2.
import { closeConnections, setLogger } from "../../providers/kubeadm/context";
import { hostPreparation } from "../../providers/kubeadm/runtime";
import { TestCluster } from "../baremetal/cluster";
import { runAnsible } from "./ansible";
import { criticalPath, type Durations } from "./critical-path";

const K = Number(process.env.BENCH_HOSTS ?? 3);

/** Stand-in sleeps for the HA run, in proportion to real ones (apt, kubeadm init/join take tens of seconds). */
const scale = Number(process.env.BENCH_SCALE ?? 1);
const durations: Durations = Object.fromEntries(
  Object.entries({ "package-install": 15000, "service-start": 1000, init: 20000, join: 10000, "token-create": 500, "upload-certs": 2000 }).map(([k, v]) => [k, Math.round(v * scale)]),
);

const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

async function hostPrepComparison(): Promise<void> {
  const ours = await TestCluster.start({ controlPlanes: 1, workers: K - 1 });
  let oursMs: number;
  const steps = ours.inputs(ours.names[0]).prep;
  try {
    const t0 = Date.now();
    await Promise.all(ours.names.map((n) => hostPreparation.create(ours.inputs(n).prep)));
    oursMs = Date.now() - t0;
  } finally {
    await ours.stop();
  }
  const theirs = await TestCluster.start({ controlPlanes: 1, workers: K - 1 });
  let ansible;
  try {
    ansible = runAnsible(theirs.fleet, steps.detectOs, steps.steps);
  } finally {
    await theirs.stop();
  }
  if (!ansible.ok) throw new Error(`ansible-playbook failed:\n${ansible.output.slice(-3000)}`);
  const scripts = 1 + steps.steps.length * 3;
  console.log(`Host preparation, ${K} fresh hosts × ${steps.steps.length} steps (${scripts} scripts per host: detect-os, then check, apply, check):`);
  console.log(`  clusterkit SSH layer (node-ssh/ssh2, in process):       ${s(oursMs)}`);
  console.log(`  ansible-playbook (pipelining, ControlPersist, free):    ${s(ansible.ms)}`);
  console.log(`  ratio: ansible takes ${(ansible.ms / oursMs).toFixed(1)}× as long`);
}

async function haBootstrap(): Promise<boolean> {
  const c = await TestCluster.start({ controlPlanes: 3, workers: 3, fleet: { stepDurationsMs: durations } });
  try {
    const t0 = Date.now();
    const r = await c.up();
    const wall = Date.now() - t0;
    if (r.errors.size) throw new Error([...r.errors].map(([k, e]) => `${k}: ${e.message}`).join("\n"));
    const logs = await c.calls();
    const cp = criticalPath(c.spec.nodes, logs, durations);
    const tools = criticalPath(c.spec.nodes, logs, durations, true);
    const overhead = wall - cp.ms;
    const pct = (100 * overhead) / cp.ms;
    // The stand-ins' own work (certificates with openssl, a real etcd starting) is not
    // orchestration: the gate is on the time spent outside any stand-in along the critical path.
    const own = (100 * (wall - tools.ms)) / cp.ms;
    console.log(`\nHA bootstrap, 3 control planes + 3 workers, stand-in durations ${JSON.stringify(durations)}:`);
    console.log(`  host preparation per host (configured sleeps): ${Object.entries(cp.prep).map(([h, ms]) => `${h} ${s(ms)}`).join(", ")}`);
    console.log(`  kubeadm step per node (configured sleeps):     ${Object.entries(cp.kubeadm).map(([h, ms]) => `${h} ${s(ms)}`).join(", ")}`);
    console.log(`  critical path: ${s(cp.ms)}   wall time: ${s(wall)}   wall minus critical path: ${s(overhead)} = ${pct.toFixed(1)} % of it`);
    console.log(`  of that, the stand-ins' own work beyond their sleeps: ${s(tools.ms - cp.ms)} (critical path by measured tool time ${s(tools.ms)})`);
    console.log(`  orchestration overhead (clusterkit's own time on the critical path): ${s(wall - tools.ms)} = ${own.toFixed(1)} % of the critical path (limit 10 %)`);
    return own < 10;
  } finally {
    await c.stop();
  }
}

async function main(): Promise<void> {
  setLogger(() => undefined);
  await hostPrepComparison();
  const ok = await haBootstrap();
  closeConnections();
  if (!ok) {
    console.log("FAIL: orchestration overhead is 10 % of the critical path or more");
    process.exitCode = 1;
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
