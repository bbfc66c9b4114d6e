// Timings of the fake-host harness: fleet start/stop, first ssh command, and a
// real etcd's start to healthy. Run: node --import tsx test/hosts/bench.ts [rounds]
import { startFleet } from "./harness";
import { connectPinned } from "./ssh-client";

const rounds = Number(process.argv[2] ?? 3);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

// Sources the stand-in libraries inside the host and times etcd_start alone.
const ETCD_TIMING = `source /usr/local/lib/clusterkit-standin/lib/common.sh
source "$STANDIN_LIB/nodes.sh"; source "$STANDIN_LIB/etcd.sh"
t0=$EPOCHREALTIME
etcd_start bench new "bench=http://$HOST_IP:2380" >/dev/null
t1=$EPOCHREALTIME
etcd_stop; rm -rf /var/lib/etcd
echo $(( (\${t1/./} - \${t0/./}) / 1000 ))`;

async function main(): Promise<void> {
  for (const n of [3, 6]) {
    const up: number[] = [];
    const down: number[] = [];
    const firstSsh: number[] = [];
    const etcd: number[] = [];
    for (let i = 0; i < rounds; i++) {
      const fleet = await startFleet(Array.from({ length: n }, (_, k) => ({ name: `h${k}` })));
      up.push(fleet.startupMs);
      try {
        const t = Date.now();
        const ssh = await connectPinned(fleet, fleet.hosts[0]!);
        await ssh.execCommand("true");
        firstSsh.push(Date.now() - t);
        ssh.dispose();
        if (n === 3) etcd.push(Number((await fleet.hosts[0]!.exec(ETCD_TIMING)).stdout.trim()));
      } finally {
        const t = Date.now();
        await fleet.stop();
        down.push(Date.now() - t);
      }
    }
    console.log(`${n} hosts: up ${median(up)} ms, down ${median(down)} ms, ssh connect+exec ${median(firstSsh)} ms` +
      (etcd.length ? `, etcd start->healthy ${median(etcd)} ms` : "") + ` (median of ${rounds})`);
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
