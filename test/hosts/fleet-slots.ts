// Fleet slots: each live fleet owns one 10.77.<slot>.0/24 subnet, bridge
// ckbr<slot> and netns ckh<slot>-<i>, recorded by a directory under FLEETS_ROOT
// whose `owner` file names the owning process. Slots let several test files
// (node --test runs them in parallel processes) each have their own fleet.
import * as fs from "node:fs";
import * as path from "node:path";
import { netDown, slotsWithNetwork } from "./fleet-net";

export const FLEETS_ROOT = "/run/clusterkit-hosts";
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
  let owner = "";
  try {
    owner = fs.readFileSync(path.join(dir, "owner"), "utf8").trim();
  } catch {
    /* not written yet */
  }
  const m = /^(\d+) (\d+)$/.exec(owner);
  if (!m) {
    // A fleet being created has its dir a moment before its owner file.
    try {
      return Date.now() - fs.statSync(dir).mtimeMs < 30_000;
    } catch {
      return false;
    }
  }
  return procStartTime(Number(m[1])) === m[2];
}

/** Tears a slot down synchronously (also used from process exit hooks). */
export function teardownSlot(slot: number): void {
  netDown(slot);
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
  const orphans = slotsWithNetwork();
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
    // Written then renamed: another process's cleanLeftovers must never read it half-written.
    fs.writeFileSync(path.join(dir, "owner.tmp"), `${process.pid} ${procStartTime(process.pid)}\n`);
    fs.renameSync(path.join(dir, "owner.tmp"), path.join(dir, "owner"));
    return { slot, dir };
  }
  throw new Error(`no free fleet slot under ${FLEETS_ROOT}`);
}
