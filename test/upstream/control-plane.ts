/**
 * A real etcd and kube-apiserver on loopback, started from the static pod manifests that real
 * kubeadm writes with our ClusterConfiguration, so what runs is what a node would run: kubeadm's
 * flags plus ours, kubeadm's certificates, our rendered API server files. Only what a process
 * outside a pod needs is changed: host paths move into a scratch root, addresses become 127.0.0.1
 * and ports free ones.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as https from "node:https";
import * as net from "node:net";
import * as path from "node:path";
import { parse, stringify } from "yaml";
import * as kubeadm from "../../core/render/kubeadm";
import { apiServerFiles, type NodeFile } from "../../core/render/kubeadm/node-files";
import * as paths from "../../core/render/kubeadm/paths";
import type { NodeSecrets } from "../../core/render/kubeadm/secrets";
import type { ClusterSpec } from "../../core/spec";
import type { EtcdClient } from "./etcd-read";
import { kubeApi, type KubeApi } from "./kube-api";

type Doc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Host paths kubeadm and our renderers use; each is moved under the scratch root. */
const hostPrefixes = ["/etc/kubernetes", "/var/log/kubernetes", "/var/lib/etcd"];

export interface KubeadmRoot {
  root: string;
  /** The container command of each static pod, as kubeadm wrote it (`--name=value` flags after the binary). */
  commands: { etcd: string[]; apiserver: string[]; controllerManager: string[] };
  /** Client certificate and key of super-admin.conf (group system:masters), PEM. */
  admin: { cert: string; key: string };
}

/** `<root>/<host path>` for a path under one of the host prefixes; anything else unchanged. */
export function remap(root: string, value: string): string {
  return hostPrefixes.some((p) => value === p || value.startsWith(`${p}/`)) ? path.join(root, value) : value;
}

/**
 * Runs the kubeadm init phases that write certificates, the super-admin and controller-manager
 * kubeconfigs and the etcd, API server and controller-manager manifests, chrooted into `root`,
 * with our init config. Throws with kubeadm's
 * output (passed through `redact`) when a phase fails.
 */
export function kubeadmRoot(kubeadm: string, root: string, initYaml: string, redact: (s: string) => string): KubeadmRoot {
  fs.mkdirSync(root, { recursive: true });
  fs.writeFileSync(path.join(root, "kubeadm.yaml"), initYaml, { mode: 0o600 });
  const phases = [["certs", "all"], ["kubeconfig", "super-admin"], ["kubeconfig", "controller-manager"], ["control-plane", "apiserver"], ["control-plane", "controller-manager"], ["etcd", "local"]];
  for (const phase of phases) {
    const r = spawnSync(kubeadm, ["init", "phase", ...phase, "--config", "/kubeadm.yaml", "--rootfs", root], { encoding: "utf8", timeout: 120_000, env: { PATH: process.env.PATH ?? "/usr/bin:/bin" } });
    if (r.status !== 0) throw new Error(`kubeadm init phase ${phase.join(" ")} failed:\n${redact(`${r.stdout}${r.stderr}${r.error ?? ""}`)}`);
  }
  const manifest = (name: string) => parse(fs.readFileSync(path.join(root, "etc/kubernetes/manifests", `${name}.yaml`), "utf8")) as Doc;
  const command = (name: string) => manifest(name).spec.containers[0].command as string[];
  const user = (parse(fs.readFileSync(path.join(root, "etc/kubernetes/super-admin.conf"), "utf8")) as Doc).users[0].user;
  const pem = (b64: string) => Buffer.from(b64, "base64").toString("utf8");
  return {
    root,
    commands: { etcd: command("etcd"), apiserver: command("kube-apiserver"), controllerManager: command("kube-controller-manager") },
    admin: { cert: pem(user["client-certificate-data"]), key: pem(user["client-key-data"]) },
  };
}

/**
 * Points a kubeconfig kubeadm wrote (at the node's address) at the API server on loopback. The
 * serving certificate does not name 127.0.0.1, so the name checked is `kubernetes`.
 */
export function pointKubeconfigAt(file: string, port: number): void {
  const config = parse(fs.readFileSync(file, "utf8")) as Doc;
  for (const c of config.clusters as Doc[]) {
    c.cluster.server = `https://127.0.0.1:${port}`;
    c.cluster["tls-server-name"] = "kubernetes";
  }
  fs.writeFileSync(file, stringify(config), { mode: 0o600 });
}

/** Writes rendered node files at their paths inside the root, with their modes. */
export function writeNodeFiles(root: string, files: readonly NodeFile[]): void {
  for (const f of files) {
    const target = remap(root, f.path);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, f.content, { mode: parseInt(f.mode, 8) });
  }
}

/** Flags as a map from name to value, in kubeadm's order. */
export function flagsOf(command: readonly string[]): Map<string, string> {
  const flags = new Map<string, string>();
  for (const a of command.slice(1)) {
    const m = /^--([^=]+)=(.*)$/s.exec(a);
    if (!m) throw new Error(`not a --name=value flag: ${a}`);
    flags.set(m[1], m[2]);
  }
  return flags;
}

/**
 * The argument list: every flag with host paths remapped into the root, then `overrides` replacing
 * or adding flags. Throws when a flag still names a host path outside the root, so nothing on the
 * machine running the test is read or written.
 */
export function argsFor(root: string, command: readonly string[], overrides: Record<string, string>): string[] {
  const flags = flagsOf(command);
  for (const [k, v] of flags) flags.set(k, remap(root, v));
  for (const [k, v] of Object.entries(overrides)) flags.set(k, v);
  const stray = [...flags].filter(([, v]) => v.startsWith("/") && !v.startsWith(root));
  if (stray.length) throw new Error(`flags naming host paths outside the scratch root: ${stray.map(([k, v]) => `--${k}=${v}`).join(" ")}`);
  return [...flags].map(([k, v]) => `--${k}=${v}`);
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** A child process whose output goes to a log file; `exited` resolves with its exit code (or signal). */
export interface Running {
  name: string;
  child: ChildProcess;
  logFile: string;
  exited: Promise<string>;
  log(): string;
}

const running = new Set<Running>();

export function start(name: string, bin: string, args: string[], logFile: string, env: Record<string, string> = {}): Running {
  const out = fs.openSync(logFile, "w", 0o600);
  const child = spawn(bin, args, { stdio: ["ignore", out, out], env: { PATH: process.env.PATH ?? "/usr/bin:/bin", ...env } });
  fs.closeSync(out);
  const exited = new Promise<string>((resolve) => child.once("exit", (code, signal) => resolve(signal ? `signal ${signal}` : `exit code ${code}`)));
  const proc: Running = { name, child, logFile, exited, log: () => fs.readFileSync(logFile, "utf8") };
  running.add(proc);
  void exited.then(() => running.delete(proc));
  return proc;
}

/** Stops a process: SIGTERM, then SIGKILL after a grace period. */
export async function stop(proc: Running, graceMs = 10_000): Promise<void> {
  if (proc.child.exitCode !== null || proc.child.signalCode !== null) return;
  proc.child.kill("SIGTERM");
  const timer = setTimeout(() => proc.child.kill("SIGKILL"), graceMs);
  await proc.exited;
  clearTimeout(timer);
}

export async function stopAll(): Promise<void> {
  await Promise.all([...running].map((p) => stop(p)));
}

// A test run that dies (an uncaught error, a timeout) must not leave servers behind.
process.once("exit", () => {
  for (const p of running) p.child.kill("SIGKILL");
});

/**
 * Polls `probe` until it returns true. Fails early when the process exits, and on timeout, with
 * the end of its log (through `redact`).
 */
export async function waitFor(proc: Running, what: string, probe: () => Promise<boolean>, timeoutMs: number, redact: (s: string) => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exit: string | null = null;
  void proc.exited.then((e) => (exit = e));
  while (Date.now() < deadline) {
    if (exit) throw new Error(`${proc.name} exited (${exit}) before ${what}:\n${tail(redact(proc.log()))}`);
    if (await probe().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`${proc.name}: no ${what} after ${timeoutMs / 1000} s:\n${tail(redact(proc.log()))}`);
}

/** Whether a component that serves a self-signed certificate (the controller-manager) answers 200 on /healthz. */
export function healthy(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const req = https.get({ host: "127.0.0.1", port, path: "/healthz", rejectUnauthorized: false, timeout: 10_000 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on("timeout", () => req.destroy());
    req.on("error", () => resolve(false));
  });
}

export function tail(text: string, lines = 40): string {
  return text.trimEnd().split("\n").slice(-lines).join("\n");
}

export interface ControlPlaneTools {
  kubeadm: string;
  etcd: string;
  "kube-apiserver": string;
  "kube-controller-manager": string;
}

export interface ControlPlaneOptions {
  tools: ControlPlaneTools;
  /** The cluster whose first control plane runs; its kubeadm config and API server files are rendered from it. */
  spec: ClusterSpec;
  /** The bootstrap secrets the kubeadm config is rendered with. */
  secrets: NodeSecrets;
  encryption: NonNullable<NodeSecrets["encryption"]>;
  /** Logs and the kubeadm root go here. */
  scratch: string;
  redact: (s: string) => string;
  /** Extra environment of kube-apiserver (the OIDC issuer's CA, for one). */
  apiserverEnv?: Record<string, string>;
}

export interface ControlPlane {
  spec: ClusterSpec;
  kroot: KubeadmRoot;
  files: NodeFile[];
  etcd: Running;
  apiserver: Running;
  apiserverArgs: string[];
  apiPort: number;
  /** The cluster CA, PEM. */
  ca: string;
  controllerManager: Running;
  api: KubeApi;
  etcdClient: EtcdClient;
}

/**
 * Runs the first control plane of `spec` on loopback: kubeadm's init phases with our rendered
 * config, our API server files, then etcd, kube-apiserver (until /readyz) and
 * kube-controller-manager (until /healthz) from the manifests kubeadm wrote.
 */
export async function startControlPlane(o: ControlPlaneOptions): Promise<ControlPlane> {
  const { spec, redact, scratch } = o;
  const first = kubeadm.firstControlPlane(spec);
  const node = first.address ? first : { ...first, address: "10.9.9.10" };
  const initYaml = kubeadm.nodeFiles(spec, node, o.secrets).find((f) => f.path === paths.kubeadmConfigPath)!.content;
  const root = path.join(scratch, "root");
  const kroot = kubeadmRoot(o.tools.kubeadm, root, initYaml, redact);
  const files = apiServerFiles(spec, { encryption: o.encryption });
  writeNodeFiles(root, files);
  const pki = (f: string) => fs.readFileSync(path.join(root, "etc/kubernetes/pki", f), "utf8");

  const [etcdPort, peerPort, metricsPort, apiPort] = [await freePort(), await freePort(), await freePort(), await freePort()];
  const etcdArgs = argsFor(root, kroot.commands.etcd, {
    "listen-client-urls": `https://127.0.0.1:${etcdPort}`,
    "advertise-client-urls": `https://127.0.0.1:${etcdPort}`,
    "listen-peer-urls": `https://127.0.0.1:${peerPort}`,
    "initial-advertise-peer-urls": `https://127.0.0.1:${peerPort}`,
    "initial-cluster": `${node.name}=https://127.0.0.1:${peerPort}`,
    "listen-metrics-urls": `http://127.0.0.1:${metricsPort}`,
  });
  const etcd = start("etcd", o.tools.etcd, etcdArgs, path.join(scratch, "etcd.log"));
  await waitFor(etcd, "health", async () => (await fetch(`http://127.0.0.1:${metricsPort}/health`)).ok, 60_000, redact);

  const apiserverArgs = argsFor(root, kroot.commands.apiserver, {
    "advertise-address": "127.0.0.1",
    "bind-address": "127.0.0.1",
    "secure-port": String(apiPort),
    "etcd-servers": `https://127.0.0.1:${etcdPort}`,
  });
  const apiserver = start("kube-apiserver", o.tools["kube-apiserver"], apiserverArgs, path.join(scratch, "kube-apiserver.log"), o.apiserverEnv);
  const ca = pki("ca.crt");
  const api = kubeApi(apiPort, ca, kroot.admin);
  await waitFor(apiserver, "/readyz", async () => (await api.request("GET", "/readyz")).status === 200, 180_000, redact);
  const etcdClient = { port: etcdPort, ca: pki("etcd/ca.crt"), cert: pki("apiserver-etcd-client.crt"), key: pki("apiserver-etcd-client.key") };

  pointKubeconfigAt(path.join(root, "etc/kubernetes/controller-manager.conf"), apiPort);
  const kcmPort = await freePort();
  const kcmArgs = argsFor(root, kroot.commands.controllerManager, { "secure-port": String(kcmPort) });
  const controllerManager = start("kube-controller-manager", o.tools["kube-controller-manager"], kcmArgs, path.join(scratch, "kube-controller-manager.log"));
  await waitFor(controllerManager, "/healthz", () => healthy(kcmPort), 120_000, redact);
  return { spec, kroot, files, etcd, apiserver, apiserverArgs, apiPort, ca, controllerManager, api, etcdClient };
}

/** A kubeconfig for the super-admin of a control plane started here (a secret: it holds the client key). */
export function adminKubeconfig(cp: ControlPlane): string {
  const b64 = (pem: string) => Buffer.from(pem, "utf8").toString("base64");
  return stringify({
    apiVersion: "v1",
    kind: "Config",
    clusters: [{ name: "loopback", cluster: { server: `https://127.0.0.1:${cp.apiPort}`, "tls-server-name": "kubernetes", "certificate-authority-data": b64(cp.ca) } }],
    users: [{ name: "super-admin", user: { "client-certificate-data": b64(cp.kroot.admin.cert), "client-key-data": b64(cp.kroot.admin.key) } }],
    contexts: [{ name: "super-admin@loopback", context: { cluster: "loopback", user: "super-admin" } }],
    "current-context": "super-admin@loopback",
  });
}
