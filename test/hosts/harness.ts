// Fake-host harness: N network+mount+UTS namespaces on a private bridge, each
// running the real OpenSSH sshd with its own host key and stand-in Kubernetes
// tooling (see README.md in this folder). Needs root and setup-deps.sh.
import { spawn } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as net from "node:net";
import * as path from "node:path";
import { ed25519FromSeed } from "../../cli/plan/mocks/ed25519";
import { hostAddress, netnsName, netUp, pidsIn } from "./fleet-net";
import { claimSlot, cleanLeftovers, teardownSlot } from "./fleet-slots";
import { bootHost, listenerPidFile } from "./machine";

/** Shared cluster-state directory as seen from inside every host. */
export const STANDIN_CLUSTER_PATH = "/srv/standin-cluster";
/** Per-host stand-in invocation log (inside the host). */
export const STANDIN_LOG_PATH = "/var/log/clusterkit-standin/calls.jsonl";
export const STANDIN_LIB_DIR = "/usr/local/lib/clusterkit-standin/lib";
const STANDIN_DIR = path.join(__dirname, "standins");
const HOST_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

/** Steps whose duration and one-shot failure tests can control. */
export type StepName =
  | "init"
  | "join"
  | "etcd-promote"
  | "reset"
  | "token-create"
  | "upload-certs"
  | "package-install"
  | "service-start"
  | "drain"
  | "delete-node"
  | "apiserver-start"
  | "apiserver-restart"
  | "apiserver-ready"
  | "apiserver-authn-reload"
  | "upgrade"
  | "disk-space"
  | "component-start"
  | "etcd-restore"
  | "reboot";

export interface HostUser {
  name: string;
  sudo: "nopasswd" | "none";
}

export interface HostSpec {
  name: string;
  role?: "control-plane" | "worker";
  users?: HostUser[];
  osRelease?: "debian" | "ubuntu" | "rhel";
  /** What /sys/fs/cgroup is: cgroup2fs (default, as on current distributions) or cgroup v1's tmpfs. */
  cgroup?: "v1" | "v2";
}

export interface StandinCall {
  tool: string;
  argv: string[];
  cwd: string;
  user: string;
  sudoUser: string | null;
  time: string;
  durationMs: number;
  code: number;
}

export interface ExecResult {
  stdout: string;
  stderr: string;
  code: number;
}

export interface TestHost {
  name: string;
  address: string;
  port: 22;
  role: "control-plane" | "worker" | undefined;
  osRelease: "debian" | "ubuntu" | "rhel";
  /** Login names with the fleet's client key: "root" plus spec.users. */
  users: string[];
  /** "SHA256:<base64, no padding>", as `ssh-keygen -lf` prints it. */
  hostKeyFingerprint: string;
  /** "ssh-ed25519 AAAA..." */
  hostKeyPublic: string;
  /** pid of the host's sshd listener (its namespaces are the host's). */
  pid: number;
  /** Runs `bash -c cmd` as root inside the host, bypassing ssh. Not logged by
   *  stand-ins unless opts.log is true, so assertions don't pollute readLog(). */
  exec(cmd: string, opts?: { log?: boolean; input?: string }): Promise<ExecResult>;
  /** Stand-in invocations on this host, oldest first. */
  readLog(): Promise<StandinCall[]>;
  /** Root-namespace path through which the host's file `p` can be read. */
  path(p: string): string;
  readFile(p: string): Promise<string>;
  exists(p: string): Promise<boolean>;
  /** Makes `step` fail once on this host (in addition to startFleet's failOnce). */
  failOnce(step: StepName): Promise<void>;
  /** Makes `step` fail on this host every time until called again with `false` (only `apiserver-start` honours it). */
  breakStep(step: StepName, broken: boolean): Promise<void>;
}

export interface Fleet {
  slot: number;
  hosts: TestHost[];
  host(name: string): TestHost;
  clientKey: { privateKeyPem: string; publicKey: string; privateKeyPath: string };
  /** Root-namespace path of the shared state (STANDIN_CLUSTER_PATH in hosts). */
  clusterStateDir: string;
  /** Milliseconds startFleet took. */
  startupMs: number;
  /** Sets how long `step` sleeps on every host (0 removes the delay). */
  setStepDuration(step: StepName, ms: number): Promise<void>;
  /** Kills the established ssh sessions to that host (the listener stays). */
  cutConnections(hostName: string): Promise<void>;
  /**
   * The machine dies: every process in its network namespace (sshd, etcd, ...) is killed, and its
   * node turns Ready=Unknown as the node lifecycle controller marks a node whose kubelet stopped
   * posting status (at once, not after the grace period).
   */
  powerOff(hostName: string): Promise<void>;
  /**
   * What the fleet's package archive offers from now on (the apt-get and dnf stand-ins' upgrade):
   * a host that never installed `name` runs `base`; `reboot` marks an update that needs a reboot
   * (a kernel), `newPackage` one that pulls in a new package (plain `apt-get upgrade` keeps it back).
   */
  publishOsUpdates(updates: { name: string; base: string; version: string; reboot?: boolean; newPackage?: boolean }[]): Promise<void>;
  /** Resolves while a step delayed with setStepDuration is sleeping on that host (polled every 50 ms). */
  inStep(hostName: string, step: StepName, timeoutMs: number): Promise<boolean>;
  stop(): Promise<void>;
}

export interface FleetOptions {
  stepDurationsMs?: Partial<Record<StepName, number>>;
  failOnce?: { host: string; step: StepName }[];
  /** Max time to wait for every sshd to answer (default 10 s). */
  readyTimeoutMs?: number;
  /** Extra flags for every real etcd, e.g. ["--strict-reconfig-check=false"] to skip
   *  etcd's 5 s wait between member changes (at the price of its quorum guard). */
  etcdExtraFlags?: string[];
}

const liveSlots = new Set<number>();
let exitHooked = false;

function hookExit(): void {
  if (exitHooked) return;
  exitHooked = true;
  const cleanup = () => {
    for (const slot of liveSlots) teardownSlot(slot);
    liveSlots.clear();
  };
  process.on("exit", cleanup);
  for (const sig of ["SIGINT", "SIGTERM"] as const) {
    process.once(sig, () => {
      cleanup();
      process.kill(process.pid, sig);
    });
  }
}

export function fingerprintOf(publicKey: string): string {
  const blob = Buffer.from(publicKey.trim().split(/\s+/)[1] ?? "", "base64");
  return "SHA256:" + createHash("sha256").update(blob).digest("base64").replace(/=+$/, "");
}

function run(cmd: string, args: string[], env?: NodeJS.ProcessEnv, input?: string): Promise<ExecResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env, stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code, signal) => resolve({ stdout, stderr, code: code ?? (signal ? 128 : 1) }));
    // A command that exits without reading its stdin makes this write EPIPE.
    child.stdin.on("error", () => undefined);
    child.stdin.end(input ?? "");
  });
}

function checkPrerequisites(): void {
  if (process.getuid?.() !== 0) throw new Error("fake hosts need root (network/mount namespaces)");
  const missing = ["/usr/sbin/sshd", "/usr/bin/etcd", "/usr/bin/etcdctl", "/usr/bin/jq", "/usr/bin/openssl", "/usr/bin/sudo", "/usr/bin/curl"]
    .filter((f) => !fs.existsSync(f));
  if (missing.length) throw new Error(`missing ${missing.join(", ")}: run test/setup-deps.sh`);
}

/** Resolves once the address answers with an SSH banner. */
function waitForSsh(address: string, deadline: number, exited: () => string | null): Promise<void> {
  return new Promise((resolve, reject) => {
    const attempt = () => {
      const why = exited();
      if (why) return reject(new Error(why));
      if (Date.now() > deadline) return reject(new Error(`sshd on ${address} not ready in time`));
      const sock = net.connect({ host: address, port: 22 });
      let done = false;
      const retry = () => {
        if (done) return;
        done = true;
        sock.destroy();
        setTimeout(attempt, 5);
      };
      sock.setTimeout(1000, retry);
      sock.on("error", retry);
      sock.once("data", (d) => {
        if (!d.toString().startsWith("SSH-")) return retry();
        done = true;
        sock.destroy();
        resolve();
      });
    };
    attempt();
  });
}

/** A fresh ed25519 pair, private in OpenSSH format, public as an authorized_keys line. */
function sshKeyPair(comment: string): { private: string; public: string } {
  const k = ed25519FromSeed(randomBytes(32), comment);
  return { private: k.privateKeyOpenssh, public: `${k.publicKeyOpenssh.trim()} ${comment}` };
}

function writeHostDir(dir: string, env: Record<string, string>, spec: HostSpec, authKey: string, hostKey: { private: string; public: string }): void {
  fs.mkdirSync(path.join(dir, "rw"), { recursive: true });
  const q = (v: string) => `'${v.replace(/'/g, `'\\''`)}'`;
  fs.writeFileSync(path.join(dir, "host.env"), Object.entries(env).map(([k, v]) => `${k}=${q(v)}\n`).join(""));
  fs.writeFileSync(path.join(dir, "users"), (spec.users ?? []).map((u) => `${u.name} ${u.sudo}\n`).join(""));
  fs.writeFileSync(path.join(dir, "authorized_keys"), authKey + "\n");
  fs.writeFileSync(path.join(dir, "ssh_host_ed25519_key"), hostKey.private, { mode: 0o600 });
  fs.writeFileSync(path.join(dir, "ssh_host_ed25519_key.pub"), hostKey.public + "\n");
}

function validateSpecs(specs: HostSpec[]): void {
  const names = new Set<string>();
  for (const s of specs) {
    if (!/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/.test(s.name)) throw new Error(`host name ${s.name} is not a valid DNS label`);
    if (names.has(s.name)) throw new Error(`duplicate host name ${s.name}`);
    names.add(s.name);
    for (const u of s.users ?? []) if (!/^[a-z_][a-z0-9_-]*$/.test(u.name) || u.name === "root") throw new Error(`bad user ${u.name}`);
  }
  if (specs.length < 1 || specs.length > 200) throw new Error("a fleet has 1..200 hosts");
}

export async function startFleet(specs: HostSpec[], opts: FleetOptions = {}): Promise<Fleet> {
  const t0 = Date.now();
  validateSpecs(specs);
  checkPrerequisites();
  cleanLeftovers();
  hookExit();
  const { slot, dir } = claimSlot();
  liveSlots.add(slot);
  try {
    return await bootFleet(specs, opts, slot, dir, t0);
  } catch (err) {
    teardownSlot(slot);
    liveSlots.delete(slot);
    throw err;
  }
}

async function bootFleet(specs: HostSpec[], opts: FleetOptions, slot: number, dir: string, t0: number): Promise<Fleet> {
  const clusterDir = path.join(dir, "cluster");
  const harnessDir = path.join(clusterDir, "harness");
  // World-writable: non-root users with an admin kubeconfig may cordon/drain too.
  const mkdir777 = (d: string) => {
    fs.mkdirSync(d, { recursive: true });
    fs.chmodSync(d, 0o777);
  };
  for (const d of ["", "nodes", "tokens", "pki", "harness", "harness/step-ms", "harness/hosts"]) mkdir777(path.join(clusterDir, d));
  if (opts.etcdExtraFlags?.length) fs.writeFileSync(path.join(harnessDir, "etcd-flags"), opts.etcdExtraFlags.join("\n") + "\n");
  for (const [step, ms] of Object.entries(opts.stepDurationsMs ?? {})) {
    fs.writeFileSync(path.join(harnessDir, "step-ms", step), String(ms ?? 0));
  }
  const client = sshKeyPair("clusterkit-test-client");
  const clientKeyPath = path.join(dir, "client_ed25519");
  fs.writeFileSync(clientKeyPath, client.private, { mode: 0o600 });

  netUp(slot, specs.length);

  const booted = specs.map((spec, i) => {
    const hostDir = path.join(dir, "hosts", spec.name);
    const address = hostAddress(slot, i);
    const hostKey = sshKeyPair(`root@${spec.name}`);
    const osRelease = spec.osRelease ?? "debian";
    writeHostDir(hostDir, {
      HOST_NAME: spec.name, HOST_IP: address, HOST_OS: osRelease, HOST_ROLE: spec.role ?? "", HOST_CGROUP: spec.cgroup ?? "v2",
      MACHINE_ID: randomBytes(16).toString("hex"), FLEET_SLOT: String(slot), CLUSTER_DIR: clusterDir,
      STANDIN_DIR, STANDIN_NODE: process.execPath,
    }, spec, client.public, hostKey);
    const failDir = path.join(harnessDir, "hosts", spec.name, "fail-once");
    mkdir777(path.dirname(failDir));
    mkdir777(failDir);
    for (const f of opts.failOnce ?? []) {
      if (f.host === spec.name) fs.writeFileSync(path.join(failDir, f.step), "");
    }
    const logPath = path.join(hostDir, "sshd.log");
    const child = bootHost(slot, i, hostDir);
    let exitCode: string | null = null;
    child.once("exit", (code, sig) => (exitCode = String(code ?? sig)));
    const exited = () => {
      if (exitCode === null) return null;
      let log = "";
      try {
        log = fs.readFileSync(logPath, "utf8");
      } catch {
        /* fleet already torn down */
      }
      return `host ${spec.name} exited (${exitCode}) before sshd was ready: ${log}`;
    };
    return { spec, address, hostKey, osRelease, child, exited, hostDir };
  });

  const deadline = Date.now() + (opts.readyTimeoutMs ?? 10_000);
  await Promise.all(booted.map((b) => waitForSsh(b.address, deadline, b.exited)));

  const hosts = booted.map((b) => makeHost(b.spec, b.address, b.osRelease, b.hostKey.public, b.hostDir, harnessDir));
  let stopped = false;
  const fleet: Fleet = {
    slot,
    hosts,
    host(name) {
      const h = hosts.find((x) => x.name === name);
      if (!h) throw new Error(`no host ${name} in fleet`);
      return h;
    },
    clientKey: { privateKeyPem: client.private, publicKey: client.public, privateKeyPath: clientKeyPath },
    clusterStateDir: clusterDir,
    startupMs: Date.now() - t0,
    async setStepDuration(step, ms) {
      fs.writeFileSync(path.join(harnessDir, "step-ms", step), String(ms));
    },
    async publishOsUpdates(updates) {
      const lines = updates.map((u) => [u.name, u.base, u.version, [u.reboot ? "reboot" : "", u.newPackage ? "new" : ""].filter(Boolean).join(",") || "-"].join(" "));
      fs.writeFileSync(path.join(harnessDir, "os-updates"), lines.map((l) => `${l}\n`).join(""));
    },
    async inStep(hostName, step, timeoutMs) {
      const mark = path.join(harnessDir, "hosts", hostName, "in-step", step);
      for (const end = Date.now() + timeoutMs; Date.now() < end; await new Promise((r) => setTimeout(r, 50))) if (fs.existsSync(mark)) return true;
      return false;
    },
    async cutConnections(hostName) {
      const h = fleet.host(hostName);
      await cutSessions(netnsName(slot, hosts.indexOf(h)), h.pid);
    },
    async powerOff(hostName) {
      const h = fleet.host(hostName);
      await h.exec(`source ${STANDIN_LIB_DIR}/common.sh && source "$STANDIN_LIB/nodes.sh" && node_kubelet_stopped`);
      for (const p of pidsIn([netnsName(slot, hosts.indexOf(h))])) {
        try {
          process.kill(p, "SIGKILL");
        } catch {
          /* already gone */
        }
      }
      const listener = booted[hosts.indexOf(h)].child;
      if (listener.exitCode === null && listener.signalCode === null) await new Promise((res) => listener.once("exit", res));
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      teardownSlot(slot);
      liveSlots.delete(slot);
      // Reap the sshd listeners (our children) so no zombie outlives stop().
      await Promise.all(booted.map(({ child }) => child.exitCode !== null || child.signalCode !== null
        ? undefined : new Promise((res) => {
          child.ref(); // an unref'd child's exit alone would not keep the process waiting
          child.once("exit", res);
        })));
    },
  };
  return fleet;
}

async function cutSessions(netns: string, listenerPid: number): Promise<void> {
  const pids = pidsIn([netns]);
  // Every sshd but the listener is a per-connection process holding the socket.
  const sessions = pids.filter((p) => {
    if (p === listenerPid) return false;
    try {
      return fs.readFileSync(`/proc/${p}/comm`, "utf8").trim() === "sshd";
    } catch {
      return false;
    }
  });
  for (const p of sessions) {
    try {
      process.kill(p, "SIGKILL");
    } catch {
      /* already gone */
    }
  }
  for (let i = 0; i < 200 && sessions.some((p) => fs.existsSync(`/proc/${p}`)); i++) {
    await new Promise((r) => setTimeout(r, 5));
  }
}

function makeHost(spec: HostSpec, address: string, osRelease: TestHost["osRelease"], hostKeyPublic: string, hostDir: string, harnessDir: string): TestHost {
  // Read each time: a host installed anew (machine.ts) has another listener.
  const listener = () => Number(fs.readFileSync(listenerPidFile(hostDir), "utf8"));
  const hostPath = (p: string) => `/proc/${listener()}/root${p.startsWith("/") ? p : `/${p}`}`;
  return {
    name: spec.name,
    address,
    port: 22,
    role: spec.role,
    osRelease,
    users: ["root", ...(spec.users ?? []).map((u) => u.name)],
    hostKeyFingerprint: fingerprintOf(hostKeyPublic),
    hostKeyPublic,
    get pid() {
      return listener();
    },
    exec(cmd, o = {}) {
      const env: NodeJS.ProcessEnv = { PATH: HOST_PATH, HOME: "/root", USER: "root", LOGNAME: "root", LANG: "C.UTF-8", SHELL: "/bin/bash" };
      if (!o.log) env.CLUSTERKIT_STANDIN_NOLOG = "1";
      return run("nsenter", ["-t", String(listener()), "-n", "-m", "-u", "--wd=/root", "--", "/bin/bash", "-c", cmd], env, o.input);
    },
    async readLog() {
      const text = await fs.promises.readFile(hostPath(STANDIN_LOG_PATH), "utf8");
      return text.split("\n").filter(Boolean).map((l) => JSON.parse(l) as StandinCall);
    },
    path: hostPath,
    readFile: (p) => fs.promises.readFile(hostPath(p), "utf8"),
    exists: (p) => fs.promises.access(hostPath(p)).then(() => true, () => false),
    async failOnce(step) {
      fs.writeFileSync(path.join(harnessDir, "hosts", spec.name, "fail-once", step), "");
    },
    async breakStep(step, broken) {
      const dir = path.join(harnessDir, "hosts", spec.name, "broken");
      fs.mkdirSync(dir, { recursive: true, mode: 0o777 });
      if (broken) fs.writeFileSync(path.join(dir, step), "");
      else fs.rmSync(path.join(dir, step), { force: true });
    },
  };
}
