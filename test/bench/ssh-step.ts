// The SSH step section of `npm run bench` (alone: BENCH_ONLY=ssh; needs root for the host fleet).
// What one step costs beyond the command itself: a no-op script sent through clusterkit's SSH layer
// (a RemoteHost check through the run's SshPool, as every phase sends one: the wrapper, a channel
// on a warm connection, the host's sshd session and shell) against the same no-op run locally as a child process (`bash -c true`: what any command
// costs without SSH). Also the bare channel (ssh2's exec of `true`, no wrapper), so a figure says
// whether the time is on the wire or in the wrapper, and the same step as a sudo user. Runs
// BENCH_SSH_STEPS steps per figure (default 300) after 20 warm-up steps, one at a time, repeated
// BENCH_SSH_ROUNDS times (default 3) with the figures interleaved; each round's median is kept and
// min/median/max of those are printed, with the load average before and after. The target is on
// the median round: the layer's median step minus the local median, 5 ms or less.
import { spawn } from "node:child_process";
import { NodeSSH } from "node-ssh";
import { SshPool } from "../../providers/ssh/pool";
import { RemoteHost } from "../../providers/ssh/remote";
import { openTcp } from "../../providers/ssh/socket";
import { startFleet, type Fleet } from "../hosts/harness";
import { loadAverage as load, median, spread } from "./stats";

const steps = Math.max(10, Number(process.env.BENCH_SSH_STEPS ?? 300));
const rounds = Math.max(1, Number(process.env.BENCH_SSH_ROUNDS ?? 3));
const warmup = 20;
const targetMs = 5;

const ms = (x: number) => `${x.toFixed(2)} ms`;

async function timed(n: number, one: () => Promise<void>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = process.hrtime.bigint();
    await one();
    out.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return out;
}

function localTrue(): Promise<void> {
  return new Promise((resolve, reject) => {
    const p = spawn("bash", ["-c", "true"], { stdio: "ignore" });
    p.on("error", reject);
    p.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`bash -c true exited ${code}`))));
  });
}

/** A host as the phases see it: through the run's pool, the way every step reaches its host. */
function remoteHost(pool: SshPool, fleet: Fleet, user: string): RemoteHost {
  const h = fleet.hosts[0]!;
  return new RemoteHost(pool, { name: h.name, address: h.address, port: h.port, user, hostKey: h.hostKeyFingerprint, privateKey: fleet.clientKey.privateKeyPem, trustOnFirstUse: false, bastion: null });
}

async function bareChannel(fleet: Fleet): Promise<NodeSSH> {
  const h = fleet.hosts[0]!;
  const ssh = new NodeSSH();
  // The layer's own socket (TCP_NODELAY), so the two differ only in what runs over the channel.
  const sock = await openTcp(h, 5000);
  await ssh.connect({ sock, username: "root", privateKey: fleet.clientKey.privateKeyPem, hostVerifier: () => true });
  return ssh;
}

/** Returns whether the target held. */
export async function sshStepBench(): Promise<boolean> {
  const fleet = await startFleet([{ name: "bench-1", users: [{ name: "deploy", sudo: "nopasswd" }] }]);
  const pool = new SshPool({ concurrency: 10, log: () => undefined });
  const root = remoteHost(pool, fleet, "root");
  const sudo = remoteHost(pool, fleet, "deploy");
  const bare = await bareChannel(fleet);
  try {
    const figures: Record<string, () => Promise<void>> = {
      "local `bash -c true` (child process)": localTrue,
      "bare ssh2 channel, `true`": async () => void (await bare.execCommand("true")),
      "clusterkit step as root": async () => void (await root.test("true", "bench")),
      "clusterkit step through sudo -n": async () => void (await sudo.test("true", "bench")),
    };
    const medians: Record<string, number[]> = Object.fromEntries(Object.keys(figures).map((k) => [k, []]));
    for (const one of Object.values(figures)) await timed(warmup, one);
    const loadBefore = load();
    for (let r = 0; r < rounds; r++) for (const [k, one] of Object.entries(figures)) medians[k]!.push(median(await timed(steps, one)));
    const loadAfter = load();
    console.log(`\nSSH step overhead: a no-op step on a warm connection, ${steps} steps per figure, ${rounds} round(s), median per round (load average ${loadBefore} → ${loadAfter}):`);
    for (const [k, xs] of Object.entries(medians)) console.log(`  ${k.padEnd(40)} ${spread(xs, ms)}`);
    const local = medians["local `bash -c true` (child process)"]!;
    const overhead = medians["clusterkit step as root"]!.map((x, i) => x - local[i]!);
    const sudoOverhead = medians["clusterkit step through sudo -n"]!.map((x, i) => x - local[i]!);
    const held = median(overhead) <= targetMs;
    console.log(`  overhead per step (clusterkit step minus local): ${spread(overhead, ms)}; target ${targetMs} ms or less: ${held ? "held" : "MISSED"}`);
    console.log(`  overhead per step through sudo: ${spread(sudoOverhead, ms)} (not judged: sudo's own start-up is the host's)`);
    return held;
  } finally {
    pool.closeAll();
    bare.dispose();
    await fleet.stop();
  }
}

if (require.main === module) {
  sshStepBench().then(
    (held) => (process.exitCode = held ? 0 : 1),
    (e: unknown) => {
      console.error(e);
      process.exitCode = 1;
    },
  );
}
