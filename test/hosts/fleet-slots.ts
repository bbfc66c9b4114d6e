// Fleet slots: each live fleet owns one 10.77.<slot>.0/24 subnet, bridge
// ckbr<slot> and netns ckh<slot>-<i>, recorded by a directory under FLEETS_ROOT
// whose `owner` file names the owning process. Slots let several test files
// (node --test runs them in parallel processes) each have their own fleet.
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

export const FLEETS_ROOT = "/run/clusterkit-hosts";
export const NET_SCRIPT = path.join(__dirname, "scripts", "fleet-net.sh");
const MAX_SLOT = 250;

function procStartTime(pid: number): string | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    // Field 22 (starttime); comm (field 2) may contain spaces, so split after ')'.
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19] ?? null;
  } catch {
    return null;
  }
}

function ownerAlive(dir: string): boolean {
  let owner: string;
  try {
    owner = fs.readFileSync(path.join(dir, "owner"), "utf8").trim();
  } catch {
    // A fleet being created has its dir a moment before its owner file.
    try {
      return Date.now() - fs.statSync(dir).mtimeMs < 30_000;
    } catch {
      return false;
    }
  }
  const [pid, start] = owner.split(" ");
  return procStartTime(Number(pid)) === start;
}

/** Tears a slot down synchronously (also used from process exit hooks). */
export function teardownSlot(slot: number): void {
  spawnSync("bash", [NET_SCRIPT, "down", String(slot)], { stdio: "ignore" });
  fs.rmSync(path.join(FLEETS_ROOT, `fleet-${slot}`), { recursive: true, force: true });
}

/** Removes fleets left by crashed runs: dead owners, or netns/bridges with no fleet dir. */
export function cleanLeftovers(): void {
  fs.mkdirSync(FLEETS_ROOT, { recursive: true });
  const live = new Set<number>();
  for (const entry of fs.readdirSync(FLEETS_ROOT)) {
    const m = /^fleet-(\d+)$/.exec(entry);
    if (!m) continue;
    const slot = Number(m[1]);
    if (ownerAlive(path.join(FLEETS_ROOT, entry))) live.add(slot);
    else teardownSlot(slot);
  }
  const orphans = new Set<number>();
  const netns = spawnSync("ip", ["netns", "list"], { encoding: "utf8" }).stdout ?? "";
  for (const m of netns.matchAll(/^ckh(\d+)-\d+/gm)) orphans.add(Number(m[1]));
  const links = spawnSync("ip", ["-o", "link", "show", "type", "bridge"], { encoding: "utf8" }).stdout ?? "";
  for (const m of links.matchAll(/^\d+: ckbr(\d+)[:@]/gm)) orphans.add(Number(m[1]));
  const veths = spawnSync("ip", ["-o", "link", "show", "type", "veth"], { encoding: "utf8" }).stdout ?? "";
  for (const m of veths.matchAll(/^\d+: ckv(\d+)-\d+[:@]/gm)) orphans.add(Number(m[1]));
  for (const slot of orphans) {
    // Re-check: another process may have claimed the slot since readdir above.
    const dir = path.join(FLEETS_ROOT, `fleet-${slot}`);
    if (!live.has(slot) && !(fs.existsSync(dir) && ownerAlive(dir))) teardownSlot(slot);
  }
}

/** Claims the first free slot; mkdir is the atomic claim. */
export function claimSlot(): { slot: number; dir: string } {
  for (let slot = 1; slot <= MAX_SLOT; slot++) {
    const dir = path.join(FLEETS_ROOT, `fleet-${slot}`);
    try {
      fs.mkdirSync(dir);
    } catch {
      continue;
    }
    fs.writeFileSync(path.join(dir, "owner"), `${process.pid} ${procStartTime(process.pid)}\n`);
    return { slot, dir };
  }
  throw new Error(`no free fleet slot under ${FLEETS_ROOT}`);
}
