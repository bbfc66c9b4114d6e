/**
 * What a change of inputs means for a node, decided without touching it (pure). A new name,
 * address, role or cluster is another machine: replace. Connection settings, labels, taints,
 * rendered files and the set of control planes: update. A Kubernetes version change one minor (or
 * patch) up is an upgrade, which the update carries out node by node; more than one minor, or
 * down, is refused. A change of the cluster-wide kubeadm configuration is a reconfiguration, which
 * the update rolls out (phases/reconfigure); what cannot change on a running cluster (its name, the
 * CNI, the pod and service ranges, the DNS domain, the endpoint) is refused before anything
 * changes, and so is a reconfiguration together with an upgrade, or one that state too old to name
 * the affected components cannot place.
 *
 * Which node initialised the cluster is a fact of the node's state, never its position in the
 * inventory: a node listed elsewhere than when it was created gets the other bootstrap rendered
 * (an init config instead of a join, or back), which means nothing to a node that has
 * bootstrapped; only the files it keeps afterwards are compared. Reordering control planes, or
 * removing the first one, therefore replaces nothing.
 */
import { ClusterkitError, ExitCode } from "../../core/errors";
import { fixedSettingChanges } from "../../core/render/kubeadm/reconfigure";
import { steadyFiles } from "./phases/files";
import { versionStep } from "../../core/render/kubeadm/upgrade";
import { clusterConfigHashVersion } from "./plan";
import type { HostAccess, HostPrepInputs, HostPrepOutputs, NodeInputs, NodeOutputs } from "./types";
import { containsUnknown, sameValue, unknownInput } from "../same-value";

export interface DiffResult {
  changes: boolean;
  replaces: string[];
  deleteBeforeReplace: boolean;
}

const same = sameValue;

const nodeReplaceKeys = ["cluster", "name", "address", "role"] as const;
const nodeUpdateKeys = ["ssh", "privateKey", "connection", "secretFiles", "labels", "taints", "restartOn", "fixedSettings", "reconfigure", "machineId"] as const;
/** Rendered for the node's bootstrap (kubeadm init or join), so they follow its position. */
const bootstrapKeys = ["kubeadmCommand", "files", "configHash"] as const;

/** Whether the node ran `kubeadm init` when it was created (state without the field: its command). */
export function initialised(olds: Pick<NodeOutputs, "init" | "kubeadmCommand">): boolean {
  return typeof olds.init === "boolean" ? olds.init : olds.kubeadmCommand?.[1] === "init";
}

/** Admin commands try the control planes in list order; which ones there are is what matters. */
const byName = (cps: HostAccess[] | undefined) => [...(cps ?? [])].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));

/**
 * Whether the machine is another one: its identity changed, or is unknown because the engine is
 * replacing it (then the node must leave the cluster before the machine goes). State from before
 * the identity was recorded records it at the next update.
 */
function newMachine(olds: { machineId?: string }, news: { machineId?: string }): boolean {
  if (news.machineId === unknownInput) return true;
  return olds.machineId !== undefined && news.machineId !== undefined && olds.machineId !== news.machineId;
}

export function diffNode(olds: NodeOutputs, news: NodeInputs): DiffResult {
  if (newMachine(olds, news)) {
    // The rest compares with a machine that is going: nothing more to decide.
    return { changes: true, replaces: ["machineId"], deleteBeforeReplace: olds.name === news.name };
  }
  // In preview, inputs that wait on another resource's update are not known yet: the update
  // decides once they are (every refusal is made again there, before the node changes).
  if (containsUnknown(news)) return { changes: true, replaces: [], deleteBeforeReplace: false };
  const upgrade = olds.kubernetesVersion !== news.kubernetesVersion;
  if (upgrade) {
    const step = versionStep(olds.kubernetesVersion, news.kubernetesVersion);
    if (step.kind === "refused") throw ClusterkitError.failure(`node ${olds.name}`, "kubernetesVersion", step.message, step.hint);
  }
  // Before anything else: a cluster under another name, CNI or range is another cluster, never
  // something to replace node by node. State from before the record has none to compare.
  const fixed = olds.fixedSettings && news.fixedSettings ? fixedSettingChanges(olds.fixedSettings, news.fixedSettings) : [];
  if (fixed.length) {
    throw new ClusterkitError(
      fixed.map((f) => ({ file: `node ${olds.name}`, path: `fixedSettings.${f.setting}`, message: f.message, hint: f.hint })),
      ExitCode.failure,
    );
  }
  const replaces = nodeReplaceKeys.filter((k) => !same(olds[k], news[k]));
  // Any control plane holding a hash guards it (the one that initialised may be gone). Older state
  // has none (joined control planes) or one of an older form: recorded at the next update instead.
  const recorded = olds.clusterConfigHash?.startsWith(`${clusterConfigHashVersion}:`) ?? false;
  // An upgrade changes the documents' version; what else changed shows in their version-free hash.
  const reconfigured = upgrade ? !!olds.clusterConfigBase && !!news.clusterConfigBase && olds.clusterConfigBase !== news.clusterConfigBase : olds.clusterConfigHash !== news.clusterConfigHash;
  if (!replaces.length && olds.role === "control-plane" && recorded && reconfigured) {
    if (upgrade) {
      throw ClusterkitError.failure(
        `node ${olds.name}`,
        "clusterConfigBase",
        "the Kubernetes version and the cluster-wide kubeadm configuration changed together; an upgrade re-renders every component from the configuration the cluster holds, so the two are rolled out one after the other",
        "change kubernetesVersion alone and run pulumi up, then make the configuration change (or the other way round)",
      );
    }
    if (!olds.restartOn) {
      throw ClusterkitError.failure(
        `node ${olds.name}`,
        "restartOn",
        "the cluster-wide kubeadm configuration changed, but this node's state was written before clusterkit recorded what each component reads, so it cannot tell which components to restart",
        "revert the change and run pulumi up once (it records them and changes nothing on the hosts), then make the change again",
      );
    }
  }
  const moved = initialised(olds) !== initialised(news);
  const updates: string[] = [
    ...(upgrade ? ["kubernetesVersion"] : []),
    ...nodeUpdateKeys.filter((k) => !same(olds[k], news[k])),
    ...(moved ? (same(steadyFiles(olds), steadyFiles(news)) ? [] : ["files"]) : bootstrapKeys.filter((k) => !same(olds[k], news[k]))),
    ...(same(byName(olds.controlPlanes), byName(news.controlPlanes)) ? [] : ["controlPlanes"]),
    ...(!recorded && olds.clusterConfigHash !== news.clusterConfigHash ? ["clusterConfigHash"] : []),
    // State from before scheduled snapshots has neither field: the same as none.
    ...(same(olds.etcdSnapshots ?? null, news.etcdSnapshots ?? null) ? [] : ["etcdSnapshots"]),
    ...((olds.etcdSnapshotKey ?? "") === (news.etcdSnapshotKey ?? "") ? [] : ["etcdSnapshotKey"]),
    ...(same(olds.osPatches ?? null, news.osPatches ?? null) ? [] : ["osPatches"]),
  ];
  // Every control plane keeps the admin kubeconfig, so the cluster's outlives any one of them;
  // state from before that gets it at the next update.
  const kubeconfigMissing = olds.role === "control-plane" && !olds.kubeconfig;
  const drift = olds.observed?.drift ?? [];
  return {
    changes: replaces.length > 0 || updates.length > 0 || drift.length > 0 || kubeconfigMissing,
    replaces: [...replaces],
    // A host that keeps its node name must leave the cluster before its replacement can join under it.
    deleteBeforeReplace: replaces.length > 0 && olds.name === news.name,
  };
}

export function diffHostPrep(olds: HostPrepOutputs, news: HostPrepInputs): DiffResult {
  if (newMachine(olds, news)) return { changes: true, replaces: ["machineId"], deleteBeforeReplace: false };
  if (containsUnknown(news)) return { changes: true, replaces: [], deleteBeforeReplace: false };
  const replaces = (["name", "address"] as const).filter((k) => olds[k] !== news[k]);
  const updates = (["ssh", "privateKey", "connection", "detectOs", "steps", "stepsHash", "machineId"] as const).filter((k) => !same(olds[k], news[k]));
  return {
    changes: replaces.length > 0 || updates.length > 0 || (olds.pending?.length ?? 0) > 0,
    replaces: [...replaces],
    deleteBeforeReplace: false,
  };
}
