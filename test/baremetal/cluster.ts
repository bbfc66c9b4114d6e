// A bare-metal cluster on fake hosts, driven the way the Pulumi engine drives the providers:
// create/diff/update/read/delete calls on the dynamic providers' implementations, outputs of one
// call fed to the next, resources started as soon as what they depend on is done (the same
// order KubeadmCluster declares), failures recorded and their dependents skipped. An inventory
// other than the first one (reordered, hosts removed or added) is resolved from a stack file with
// those hosts, as a changed stack would be, and nodes that left it are deleted after everything
// else succeeded, as the engine does.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { parseStackConfig } from "../../core/load/stack-file";
import { resolve } from "../../core/resolve/resolve";
import { nodeKeyFile } from "../../core/backup/bundle";
import type { ClusterSpec } from "../../core/spec";
import { closeConnections, setLogger } from "../../providers/kubeadm/context";
import { forgetUpgradeRun } from "../../providers/kubeadm/phases/upgrade/run-state";
import { forgetControlPlanes } from "../../providers/kubeadm/run-control-planes";
import { planNodes, secretFilesFor, specWithHosts, waitsFor, type PlannedHost } from "../../providers/kubeadm/plan";
import { hostPreparation, kubeadmNode } from "../../providers/kubeadm/runtime";
import type { Connection, HostPrepInputs, HostPrepOutputs, NodeInputs, NodeOutputs } from "../../providers/kubeadm/types";
import { startFleet, type Fleet, type FleetOptions, type HostSpec, type StandinCall } from "../hosts/harness";
import { blueprintRaw } from "../support/fixtures";
import { fleetStackConfig } from "./stack-config";
import { describeCall, isMutating } from "./standin-log";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type BlueprintEdit = (blueprint: Record<string, any>) => void;

export interface ClusterShape {
  controlPlanes: number;
  workers: number;
  /** Extra login users on every host (e.g. one without sudo). */
  users?: HostSpec["users"];
  /** SSH login per host name (default root). */
  sshUser?: Record<string, string>;
  fleet?: FleetOptions;
  /** Control-plane hosts started but left out of the first inventory (cp-<n+1>...), to add later. */
  spareControlPlanes?: number;
  /** Worker hosts started but left out of the first inventory (w-<n+1>...), to add later. */
  spareWorkers?: number;
  /** Every host's OS (default debian). */
  osRelease?: HostSpec["osRelease"];
}

export interface UpResult {
  errors: Map<string, Error>;
  skipped: string[];
  /** Nodes updated (diff found changes), and nodes deleted because they left the inventory. */
  updated: string[];
  deleted: string[];
}

/** An `up`'s errors as "node: message" lines, for assertions that print what failed. */
export const errorsOf = (r: { errors: Map<string, Error> }): string[] => [...r.errors].map(([k, e]) => `${k}: ${e.message}`);

export class TestCluster {
  readonly logs: string[] = [];
  readonly errors: string[] = [];
  readonly prepState = new Map<string, HostPrepOutputs>();
  readonly nodeState = new Map<string, NodeOutputs>();
  private readonly encryptionKey = randomBytes(32).toString("base64");
  /** clusterkit:backupKey of the stack, for scheduled snapshots. */
  readonly backupKey = randomBytes(32).toString("base64");
  private readonly specs = new Map<string, ClusterSpec>();
  /** Edits of the blueprint since start, as a user editing it between two `pulumi up`s. */
  private readonly edits: BlueprintEdit[] = [];

  private constructor(
    readonly fleet: Fleet,
    readonly hosts: PlannedHost[],
    /** Every host of the fleet, spares included, as an inventory entry. */
    readonly allHosts: PlannedHost[],
  ) {}

  static async start(shape: ClusterShape): Promise<TestCluster> {
    const specs: HostSpec[] = [
      ...Array.from({ length: shape.controlPlanes + (shape.spareControlPlanes ?? 0) }, (_, i) => ({ name: `cp-${i + 1}`, role: "control-plane" as const, users: shape.users, osRelease: shape.osRelease })),
      ...Array.from({ length: shape.workers + (shape.spareWorkers ?? 0) }, (_, i) => ({ name: `w-${i + 1}`, role: "worker" as const, users: shape.users, osRelease: shape.osRelease })),
    ];
    const fleet = await startFleet(specs, shape.fleet);
    const hosts: PlannedHost[] = fleet.hosts.map((h) => ({
      name: h.name,
      role: h.role!,
      address: h.address,
      ssh: { user: shape.sshUser?.[h.name] ?? "root", port: 22, hostKey: h.hostKeyFingerprint },
      labels: {},
      taints: [],
    }));
    const inventory = hosts.filter((h) => Number(h.name.replace(/^\D+/, "")) <= (h.role === "worker" ? shape.workers : shape.controlPlanes));
    const c = new TestCluster(fleet, inventory, hosts);
    setLogger((line) => c.logs.push(line));
    return c;
  }

  /** The spec of the first inventory, with the blueprint edits made so far. */
  get spec(): ClusterSpec {
    return this.specFor(this.hosts);
  }

  /** Changes the blueprint the stack uses; the next up() applies the change. */
  editBlueprint(edit: BlueprintEdit): void {
    this.edits.push(edit);
    this.specs.clear();
  }

  get names(): string[] {
    return this.spec.nodes.map((n) => n.name);
  }

  connection(): Connection {
    return { trustOnFirstUse: false, bastion: null, concurrency: this.spec.platform.kind === "baremetal" ? this.spec.platform.concurrency : 10 };
  }

  /** Inventory entries by host name, in this order. */
  inventory(...names: string[]): PlannedHost[] {
    return names.map((n) => {
      const h = this.allHosts.find((x) => x.name === n);
      if (!h) throw new Error(`no host ${n}`);
      return h;
    });
  }

  /** The spec of a stack whose inventory lists these hosts. */
  specFor(hosts: PlannedHost[]): ClusterSpec {
    const key = JSON.stringify(hosts.map((h) => h.name));
    if (!this.specs.has(key)) this.specs.set(key, resolveSpec(this.fleet, hosts, this.edits));
    return this.specs.get(key)!;
  }

  /** Provider inputs as KubeadmCluster computes them, for the hosts as they are now. */
  inputs(name: string, hosts = this.hosts): { prep: HostPrepInputs; node: NodeInputs } {
    const spec = this.specFor(hosts);
    const plan = planNodes(spec, hosts).find((p) => p.node.name === name);
    if (!plan) throw new Error(`no node ${name}`);
    const privateKey = this.fleet.clientKey.privateKeyPem;
    const connection = this.connection();
    const secretFiles = secretFilesFor(spec, hosts, name, [{ name: "key1", secret: this.encryptionKey }]);
    const etcdSnapshotKey = plan.kubeadm.etcdSnapshots ? nodeKeyFile(this.backupKey, spec.name) : "";
    return { prep: { ...plan.prep, privateKey, connection }, node: { ...plan.kubeadm, privateKey, connection, secretFiles, etcdSnapshotKey } };
  }

  /**
   * One `pulumi up` over the given nodes (default: all), for an inventory of `hosts`. With an
   * inventory other than the first, nodes in state that are not in it are deleted at the end,
   * once everything else succeeded.
   */
  async up(only?: string[], hosts = this.hosts): Promise<UpResult> {
    forgetUpgradeRun(); // each `pulumi up` is a new provider process
    forgetControlPlanes();
    const errors = new Map<string, Error>();
    const skipped: string[] = [];
    const updated: string[] = [];
    const deleted: string[] = [];
    const desired = specWithHosts(this.specFor(hosts), hosts).nodes;
    only ??= desired.map((n) => n.name);
    const order = waitsFor(desired.filter((n) => only!.includes(n.name)));
    const attempt = async (key: string, fn: () => Promise<void>) => {
      try {
        await fn();
        return true;
      } catch (e) {
        errors.set(key, e as Error);
        this.errors.push(String((e as Error).message ?? e));
        return false;
      }
    };
    const preps = new Map(only.map((n) => [n, attempt(`${n}-host`, () => this.applyPrep(n, hosts))]));
    const nodes = new Map<string, Promise<boolean>>();
    for (const n of only) {
      nodes.set(
        n,
        (async () => {
          const prev = order.get(n);
          const ready = (await preps.get(n)!) && (prev ? await nodes.get(prev)! : true);
          if (!ready) {
            skipped.push(n);
            return false;
          }
          return attempt(n, async () => {
            if (await this.applyNode(n, hosts)) updated.push(n);
          });
        })(),
      );
    }
    await Promise.all(nodes.values());
    if (hosts !== this.hosts && !errors.size) {
      for (const gone of [...this.nodeState.keys()].filter((n) => !hosts.some((h) => h.name === n))) {
        if (await attempt(gone, () => this.remove(gone))) deleted.push(gone);
      }
    }
    return { errors, skipped, updated, deleted };
  }

  private async applyPrep(name: string, hosts: PlannedHost[]): Promise<void> {
    const news = this.inputs(name, hosts).prep;
    const olds = this.prepState.get(name);
    if (!olds) return void this.prepState.set(name, (await hostPreparation.create(news)).outs);
    const d = await hostPreparation.diff("", olds, news);
    if (d.changes) this.prepState.set(name, (await hostPreparation.update("", olds, news)).outs);
  }

  /** Whether the node was updated (a create is not an update). */
  private async applyNode(name: string, hosts: PlannedHost[]): Promise<boolean> {
    const news = this.inputs(name, hosts).node;
    const olds = this.nodeState.get(name);
    if (!olds) {
      this.nodeState.set(name, (await kubeadmNode.create(news)).outs);
      return false;
    }
    const d = await kubeadmNode.diff("", olds, news);
    if (d.replaces.length) throw new Error(`unexpected replace of ${name}: ${d.replaces.join(", ")}`);
    if (!d.changes) return false;
    this.nodeState.set(name, (await kubeadmNode.update("", olds, news)).outs);
    return true;
  }

  /** `pulumi refresh`: read() every node and host, state updated with what it saw. */
  async refresh(): Promise<void> {
    for (const [n, s] of this.prepState) this.prepState.set(n, (await hostPreparation.read("", s)).props);
    for (const [n, s] of this.nodeState) this.nodeState.set(n, (await kubeadmNode.read("", s)).props);
  }

  /** Removes a node the way `pulumi up` does once it left the inventory. */
  async remove(name: string): Promise<void> {
    const s = this.nodeState.get(name);
    if (!s) throw new Error(`${name} has no state`);
    try {
      await kubeadmNode.delete("", s);
    } catch (e) {
      this.errors.push(String((e as Error).message));
      throw e;
    }
    this.nodeState.delete(name);
    this.prepState.delete(name);
  }

  /** Every stand-in call per host since `since` (from an earlier snapshot). */
  async calls(): Promise<Map<string, StandinCall[]>> {
    return new Map(await Promise.all(this.fleet.hosts.map(async (h) => [h.name, await h.readLog().catch(() => [])] as const)));
  }

  /** After a change has rolled out: a refresh finds no drift on any node, and a second `up` updates nothing and runs nothing that mutates a host. */
  async assertSettled(): Promise<void> {
    await this.refresh();
    for (const [n, s] of this.nodeState) assert.deepEqual(s.observed.drift, [], n);
    const quiet = await this.calls();
    const again = await this.up();
    assert.deepEqual(errorsOf(again), []);
    assert.deepEqual(again.updated, []);
    assert.deepEqual([...TestCluster.mutatingSince(quiet, await this.calls())].map(([h, cs]) => `${h}: ${cs.map(describeCall).join("; ")}`), []);
  }

  /** Mutating calls made after the snapshot, per host. */
  static mutatingSince(before: Map<string, StandinCall[]>, after: Map<string, StandinCall[]>): Map<string, StandinCall[]> {
    const out = new Map<string, StandinCall[]>();
    for (const [h, calls] of after) {
      const fresh = calls.slice(before.get(h)?.length ?? 0).filter(isMutating);
      if (fresh.length) out.set(h, fresh);
    }
    return out;
  }

  /** The state as the engine stores it, secret outputs left out (they are encrypted there). */
  serializedState(opts: { withSecretOutputs: boolean }): string {
    const strip = <T extends object>(o: T, keys: string[]) => Object.fromEntries(Object.entries(o).filter(([k]) => opts.withSecretOutputs || !keys.includes(k)));
    return JSON.stringify({
      hosts: [...this.prepState.values()].map((s) => strip(s, ["privateKey"])),
      nodes: [...this.nodeState.values()].map((s) => strip(s, ["privateKey", "secretFiles", "kubeconfig"])),
    });
  }

  async stop(): Promise<void> {
    closeConnections();
    await this.fleet.stop();
  }
}

/** The spec a stack with these hosts resolves to (through the real schemas and rules). */
function resolveSpec(fleet: Fleet, hosts: PlannedHost[], edits: BlueprintEdit[]): ClusterSpec {
  const slot = fleet.slot;
  const blueprint = blueprintRaw("baremetal-ha");
  for (const edit of edits) edit(blueprint);
  blueprint.controlPlane.count = hosts.filter((h) => h.role === "control-plane").length;
  const stack = `metal-lab${slot}`;
  const config = fleetStackConfig(slot, hosts.map((h) => ({ name: h.name, address: h.address, role: h.role, sshUser: h.ssh.user, hostKey: h.ssh.hostKey })));
  const file = `stacks/Pulumi.${stack}.yaml`;
  return resolve({ file: "blueprints/baremetal-ha.yaml", raw: blueprint }, parseStackConfig(stack, file, config)).spec;
}
