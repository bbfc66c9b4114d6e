/**
 * What a change of inputs means for a node, decided without touching it (pure). A new name,
 * address, role or cluster is another machine: replace. Connection settings, labels, taints,
 * rendered files and the list of control planes: update. A Kubernetes version change needs an
 * upgrade, and a change of the cluster-wide kubeadm configuration a reconfiguration; neither is
 * built yet, so both fail with a message saying so rather than doing something half right.
 */
import { ClusterkitError } from "../../core/errors";
import type { HostPrepInputs, HostPrepOutputs, NodeInputs, NodeOutputs } from "./types";

export interface DiffResult {
  changes: boolean;
  replaces: string[];
  deleteBeforeReplace: boolean;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

const nodeReplaceKeys = ["cluster", "name", "address", "role", "init"] as const;
const nodeUpdateKeys = ["ssh", "privateKey", "connection", "controlPlanes", "kubeadmCommand", "files", "secretFiles", "configHash", "labels", "taints"] as const;

export function diffNode(olds: NodeOutputs, news: NodeInputs): DiffResult {
  if (olds.kubernetesVersion !== news.kubernetesVersion) {
    throw ClusterkitError.failure(
      `node ${olds.name}`,
      "kubernetesVersion",
      `changing Kubernetes from ${olds.kubernetesVersion} to ${news.kubernetesVersion} needs an upgrade (kubeadm upgrade, node by node); upgrades are not built yet`,
      `keep kubernetesVersion at ${olds.kubernetesVersion} for this cluster`,
    );
  }
  const replaces = nodeReplaceKeys.filter((k) => !same(olds[k], news[k]));
  if (!replaces.length && olds.init && olds.clusterConfigHash !== news.clusterConfigHash) {
    throw ClusterkitError.failure(
      `node ${olds.name}`,
      "clusterConfigHash",
      "the cluster-wide kubeadm configuration (ClusterConfiguration, KubeletConfiguration, KubeProxyConfiguration) changed; reconfiguring a running cluster is not built yet",
      "revert the change, or compare the configuration with `clusterkit plan --out DIR` and apply it by hand with kubeadm",
    );
  }
  const updates = nodeUpdateKeys.filter((k) => !same(olds[k], news[k]));
  const drift = olds.observed?.drift ?? [];
  return {
    changes: replaces.length > 0 || updates.length > 0 || drift.length > 0,
    replaces: [...replaces],
    // A host that keeps its node name must leave the cluster before its replacement can join under it.
    deleteBeforeReplace: replaces.length > 0 && olds.name === news.name,
  };
}

export function diffHostPrep(olds: HostPrepOutputs, news: HostPrepInputs): DiffResult {
  const replaces = (["name", "address"] as const).filter((k) => olds[k] !== news[k]);
  const updates = (["ssh", "privateKey", "connection", "detectOs", "steps", "stepsHash"] as const).filter((k) => !same(olds[k], news[k]));
  return {
    changes: replaces.length > 0 || updates.length > 0 || (olds.pending?.length ?? 0) > 0,
    replaces: [...replaces],
    deleteBeforeReplace: false,
  };
}
