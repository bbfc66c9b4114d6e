/**
 * A fleet host's machine lifecycle from any process (the engine's provider process included): off,
 * and installed anew. A host's writable files live in a tmpfs of its own mount namespace, held by
 * its processes; killing them all (its sshd listener too) loses every file, as deleting a VM does,
 * and starting host-init again in the same network namespace boots a new machine at the same
 * address, with a new machine id, from the same image. The host's sshd listener pid is recorded
 * beside the host's folder (`listener.pid`), so the harness's view of the host follows it.
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as net from "node:net";
import * as path from "node:path";
import { netnsName, pidsIn } from "./fleet-net";

export const HOST_INIT = path.join(__dirname, "scripts", "host-init.sh");

/** Where a host of a fleet lives: the fleet's folder, its slot, its index and address. */
export interface MachineRef {
  fleetDir: string;
  slot: number;
  index: number;
  name: string;
  address: string;
}

const hostDir = (m: MachineRef) => path.join(m.fleetDir, "hosts", m.name);
export const listenerPidFile = (dir: string) => path.join(dir, "listener.pid");

/** Starts host-init for the host's folder in its namespace; the child is detached and recorded. */
export function bootHost(slot: number, index: number, dir: string): ReturnType<typeof spawn> {
  const logFd = fs.openSync(path.join(dir, "sshd.log"), "a");
  const child = spawn("ip", ["netns", "exec", netnsName(slot, index), "unshare", "--mount", "--uts", "--propagation", "private", "bash", HOST_INIT, dir], {
    detached: true,
    stdio: ["ignore", logFd, logFd],
  });
  fs.closeSync(logFd);
  fs.writeFileSync(listenerPidFile(dir), String(child.pid));
  child.unref();
  return child;
}

/** Whether anything of the host runs (its sshd listener at least). */
export function machineRunning(m: MachineRef): boolean {
  return pidsIn([netnsName(m.slot, m.index)]).length > 0;
}

/** Stops every process of the host: its files are gone with its mount namespace. */
export async function powerOffMachine(m: MachineRef): Promise<void> {
  const netns = netnsName(m.slot, m.index);
  for (let i = 0; i < 400; i++) {
    const pids = pidsIn([netns]);
    if (!pids.length) return;
    for (const p of pids) {
      try {
        process.kill(p, "SIGKILL");
      } catch {
        /* already gone */
      }
    }
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`host ${m.name} does not stop`);
}

function sshAnswers(address: string): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = net.connect({ host: address, port: 22 });
    const done = (ok: boolean) => {
      sock.destroy();
      resolve(ok);
    };
    sock.setTimeout(1000, () => done(false));
    sock.on("error", () => done(false));
    sock.once("data", (d) => done(d.toString().startsWith("SSH-")));
  });
}

/** Boots a new machine at the host's address (a new machine id) and waits for its sshd. */
export async function installMachine(m: MachineRef, timeoutMs = 20_000): Promise<void> {
  const dir = hostDir(m);
  const envFile = path.join(dir, "host.env");
  const env = fs.readFileSync(envFile, "utf8").replace(/^MACHINE_ID=.*$/m, `MACHINE_ID='${randomBytes(16).toString("hex")}'`);
  fs.writeFileSync(envFile, env);
  const child = bootHost(m.slot, m.index, dir);
  let exited: string | null = null;
  child.once("exit", (code, sig) => (exited = String(code ?? sig)));
  for (const end = Date.now() + timeoutMs; ; ) {
    if (exited !== null) throw new Error(`host ${m.name} exited (${exited}) before its sshd was ready`);
    if (await sshAnswers(m.address)) return;
    if (Date.now() > end) throw new Error(`host ${m.name}: sshd not ready in time`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
