/**
 * KubeadmCluster: hosts with roles → a kubeadm cluster, its admin kubeconfig (a secret) and a
 * Kubernetes provider. Platform-neutral: bare metal passes its inventory, vSphere its VMs (whose
 * addresses and host keys are outputs of the VMs). Per host, a HostPreparation (all hosts at once)
 * and a KubeadmNode: the first control plane initialises, the others join one at a time, and the
 * workers join in parallel as soon as the first control plane is up, overlapping those joins.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { nodeKeyFile } from "../../core/backup/bundle";
import { controlPlaneEndpoint, type EncryptionKey } from "../../core/render/kubeadm";
import type { BastionSpec, ClusterSpec } from "../../core/spec";
import { planNodes, secretFilesFor, specWithHosts, waitsFor, type NodePlan, type PlannedHost } from "../../providers/kubeadm/plan";
import { HostPreparation, KubeadmNode } from "../../providers/kubeadm/resources";
import { providerKubeconfig } from "./api-tunnel";
import type { Connection, Taint } from "../../providers/kubeadm/types";

export interface KubeadmHost {
  /** Node name; kubelet registers under it. */
  name: string;
  role: "control-plane" | "worker";
  /** Address clusterkit connects to over SSH and the node's InternalIP (on vSphere, a VM output). */
  address: pulumi.Input<string>;
  ssh: {
    user: string;
    port: number;
    /** Pinned SHA256 host key fingerprint; null is refused unless trustOnFirstUse. */
    hostKey: pulumi.Input<string | null>;
  };
  labels?: Record<string, string>;
  taints?: Taint[];
  /** What must exist before the host can be reached (on vSphere, its VM). */
  dependsOn?: pulumi.Resource[];
  /**
   * The machine's identity where a machine can be replaced under the same name and address (on
   * vSphere, the VM's UUID): a new one replaces the host preparation and the kubeadm node, which
   * leaves the cluster first. Given straight from the machine, so no other node depends on it.
   */
  machineId?: pulumi.Input<string>;
}

export interface KubeadmClusterArgs {
  /** The resolved spec: versions, endpoint, networking, security. Its `nodes` give defaults only. */
  spec: ClusterSpec;
  /** Control planes first or not: the first control plane listed runs `kubeadm init`. */
  hosts: KubeadmHost[];
  /** SSH private key for every host (and the bastion); a Pulumi secret. */
  sshPrivateKey: pulumi.Input<string>;
  /** Accept unpinned host keys, printing them to pin. Default false. */
  trustOnFirstUse?: boolean;
  bastion?: BastionSpec | null;
  /** Commands in flight across all hosts. Default 10. */
  concurrency?: number;
  /** The stack's backup key (clusterkit:backupKey), a Pulumi secret: scheduled etcd snapshots are sealed with a key derived from it. */
  backupKey?: pulumi.Input<string>;
  /** EncryptionConfiguration keys; generated (32 random bytes) when encryption at rest is on and none are given. */
  encryptionKeys?: pulumi.Input<EncryptionKey[]>;
  /** Hosts on new machines that join the cluster that exists, even when listed first (a vSphere template roll). */
  joinOnly?: pulumi.Input<string[]>;
}

export class KubeadmCluster extends pulumi.ComponentResource {
  static readonly type = "clusterkit:kubeadm:KubeadmCluster";
  /** Admin kubeconfig, from a control plane that has one. Secret. */
  readonly kubeconfig: pulumi.Output<string>;
  readonly provider: k8s.Provider;
  readonly apiServerUrl: pulumi.Output<string>;
  readonly nodes: KubeadmNode[];
  readonly nodesByName: ReadonlyMap<string, KubeadmNode>;
  readonly hostPreparations: HostPreparation[];

  constructor(name: string, args: KubeadmClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    super(KubeadmCluster.type, name, {}, opts);
    const { spec } = args;
    const hosts = [...args.hosts.filter((h) => h.role === "control-plane"), ...args.hosts.filter((h) => h.role === "worker")];
    if (!hosts.length || hosts[0].role !== "control-plane") throw new pulumi.RunError(`KubeadmCluster ${name}: at least one host must be a control plane`);

    const planned: pulumi.Output<PlannedHost[]> = pulumi.all(
      hosts.map((h) =>
        pulumi.all([h.address, h.ssh.hostKey]).apply(([address, hostKey]) => ({
          name: h.name,
          role: h.role,
          address,
          ssh: { user: h.ssh.user, port: h.ssh.port, hostKey: hostKey ?? null },
          labels: h.labels ?? {},
          taints: h.taints ?? [],
        })),
      ),
    );
    const plans = pulumi.all([planned, args.joinOnly ?? []]).apply(([ps, joinOnly]) => planNodes(spec, ps, joinOnly));
    const privateKey = pulumi.secret(args.sshPrivateKey);
    const connection: Connection = { trustOnFirstUse: args.trustOnFirstUse ?? false, bastion: args.bastion ?? null, concurrency: args.concurrency ?? 10 };
    const keys = this.encryptionKeys(name, args);
    const snapshotKey = this.snapshotKey(args);

    const planOf = (n: string) => plans.apply((ps) => ps.find((p) => p.node.name === n) as NodePlan);
    this.hostPreparations = [];
    this.nodes = [];
    const byName = new Map<string, KubeadmNode>();
    const order = waitsFor(hosts);
    for (const h of hosts) {
      const plan = planOf(h.name);
      const machine = h.machineId === undefined ? {} : { machineId: h.machineId };
      const prep = new HostPreparation(`${h.name}-host`, { ...pick(plan.apply((p) => p.prep), prepKeys), ...machine, privateKey, connection }, { parent: this, dependsOn: h.dependsOn });
      const secretFiles = keys ? pulumi.secret(pulumi.all([planned, keys]).apply(([ps, ks]) => secretFilesFor(spec, ps, h.name, ks))) : [];
      const previous = order.get(h.name);
      const after = previous ? [prep, byName.get(previous)!] : [prep];
      // Always a secret, so its state entry never tells which nodes hold a key.
      const etcdSnapshotKey = h.role === "control-plane" && snapshotKey ? snapshotKey : pulumi.secret("");
      const node = new KubeadmNode(h.name, { ...pick(plan.apply((p) => p.kubeadm), nodeKeys), ...machine, privateKey, connection, secretFiles, etcdSnapshotKey }, { parent: this, dependsOn: after });
      byName.set(h.name, node);
      this.hostPreparations.push(prep);
      this.nodes.push(node);
    }
    this.nodesByName = byName;

    // Every control plane keeps the admin kubeconfig; the first that has one (which one initialised
    // the cluster is a fact of state, not of this list, and it may have been removed).
    const cpKubeconfigs = this.nodes.filter((_, i) => hosts[i].role === "control-plane").map((n) => n.kubeconfig);
    this.kubeconfig = pulumi.secret(pulumi.all(cpKubeconfigs).apply((ks) => ks.find((k) => !!k) ?? ""));
    this.apiServerUrl = planned.apply((ps) => `https://${controlPlaneEndpoint(specWithHosts(spec, ps))}`);
    // Behind a bastion the provider goes through the API tunnel; the kubeconfig output keeps the endpoint.
    // The provider's kubeconfig names a local tunnel port at bastion sites (and whichever control
    // plane answered first); neither is the cluster's identity, so a change of either must update
    // the provider, never replace it and with it every add-on.
    const clusterIdentifier = spec.name;
    this.provider = new k8s.Provider(`${name}-k8s`, { kubeconfig: providerKubeconfig(spec, planned, this.kubeconfig, privateKey), clusterIdentifier }, { parent: this });
    this.registerOutputs({ kubeconfig: this.kubeconfig, apiServerUrl: this.apiServerUrl });
  }

  /** Only with a schedule: resolve() requires clusterkit:backupKey then. */
  private snapshotKey(args: KubeadmClusterArgs): pulumi.Output<string> | null {
    if (args.spec.backup.etcd.schedule.kind === "none") return null;
    if (args.backupKey === undefined) throw new pulumi.RunError(`clusterkit: stack ${args.spec.stack} schedules etcd snapshots and needs its backup key: pulumi config set --secret clusterkit:backupKey --stack ${args.spec.stack}`);
    return pulumi.secret(pulumi.output(args.backupKey).apply((k) => nodeKeyFile(k, args.spec.name)));
  }

  private encryptionKeys(name: string, args: KubeadmClusterArgs): pulumi.Output<EncryptionKey[]> | null {
    if (!args.spec.security.encryptionAtRest.enabled) return null;
    if (args.encryptionKeys) return pulumi.secret(pulumi.output(args.encryptionKeys) as pulumi.Output<EncryptionKey[]>);
    const bytes = new random.RandomBytes(`${name}-encryption-key`, { length: 32 }, { parent: this });
    return pulumi.secret(bytes.base64.apply((secret) => [{ name: "key1", secret }]));
  }
}

const prepKeys = ["name", "address", "ssh", "detectOs", "steps", "stepsHash"] as const;
const nodeKeys = ["cluster", "name", "address", "ssh", "role", "init", "kubernetesVersion", "controlPlanes", "kubeadmCommand", "files", "configHash", "clusterConfigHash", "apiServerRestartOn", "apiServerReloadOn", "clusterConfigBase", "restartOn", "fixedSettings", "reconfigure", "upgrade", "renewCertificatesBeforeDays", "etcdSnapshots", "osPatches", "labels", "taints"] as const;

/** An Output of an object → one Output per field, so each input shows (and diffs) on its own. */
function pick<T extends object, K extends keyof T>(o: pulumi.Output<T>, keys: readonly K[]): { [P in K]: pulumi.Output<T[P]> } {
  return Object.fromEntries(keys.map((k) => [k, o.apply((v) => v[k])])) as unknown as { [P in K]: pulumi.Output<T[P]> };
}
