// The HA bootstrap's critical path from the stand-ins' configured step durations. Each stand-in
// call that slept is charged its configured duration (calls nested in another call, like the
// systemctl that kubeadm runs, count inside their parent). Host preparation is everything a host
// ran before its kubeadm init/join; a node's kubeadm step is init/join plus what the first control
// plane made for it: its bootstrap token and, for a control plane, the certificate upload
// (`kubeadm init phase upload-certs`, charged per join when the run made one per join, else once,
// before the first). The path: host preparation of every host in parallel, init, control-plane
// joins one after another, worker joins alongside them. Each node's end and its slack (how much
// later it could end without making the whole run longer) are returned, so the bench can say
// which steps lie on the path.
import type { StandinCall, StepName } from "../hosts/harness";

export type Durations = Partial<Record<StepName, number>>;

interface Call {
  step: StepName | null;
  start: number;
  end: number;
  argv: string[];
  tool: string;
}

function stepOf(c: StandinCall): StepName | null {
  const a = c.argv;
  if ((c.tool === "apt-get" || c.tool === "apt" || c.tool === "dnf" || c.tool === "yum") && a.includes("install")) return "package-install";
  if (c.tool === "systemctl" && a.some((x) => ["start", "restart", "try-restart", "enable"].includes(x))) return "service-start";
  if (c.tool === "kubeadm") {
    if (a[0] === "init" && a[1] === "phase" && a.includes("upload-certs")) return "upload-certs";
    if (a[0] === "init") return "init";
    if (a[0] === "join") return "join";
    if (a[0] === "reset") return "reset";
    if (a[0] === "token" && a[1] === "create") return "token-create";
    if (a[0] === "upgrade" && (a[1] === "apply" || a[1] === "node")) return "upgrade";
  }
  if (c.tool === "kubectl" && a.includes("drain")) return "drain";
  return null;
}

const toCall = (c: StandinCall): Call => {
  const end = Date.parse(c.time) + c.durationMs;
  return { step: stepOf(c), start: end - c.durationMs, end, argv: c.argv, tool: c.tool };
};

/** How many sleeps of its step a call makes: one, or one per kubelet/containerd unit systemctl starts. */
function sleeps(c: Call): number {
  if (c.step !== "service-start") return 1;
  return Math.max(1, c.argv.filter((a) => /^(kubelet|containerd)(\.service)?$/.test(a)).length);
}

/** Configured sleep a call went through, given `ms` of its own time (a call that slept took at least that). */
function slept(c: Call, ms: number, d: Durations): number {
  const dur = c.step ? (d[c.step] ?? 0) : 0;
  const total = dur * sleeps(c);
  return dur && ms >= total * 0.95 ? total : 0;
}

/**
 * Top-level calls of one host with what they are charged: with `measured`, the time the tool ran;
 * otherwise what it slept, nested calls (made by the call) included.
 */
function charged(calls: StandinCall[], d: Durations, measured: boolean): (Call & { ms: number })[] {
  const cs = calls.map(toCall).sort((a, b) => a.start - b.start || b.end - a.end);
  const top: (Call & { ms: number; nested: Call[] })[] = [];
  for (const c of cs) {
    const parent = top.find((p) => c.start >= p.start && c.end <= p.end);
    if (parent) parent.nested.push(c);
    else top.push({ ...c, ms: 0, nested: [] });
  }
  for (const t of top) {
    if (measured) {
      t.ms = t.end - t.start;
      continue;
    }
    const nestedTime = t.nested.reduce((s, n) => s + (n.end - n.start), 0);
    t.ms = slept(t, t.end - t.start - nestedTime, d) + t.nested.reduce((s, n) => s + slept(n, n.end - n.start, d), 0);
  }
  return top;
}

export interface CriticalPath {
  ms: number;
  prep: Record<string, number>;
  kubeadm: Record<string, number>;
  /** When each node's kubeadm step ends on the path, and how much later it could end. */
  end: Record<string, number>;
  slack: Record<string, number>;
  /** Certificate uploads charged to the control-plane joins, in all. */
  uploadMs: number;
}

/**
 * `measured: false`: from the configured sleeps only. `measured: true`: from the time each tool
 * actually ran (sleeps plus the stand-ins' own work), leaving only clusterkit's own time outside.
 */
export function criticalPath(nodes: { name: string; role: "control-plane" | "worker" }[], logs: Map<string, StandinCall[]>, d: Durations, measured = false): CriticalPath {
  const prep: Record<string, number> = {};
  const kubeadm: Record<string, number> = {};
  const first = nodes.find((n) => n.role === "control-plane")!.name;
  const firstCalls = charged(logs.get(first) ?? [], d, measured);
  const tokens = firstCalls.filter((c) => c.step === "token-create").map((c) => c.ms);
  const tokenMs = measured && tokens.length ? tokens.reduce((a, b) => a + b, 0) / tokens.length : (d["token-create"] ?? 0);
  const uploads = firstCalls.filter((c) => c.step === "upload-certs").map((c) => c.ms);
  const cpJoins = nodes.filter((n) => n.role === "control-plane" && n.name !== first).length;
  const uploadTotal = uploads.reduce((a, b) => a + b, 0);
  // One upload per join, or one (or a few) the joins share: charged to the chain either way.
  const uploadPerJoin = cpJoins && uploads.length >= cpJoins ? uploadTotal / uploads.length : 0;
  const uploadOnce = uploadPerJoin ? 0 : uploadTotal;
  for (const n of nodes) {
    const calls = charged(logs.get(n.name) ?? [], d, measured);
    const start = calls.find((c) => c.tool === "kubeadm" && (c.argv[0] === "join" || (c.argv[0] === "init" && c.argv[1] !== "phase")))?.start ?? Infinity;
    prep[n.name] = calls.filter((c) => c.end <= start).reduce((s, c) => s + c.ms, 0);
    const own = calls.filter((c) => c.start >= start && (c.step === "init" || c.step === "join"));
    const upload = n.role === "control-plane" && n.name !== first ? uploadPerJoin : 0;
    kubeadm[n.name] = own.reduce((s, c) => s + c.ms, 0) + (n.name === first ? 0 : tokenMs + upload);
  }
  const end: Record<string, number> = {};
  let previous: string | null = null;
  for (const n of nodes.filter((x) => x.role === "control-plane")) {
    const ready = previous ? end[previous]! + (previous === first ? uploadOnce : 0) : 0;
    end[n.name] = Math.max(prep[n.name]!, ready) + kubeadm[n.name]!;
    previous = n.name;
  }
  for (const n of nodes.filter((x) => x.role === "worker")) end[n.name] = Math.max(prep[n.name]!, end[first]!) + kubeadm[n.name]!;
  const ms = Math.max(...Object.values(end));
  // A node's delay reaches each node that waits for it (the next control plane; the workers wait
  // for the first) once it uses up the gap before that node starts: slack(n) is the least of
  // ms - end(n) and, over those nodes, their slack plus that gap.
  const startOf = (n: string) => end[n]! - kubeadm[n]!;
  const slack: Record<string, number> = {};
  const workers = nodes.filter((x) => x.role === "worker").map((x) => x.name);
  for (const w of workers) slack[w] = ms - end[w]!;
  const cps = nodes.filter((x) => x.role === "control-plane").map((x) => x.name);
  for (let i = cps.length - 1; i >= 0; i--) {
    const n = cps[i]!;
    const waiting = [...(i + 1 < cps.length ? [cps[i + 1]!] : []), ...(n === first ? workers : [])];
    slack[n] = Math.min(ms - end[n]!, ...waiting.map((w) => slack[w]! + startOf(w) - end[n]! - (w === cps[i + 1] && n === first ? uploadOnce : 0)));
  }
  return { ms, prep, kubeadm, end, slack, uploadMs: uploadTotal };
}

export interface UpgradePath {
  /** The critical path from the configured sleeps. */
  ms: number;
  /** Time some stand-in ran, across all hosts (sleeps plus the stand-ins' own work). */
  toolMs: number;
  /** Configured sleeps charged to each node (a drain to the node drained, wherever kubectl ran). */
  perNode: Record<string, number>;
}

/**
 * An upgrade's critical path with workerBatchSize 1: every node in turn (control planes one at a
 * time, then workers one at a time), so the path is the sum of each node's sleeps: kubeadm's
 * package, `kubeadm upgrade` (its sleep only on control planes, where it restarts static pods),
 * the drain, kubelet and kubectl's package, the kubelet restart. `calls` are the run's calls per
 * host. The measured tool time is the union of the top-level calls' intervals over every host:
 * the nodes go one after another, so overlapping calls (checks of several control planes at once,
 * a waiting worker's polls) count once.
 */
export function upgradeCriticalPath(nodes: string[], calls: Map<string, StandinCall[]>, d: Durations): UpgradePath {
  const perNode: Record<string, number> = Object.fromEntries(nodes.map((n) => [n, 0]));
  const spans: [number, number][] = [];
  for (const [host, cs] of calls) {
    for (const c of charged(cs, d, false)) {
      const target = c.step === "drain" ? (c.argv.find((x) => nodes.includes(x)) ?? host) : host;
      perNode[target] = (perNode[target] ?? 0) + c.ms;
    }
    for (const c of charged(cs, d, true)) spans.push([c.start, c.end]);
  }
  spans.sort((a, b) => a[0] - b[0]);
  let toolMs = 0;
  let until = -Infinity;
  for (const [a, b] of spans) {
    if (b <= until) continue;
    toolMs += b - Math.max(a, until);
    until = b;
  }
  return { ms: Object.values(perNode).reduce((x, y) => x + y, 0), toolMs, perNode };
}
