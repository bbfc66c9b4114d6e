/**
 * Cluster operations through kubectl on a control plane, with its admin kubeconfig. kubectl runs
 * on the host rather than from here so the API server never has to be reachable from the machine
 * running Pulumi (only SSH is), and so the admin credentials never leave the control planes.
 */
import type { RemoteHost } from "../../ssh";
import { shellQuote } from "../../ssh";
import type { Taint } from "../types";

export const kubectl = "kubectl --kubeconfig /etc/kubernetes/admin.conf";

export interface NodeStatus {
  name: string;
  ready: boolean;
  /** Reason of the Ready condition (e.g. KubeletNotReady), null when Ready. */
  reason: string | null;
  message: string | null;
  kubeletVersion: string | null;
  unschedulable: boolean;
  labels: Record<string, string>;
  taints: Taint[];
  internalIp: string | null;
}

interface NodeJson {
  metadata?: { name?: string; labels?: Record<string, string> };
  spec?: { unschedulable?: boolean; taints?: Taint[] };
  status?: {
    conditions?: { type: string; status: string; reason?: string; message?: string }[];
    nodeInfo?: { kubeletVersion?: string };
    addresses?: { type: string; address: string }[];
  };
}

export function parseNode(doc: NodeJson): NodeStatus {
  const ready = doc.status?.conditions?.find((c) => c.type === "Ready");
  return {
    name: doc.metadata?.name ?? "",
    ready: ready?.status === "True",
    reason: ready?.status === "True" ? null : (ready?.reason ?? "NoReadyCondition"),
    message: ready?.status === "True" ? null : (ready?.message ?? null),
    kubeletVersion: doc.status?.nodeInfo?.kubeletVersion ?? null,
    unschedulable: doc.spec?.unschedulable === true,
    labels: doc.metadata?.labels ?? {},
    taints: doc.spec?.taints ?? [],
    internalIp: doc.status?.addresses?.find((a) => a.type === "InternalIP")?.address ?? null,
  };
}

/** The node object, or null when the cluster has none by that name. */
export async function getNode(admin: RemoteHost, name: string, step: string): Promise<NodeStatus | null> {
  const r = await admin.run(`${kubectl} get node ${shellQuote(name)} -o json`, { step, mutating: false, okCodes: [0, 1], timeoutMs: 30_000 });
  if (r.code === 1) {
    if (/not ?found/i.test(r.stderr)) return null;
    await admin.run(`${kubectl} get node ${shellQuote(name)} -o json`, { step, mutating: false, timeoutMs: 30_000 }); // throws with stderr
  }
  return parseNode(JSON.parse(r.stdout) as NodeJson);
}

export async function listNodes(admin: RemoteHost, step: string): Promise<NodeStatus[]> {
  const out = await admin.read(`${kubectl} get nodes -o json`, step, 30_000);
  return ((JSON.parse(out) as { items?: NodeJson[] }).items ?? []).map(parseNode);
}

export const isControlPlaneNode = (n: NodeStatus) => "node-role.kubernetes.io/control-plane" in n.labels;

export async function cordon(admin: RemoteHost, name: string, step: string): Promise<void> {
  await admin.run(`${kubectl} cordon ${shellQuote(name)}`, { step, mutating: true, timeoutMs: 60_000 });
}

export async function uncordon(admin: RemoteHost, name: string, step: string): Promise<void> {
  await admin.run(`${kubectl} uncordon ${shellQuote(name)}`, { step, mutating: true, timeoutMs: 60_000 });
}

/**
 * Evicts every pod through the eviction API (kubectl drain's default), so PodDisruptionBudgets
 * hold: an eviction a PDB forbids is retried until the timeout, then the drain fails and the node
 * is left cordoned, not reset.
 */
export async function drain(admin: RemoteHost, name: string, step: string, opts: { timeoutSec?: number; kubeletGone?: boolean } = {}): Promise<void> {
  const timeoutSec = opts.timeoutSec ?? 600;
  // A dead node's kubelet never confirms a deletion, so its evicted pods stay Terminating and a
  // plain drain waits out its timeout and fails; with a grace period of 1 s they are skipped a
  // moment later (a pod's own grace period could exceed the drain's timeout).
  const gone = opts.kubeletGone ? " --grace-period=1 --skip-wait-for-delete-timeout=1" : "";
  await admin.run(`${kubectl} drain ${shellQuote(name)} --ignore-daemonsets --delete-emptydir-data --timeout=${timeoutSec}s${gone}`, { step, mutating: true, timeoutMs: (timeoutSec + 60) * 1000 });
}

/** The node lifecycle controller's verdict on a node whose kubelet stopped posting status. */
export const kubeletGone = (n: NodeStatus) => n.reason === "NodeStatusUnknown";

export async function deleteNode(admin: RemoteHost, name: string, step: string): Promise<void> {
  await admin.run(`${kubectl} delete node ${shellQuote(name)} --wait=false`, { step, mutating: true, timeoutMs: 60_000 });
}

/** Sets and removes labels; `remove` lists keys. */
export async function label(admin: RemoteHost, name: string, set: Record<string, string>, remove: string[], step: string): Promise<void> {
  const args = [...Object.entries(set).map(([k, v]) => `${k}=${v}`), ...remove.map((k) => `${k}-`)];
  if (!args.length) return;
  await admin.run(`${kubectl} label node ${shellQuote(name)} --overwrite ${args.map(shellQuote).join(" ")}`, { step, mutating: true, timeoutMs: 60_000 });
}

export const taintArg = (t: Taint) => `${t.key}${t.value ? `=${t.value}` : ""}:${t.effect}`;

export async function taint(admin: RemoteHost, name: string, set: Taint[], remove: Taint[], step: string): Promise<void> {
  const args = [...set.map(taintArg), ...remove.map((t) => `${t.key}:${t.effect}-`)];
  if (!args.length) return;
  await admin.run(`${kubectl} taint node ${shellQuote(name)} --overwrite ${args.map(shellQuote).join(" ")}`, { step, mutating: true, timeoutMs: 60_000 });
}
