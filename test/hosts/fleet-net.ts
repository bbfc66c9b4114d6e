// Root-namespace plumbing of a fleet: bridge ckbr<slot> (10.77.<slot>.1/24) and
// one netns ckh<slot>-<i> per host, its veth ckv<slot>-<i> on the bridge (the
// host side is named eth0 and configured by host-init.sh from inside).
// Hosts get no default route on purpose: nothing inside a host can send a
// packet anywhere but the fleet's own bridge, whatever the code under test does.
// Everything here is one `ip -batch` plus /proc reads: fleet start and stop
// are dominated by process starts.
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";

export const bridgeName = (slot: number) => `ckbr${slot}`;
export const netnsName = (slot: number, i: number) => `ckh${slot}-${i}`;
export const vethName = (slot: number, i: number) => `ckv${slot}-${i}`;
export const hostAddress = (slot: number, i: number) => `10.77.${slot}.${10 + i}`;

function ipBatch(lines: string[], force: boolean): { ok: boolean; stderr: string } {
  const r = spawnSync("ip", [...(force ? ["-force"] : []), "-batch", "-"], { input: lines.join("\n") + "\n", encoding: "utf8" });
  return { ok: r.status === 0, stderr: r.stderr ?? String(r.error) };
}

export function netUp(slot: number, count: number): void {
  const br = bridgeName(slot);
  const lines = [`link add ${br} type bridge`, `link set ${br} addrgenmode none`, `addr add 10.77.${slot}.1/24 dev ${br}`, `link set ${br} up`];
  for (let i = 0; i < count; i++) {
    lines.push(`netns add ${netnsName(slot, i)}`,
      `link add ${vethName(slot, i)} type veth peer name eth0 netns ${netnsName(slot, i)}`,
      `link set ${vethName(slot, i)} addrgenmode none`, `link set ${vethName(slot, i)} master ${br} up`);
  }
  const r = ipBatch(lines, false);
  if (!r.ok) throw new Error(`creating the network of fleet slot ${slot} failed: ${r.stderr}`);
}

/** Names of this slot's netns (also those of a crashed run). */
export function slotNetns(slot: number): string[] {
  const re = new RegExp(`^ckh${slot}-\\d+$`);
  try {
    return fs.readdirSync("/run/netns").filter((n) => re.test(n));
  } catch {
    return [];
  }
}

/** Pids of every process whose network namespace is one of `netns`. */
export function pidsIn(netns: string[]): number[] {
  const inodes = new Set<string>();
  for (const n of netns) {
    try {
      inodes.add(`net:[${fs.statSync(`/run/netns/${n}`).ino}]`);
    } catch {
      /* already gone */
    }
  }
  if (!inodes.size) return [];
  const pids: number[] = [];
  for (const e of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(e)) continue;
    try {
      if (inodes.has(fs.readlinkSync(`/proc/${e}/ns/net`))) pids.push(Number(e));
    } catch {
      /* exited meanwhile */
    }
  }
  return pids;
}

const sleepSync = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/** Kills everything in the slot's namespaces, then deletes veths, netns and bridge. */
export function netDown(slot: number): void {
  const netns = slotNetns(slot);
  // Re-list until empty: a process forked while we were killing (sshd accepting
  // a connection) would otherwise keep its namespace, and veth, alive.
  for (let tries = 0; tries < 300; tries++) {
    const pids = pidsIn(netns);
    if (!pids.length) break;
    for (const p of pids) {
      try {
        process.kill(p, "SIGKILL");
      } catch {
        /* gone */
      }
    }
    sleepSync(5);
  }
  // Deleting the root-side veth removes both ends at once; the kernel frees a
  // namespace asynchronously, and another process's private mount namespace
  // can pin it (see host-init.sh), which would leave the veth behind.
  const veths = fs.readdirSync("/sys/class/net").filter((n) => new RegExp(`^ckv${slot}-\\d+$`).test(n));
  ipBatch([...veths.map((v) => `link del ${v}`), ...netns.map((n) => `netns del ${n}`), `link del ${bridgeName(slot)}`], true);
}

/** Slots that have any network object left: netns, bridge or veth. */
export function slotsWithNetwork(): Set<number> {
  const slots = new Set<number>();
  const add = (names: string[], re: RegExp) => names.forEach((n) => { const m = re.exec(n); if (m) slots.add(Number(m[1])); });
  try {
    add(fs.readdirSync("/run/netns"), /^ckh(\d+)-\d+$/);
  } catch {
    /* no netns at all */
  }
  add(fs.readdirSync("/sys/class/net"), /^ck(?:br|v)(\d+)(?:-\d+)?$/);
  return slots;
}
