import type { Component, FixedSettings } from "../../core/render/kubeadm/reconfigure";

/**
 * The plain data the kubeadm dynamic providers take and keep in state. Everything here is JSON:
 * the engine serialises inputs and outputs, and the provider closures capture nothing else.
 * Secret values (the SSH key, the encryption config) travel as Pulumi secrets and are marked
 * secret in outputs; bootstrap tokens and certificate keys never appear here at all.
 */

/** How to reach one host over SSH; the key is a separate (secret) field. */
export interface HostAccess {
  name: string;
  address: string;
  port: number;
  user: string;
  /** Pinned `SHA256:…` fingerprint, or null (refused unless trustOnFirstUse). */
  hostKey: string | null;
}

export interface Connection {
  trustOnFirstUse: boolean;
  bastion: { address: string; port: number; user: string; hostKey: string | null } | null;
  /** Commands in flight across all hosts (spec.platform.concurrency). */
  concurrency: number;
}

export interface FileSpec {
  path: string;
  content: string;
  mode: string;
  when: "before-kubeadm" | "after-kubeadm";
  /** Deleted after kubeadm succeeded (one-use kubeadm config). */
  ephemeral: boolean;
}

export interface HostStepSpec {
  name: string;
  description: string;
  check: string;
  apply: string;
}

export interface Taint {
  key: string;
  value?: string;
  effect: string;
}

/** Inputs of a HostPreparation resource: OS detection and the host steps, on one host. */
export interface HostPrepInputs {
  name: string;
  address: string;
  ssh: SshSettings;
  privateKey: string;
  connection: Connection;
  detectOs: string;
  steps: HostStepSpec[];
  /** hostStepsHash: changes exactly when a script changes. */
  stepsHash: string;
  /** The machine's identity where one can be replaced under the same name and address (a vSphere VM's UUID); a new one is a new machine. */
  machineId?: string;
}

export interface HostPrepOutputs extends HostPrepInputs {
  os: string;
  /** Steps whose check reported "needed" at the last observation (empty when converged). */
  pending: string[];
}

/** SSH settings of one host that can change without it becoming another machine. */
export interface SshSettings {
  port: number;
  user: string;
  hostKey: string | null;
}

/** Inputs of a KubeadmNode resource: one node's kubeadm lifecycle. */
export interface NodeInputs {
  cluster: string;
  /** Node name (kubelet registers under it); a new name is a new node. */
  name: string;
  /** A new address is a new machine: replaced. */
  address: string;
  /** A new machine under the same name and address (a vSphere VM's UUID): replaced, leaving the cluster first. Bare metal: none. */
  machineId?: string;
  ssh: SshSettings;
  privateKey: string;
  connection: Connection;
  role: "control-plane" | "worker";
  /**
   * Inputs: whether this node would run `kubeadm init` (the first control plane listed) rather than
   * join. State: whether it did, fixed when it was created; a later position in the inventory
   * never changes it (see diff.ts).
   */
  init: boolean;
  kubernetesVersion: string;
  /** Every control plane in join order (the first initialises); admin commands run on one of them. */
  controlPlanes: HostAccess[];
  /** argv of `kubeadm init|join`, as the renderer builds it; the config path is in it. */
  kubeadmCommand: string[];
  /** Rendered files with placeholders where tokens and keys go; filled in on the host at apply time. */
  files: FileSpec[];
  /** Files holding secrets known at deploy time (the encryption config); a Pulumi secret. */
  secretFiles: FileSpec[];
  /** nodeConfigHash: of every file above, with placeholder secrets. */
  configHash: string;
  /** Hash of the cluster-wide kubeadm documents (control planes; "" on workers and in older state of joined control planes). */
  clusterConfigHash: string;
  /**
   * Control planes: hashes of the API server's files by what a change takes (see
   * apiServerFileEffect), so a preview shows it: a new `apiServerRestartOn` restarts kube-apiserver
   * on each control plane in turn, a new `apiServerReloadOn` is reloaded in place. "" on workers.
   * The encryption keys are left out (they travel in secretFiles); a change of keys restarts too.
   */
  apiServerRestartOn?: string;
  apiServerReloadOn?: string;
  /**
   * The cluster-wide kubeadm documents' hash with the Kubernetes version taken out, so an upgrade
   * can tell a version change from a reconfiguration that came with it (older state: absent).
   */
  clusterConfigBase?: string;
  /**
   * Per component this node runs (control planes: the API server's certificate, the static pods,
   * the kubelet, kube-proxy, kubeadm's add-ons; workers: the kubelet and kube-proxy), a hash of the
   * cluster-wide configuration it reads (core/render/kubeadm/reconfigure.ts), so a preview shows
   * what a change restarts where: a new `restartOn.kube-controller-manager` regenerates that static
   * pod on each control plane in turn. Older state: absent (recorded at the next update).
   */
  restartOn?: Partial<Record<Component, string>>;
  /** What cannot change on a running cluster (cluster name, CNI, ranges, endpoint), as values; older state: absent. */
  fixedSettings?: FixedSettings;
  /** What a reconfiguration writes (older state: absent). */
  reconfigure?: ReconfigureInputs;
  /** How this node is upgraded when kubernetesVersion changes (older state: absent). */
  upgrade?: UpgradeInputs;
  /** Control planes: renew kubeadm's certificates when fewer days than this are left (older state: absent). */
  renewCertificatesBeforeDays?: number;
  /** Control planes with backup.etcd.schedule: the timer that takes their scheduled snapshots (null: none; older state: absent). */
  etcdSnapshots?: EtcdSnapshotInputs | null;
  /** The node key those snapshots are sealed with (core/backup/bundle.ts nodeKeyFile); a Pulumi secret, "" without a schedule. */
  etcdSnapshotKey?: string;
  /** osPatches: the round of OS updates this node must have finished (null: none; older state: absent). */
  osPatches?: OsPatchInputs | null;
  labels: Record<string, string>;
  taints: Taint[];
}

export interface EtcdSnapshotInputs {
  /** The script, its service and its timer (no secrets). */
  files: { path: string; content: string; mode: string }[];
  keepOnNode: number;
  /** A newest snapshot older than this is drift (the update takes one at once). */
  maxAgeHours: number;
}

export interface OsPatchInputs {
  /** A node that finished this round has nothing to do; a new name rolls the updates again. */
  round: string;
  reboot: "if-required" | "always" | "never";
  rebootTimeoutSeconds: number;
  /** core/render/host/os-patch.ts: updates the packages. */
  patchScript: string;
  /** The same: exit 1 when the updates need a reboot. */
  rebootRequiredScript: string;
}

/** What read() saw of the scheduled snapshots on a control plane. */
export interface ObservedSnapshots {
  newest: { name: string; takenAt: string; bytes: number } | null;
  onNode: number;
  lastFailure: { at: string; what: string } | null;
  timerActive: boolean;
}

export interface ReconfigureInputs {
  /** Control planes: the config `kubeadm init phase control-plane|etcd|certs --config` reads (no secrets); "" on workers. */
  config: string;
  /**
   * The data of the kubeadm ConfigMaps this node may patch: all three on control planes
   * (kube-proxy: null when Cilium replaces it), the kubelet's alone on workers, so a change only a
   * control plane acts on is no update of a worker.
   */
  configMaps: { "kubeadm-config"?: Record<string, string>; "kubelet-config": Record<string, string>; "kube-proxy"?: Record<string, string> | null };
}

export interface UpgradeInputs {
  /** Moves kubeadm to kubernetesVersion (the target minor's repository, past the hold, held again). */
  kubeadmScript: string;
  /** The same for kubelet and kubectl. */
  kubeletScript: string;
  /** Workers upgraded at once. */
  workerBatchSize: number;
  drainTimeoutSeconds: number;
}

/** What read() saw on the host and in the cluster. */
export interface Observed {
  reachable: boolean;
  kubeletVersion: string | null;
  kubeadmVersion: string | null;
  kubeletActive: boolean;
  /** The node object exists in the cluster. */
  registered: boolean;
  ready: boolean;
  /** Reason of the Ready condition when not Ready (e.g. waiting for the CNI). */
  readyReason: string | null;
  /** Content of the applied-hash marker written after a successful apply. */
  appliedConfigHash: string | null;
  /** Control planes: when the first of kubeadm's certificates expires (RFC 3339), or null when unknown. */
  certificatesExpire?: string | null;
  /** Control planes: an etcd member with this node's peer URL is started. */
  etcdMember: boolean | null;
  /** Control planes with a snapshot schedule (else null; older state: absent). */
  etcdSnapshots?: ObservedSnapshots | null;
  /** The OS patch round this node finished last (null: none; older state: absent). */
  osPatchRound?: string | null;
  /** What differs from the desired state, in words; empty when converged. */
  drift: string[];
}

export interface NodeOutputs extends NodeInputs {
  /** Admin kubeconfig (control planes; "" on workers). A Pulumi secret. */
  kubeconfig: string;
  observed: Observed;
}

export const accessOf = (x: { name: string; address: string; ssh: SshSettings }): HostAccess => ({ name: x.name, address: x.address, ...x.ssh });
