/**
 * From the resolved spec and the hosts to the providers' inputs (pure). Files are rendered with
 * placeholder secrets: the bootstrap token, CA hash and certificate key are only made at apply
 * time, on the control plane; the encryption config, which holds a deploy-time secret, is rendered
 * separately so it can travel as a Pulumi secret.
 */
import { createHash } from "node:crypto";
import { detectOsScript, hostSteps, hostStepsHash } from "../../core/render/host";
import { apiServerFileEffect, apiServerFiles, isInitNode, kubeadmCommand, kubeadmPaths, nodeConfigHash, nodeFiles, placeholderSecrets, type EncryptionKey, type NodeFile } from "../../core/render/kubeadm";
import { initDocuments } from "../../core/render/kubeadm/init-configuration";
import { configMapData, fixedSettings, reconfigureConfig, restartOn } from "../../core/render/kubeadm/reconfigure";
import { upgradePackagesScript } from "../../core/render/kubeadm/upgrade";
import { osPatchScripts } from "../../core/render/host/os-patch";
import type { ClusterSpec, NodeSpec } from "../../core/spec";
import { schedulePaths, scheduledSnapshotScript, serviceUnit, timerUnit } from "./cluster/etcd-schedule";
import type { EtcdSnapshotInputs, FileSpec, HostAccess, HostPrepInputs, NodeInputs, OsPatchInputs, SshSettings, Taint } from "./types";

/** A machine to bootstrap, with its address known (on vSphere: once the VM has it). */
export interface PlannedHost {
  name: string;
  role: "control-plane" | "worker";
  address: string;
  ssh: SshSettings;
  labels: Record<string, string>;
  taints: Taint[];
}

type Deployed = "privateKey" | "connection" | "secretFiles" | "etcdSnapshotKey";

export interface NodePlan {
  node: NodeSpec;
  prep: Omit<HostPrepInputs, Deployed>;
  kubeadm: Omit<NodeInputs, Deployed>;
}

/** The spec with the nodes as the hosts describe them (addresses filled in). */
export function specWithHosts(spec: ClusterSpec, hosts: PlannedHost[]): ClusterSpec {
  const nodes = hosts.map((h): NodeSpec => {
    const base = spec.nodes.find((n) => n.name === h.name);
    return { pool: null, size: { kind: "host" }, ...base, name: h.name, role: h.role, address: h.address, ssh: { ...h.ssh }, labels: h.labels, taints: h.taints as NodeSpec["taints"] };
  });
  // Control planes first, in the order given: the first one initialises.
  nodes.sort((a, b) => (a.role === b.role ? 0 : a.role === "control-plane" ? -1 : 1));
  return { ...spec, nodes };
}

const toFileSpec = (f: NodeFile): FileSpec => ({ path: f.path, content: f.content, mode: f.mode, when: f.when, ephemeral: f.ephemeral });

const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");

/**
 * Prefix of the hash's current form. v2: the API server's certSANs no longer list every control
 * plane, so an unprefixed hash in state was computed from other documents and compares with nothing.
 */
export const clusterConfigHashVersion = "v2";

/** Hash of the node's API server files whose change takes `effect` (placeholder keys in the encryption config). */
export function apiServerFilesHash(files: NodeFile[], effect: "restart" | "reload"): string {
  const picked = files.filter((f) => apiServerFileEffect(f.path) === effect).map((f) => [f.path, f.content]);
  return picked.length ? sha256(JSON.stringify(picked)) : "";
}

/** Hash of the documents every node shares (not the init node's own InitConfiguration). */
export function clusterConfigHash(spec: ClusterSpec, node: NodeSpec): string {
  return `${clusterConfigHashVersion}:${sha256(JSON.stringify(initDocuments(spec, node, placeholderSecrets.init).slice(1)))}`;
}

/** A fixed version the base hash renders at, so what depends on the minor drops out of it. */
const baseVersion = { version: "1.34.1", minor: "1.34" };

/** clusterConfigHash of the spec rendered at a fixed version: equal before and after an upgrade unless something else changed. */
export function clusterConfigBase(spec: ClusterSpec, node: NodeSpec): string {
  return clusterConfigHash({ ...spec, kubernetes: { ...spec.kubernetes, ...baseVersion } }, node);
}

/** The spec with `node` as the first control plane, the one rendered to run `kubeadm init`. */
function withFirstControlPlane(spec: ClusterSpec, node: NodeSpec): ClusterSpec {
  return { ...spec, nodes: [node, ...spec.nodes.filter((n) => n.name !== node.name)] };
}

/**
 * Each node's plan. `joinOnly`: nodes on new machines in a cluster that exists (a vSphere template
 * roll); each is rendered to join, even when listed first, while another control plane is listed
 * for it to join. Which node initialises is otherwise the first control plane listed.
 */
export function planNodes(input: ClusterSpec, hosts: PlannedHost[], joinOnly: string[] = []): NodePlan[] {
  const spec = specWithHosts(input, hosts);
  const cps = spec.nodes.filter((n) => n.role === "control-plane");
  const joins = (n: NodeSpec) => cps.length > 1 && joinOnly.includes(n.name);
  const initNode = cps.find((n) => !joins(n)) ?? null;
  const base = initNode ? withFirstControlPlane(spec, initNode) : spec;
  /** The spec a node's kubeadm files are rendered from: with another node first when it must join. */
  const renderSpec = (n: NodeSpec) => (joins(n) && isInitNode(base, n) ? withFirstControlPlane(base, cps.find((c) => c.name !== n.name)!) : base);
  const controlPlanes: HostAccess[] = spec.nodes.filter((n) => n.role === "control-plane").map((n) => ({ name: n.name, address: n.address!, ...n.ssh }));
  const steps = hostSteps(spec).map((s) => ({ name: s.name, description: s.description, check: s.check, apply: s.apply }));
  const stepsHash = hostStepsHash(spec);
  const detectOs = detectOsScript(spec);
  const fixed = fixedSettings(spec);
  const configMaps = configMapData(spec);
  const osPatches = osPatchInputs(spec);
  const upgradeScripts = { kubeadm: upgradePackagesScript(spec, ["kubeadm"]), kubelet: upgradePackagesScript(spec, ["kubelet", "kubectl"]) };
  return spec.nodes.map((node) => {
    // Only which node would initialise a cluster that does not exist yet: a node keeps, in its
    // state, what it did when it was created (diff.ts), so reordering the inventory changes nothing.
    const init = initNode?.name === node.name;
    const access = { name: node.name, address: node.address!, ssh: { ...node.ssh } };
    const own = renderSpec(node);
    const rendered = nodeFiles(own, node, placeholderSecrets);
    return {
      node,
      prep: { ...access, detectOs, steps, stepsHash },
      kubeadm: {
        cluster: spec.name,
        ...access,
        role: node.role,
        init,
        kubernetesVersion: spec.kubernetes.version,
        controlPlanes,
        kubeadmCommand: kubeadmCommand(own, node),
        files: rendered.filter((f) => f.path !== kubeadmPaths.encryptionConfigPath).map(toFileSpec),
        configHash: nodeConfigHash(own, node),
        clusterConfigHash: node.role === "control-plane" ? clusterConfigHash(spec, node) : "",
        apiServerRestartOn: apiServerFilesHash(rendered, "restart"),
        apiServerReloadOn: apiServerFilesHash(rendered, "reload"),
        clusterConfigBase: node.role === "control-plane" ? clusterConfigBase(spec, node) : "",
        restartOn: restartOn(spec, node),
        fixedSettings: fixed,
        reconfigure:
          node.role === "control-plane" ? { config: reconfigureConfig(spec, node), configMaps } : { config: "", configMaps: { "kubelet-config": configMaps["kubelet-config"] } },
        upgrade: {
          kubeadmScript: upgradeScripts.kubeadm,
          kubeletScript: upgradeScripts.kubelet,
          workerBatchSize: spec.upgrades.workerBatchSize,
          drainTimeoutSeconds: spec.upgrades.drainTimeoutSeconds,
        },
        renewCertificatesBeforeDays: spec.certificates.renewBeforeDays,
        etcdSnapshots: etcdSnapshotInputs(spec, node),
        osPatches,
        labels: node.labels,
        taints: node.taints,
      },
    };
  });
}

/** The encryption config on a control plane, with the real keys (a secret). */
export function secretFilesFor(input: ClusterSpec, hosts: PlannedHost[], nodeName: string, keys: EncryptionKey[]): FileSpec[] {
  const spec = specWithHosts(input, hosts);
  const node = spec.nodes.find((n) => n.name === nodeName);
  if (node?.role !== "control-plane" || !spec.security.encryptionAtRest.enabled) return [];
  return apiServerFiles(spec, { encryption: { keys } })
    .filter((f) => f.path === kubeadmPaths.encryptionConfigPath)
    .map(toFileSpec);
}

/** Every node's part of an OS patch round (the same on each), or null without one. */
export function osPatchInputs(spec: ClusterSpec): OsPatchInputs | null {
  const p = spec.osPatches;
  const scripts = osPatchScripts(spec);
  if (p.kind === "none" || !scripts) return null;
  return { round: p.round, reboot: p.reboot, rebootTimeoutSeconds: p.rebootTimeoutSeconds, patchScript: scripts.patch, rebootRequiredScript: scripts.rebootRequired };
}

/** A control plane's snapshot timer; the key it seals with travels apart, as a secret (etcdSnapshotKey). */
export function etcdSnapshotInputs(spec: ClusterSpec, node: NodeSpec): EtcdSnapshotInputs | null {
  const s = spec.backup.etcd.schedule;
  if (s.kind === "none" || node.role !== "control-plane") return null;
  return {
    files: [
      { path: schedulePaths.script, mode: "0700", content: scheduledSnapshotScript({ cluster: spec.name, stack: spec.stack, node: node.name, kubernetesVersion: spec.kubernetes.version, keepOnNode: s.keepOnNode }) },
      { path: schedulePaths.service, mode: "0644", content: serviceUnit(spec.name) },
      { path: schedulePaths.timer, mode: "0644", content: timerUnit(spec.name, s) },
    ],
    keepOnNode: s.keepOnNode,
    maxAgeHours: s.maxAgeHours,
  };
}

/**
 * What each node's kubeadm step waits for (besides its own host preparation): the first control
 * plane waits for nothing, every other control plane for the one before it (joins one at a time),
 * every worker for the first control plane only (workers join in parallel, overlapping the
 * control-plane joins). `nodes` are in spec order: control planes first.
 */
export function waitsFor(nodes: { name: string; role: "control-plane" | "worker" }[]): Map<string, string | null> {
  const out = new Map<string, string | null>();
  const cps = nodes.filter((n) => n.role === "control-plane");
  cps.forEach((n, i) => out.set(n.name, i === 0 ? null : cps[i - 1].name));
  for (const n of nodes) if (n.role === "worker") out.set(n.name, cps[0]?.name ?? null);
  return out;
}
