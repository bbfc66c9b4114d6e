// A bare-metal cluster on fake hosts, driven the way the Pulumi engine drives the providers:
// create/diff/update/read/delete calls on the dynamic providers' implementations, outputs of one
// call fed to the next, resources started as soon as what they depend on is done (the same
// order KubeadmCluster declares), failures recorded and their dependents skipped.
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { parseStackConfig } from "../../core/load/stack-file";
import { resolve } from "../../core/resolve/resolve";
import type { ClusterSpec } from "../../core/spec";
import { closeConnections, setLogger } from "../../providers/kubeadm/context";
import { planNodes, secretFilesFor, waitsFor, type PlannedHost } from "../../providers/kubeadm/plan";
import { hostPreparation, kubeadmNode } from "../../providers/kubeadm/runtime";
import type { Connection, HostPrepInputs, HostPrepOutputs, NodeInputs, NodeOutputs } from "../../providers/kubeadm/types";
import { startFleet, type Fleet, type FleetOptions, type HostSpec, type StandinCall } from "../hosts/harness";
import { isMutating } from "./standin-log";

const repoRoot = path.resolve(__dirname, "..", "..");

export interface ClusterShape {
  controlPlanes: number;
  workers: number;
  /** Extra login users on every host (e.g. one without sudo). */
  users?: HostSpec["users"];
  /** SSH login per host name (default root). */
  sshUser?: Record<string, string>;
  fleet?: FleetOptions;
}

export interface UpResult {
  errors: Map<string, Error>;
  skipped: string[];
}

export class TestCluster {
  readonly logs: string[] = [];
  readonly errors: string[] = [];
  readonly prepState = new Map<string, HostPrepOutputs>();
  readonly nodeState = new Map<string, NodeOutputs>();
  private readonly encryptionKey = randomBytes(32).toString("base64");

  private constructor(
    readonly fleet: Fleet,
    readonly spec: ClusterSpec,
    readonly hosts: PlannedHost[],
  ) {}

  static async start(shape: ClusterShape): Promise<TestCluster> {
    const specs: HostSpec[] = [
      ...Array.from({ length: shape.controlPlanes }, (_, i) => ({ name: `cp-${i + 1}`, role: "control-plane" as const, users: shape.users })),
      ...Array.from({ length: shape.workers }, (_, i) => ({ name: `w-${i + 1}`, role: "worker" as const, users: shape.users })),
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
    const c = new TestCluster(fleet, resolveSpec(fleet, hosts), hosts);
    setLogger((line) => c.logs.push(line));
    return c;
  }

  get names(): string[] {
    return this.spec.nodes.map((n) => n.name);
  }

  connection(): Connection {
    return { trustOnFirstUse: false, bastion: null, concurrency: this.spec.platform.kind === "baremetal" ? this.spec.platform.concurrency : 10 };
  }

  /** Provider inputs as KubeadmCluster computes them, for the hosts as they are now. */
  inputs(name: string, hosts = this.hosts): { prep: HostPrepInputs; node: NodeInputs } {
    const plan = planNodes(this.spec, hosts).find((p) => p.node.name === name);
    if (!plan) throw new Error(`no node ${name}`);
    const privateKey = this.fleet.clientKey.privateKeyPem;
    const connection = this.connection();
    const secretFiles = secretFilesFor(this.spec, hosts, name, [{ name: "key1", secret: this.encryptionKey }]);
    return { prep: { ...plan.prep, privateKey, connection }, node: { ...plan.kubeadm, privateKey, connection, secretFiles } };
  }

  /** One `pulumi up` over the given nodes (default: all). */
  async up(only: string[] = this.names, hosts = this.hosts): Promise<UpResult> {
    const errors = new Map<string, Error>();
    const skipped: string[] = [];
    const order = waitsFor(this.spec.nodes.filter((n) => only.includes(n.name)));
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
          return attempt(n, () => this.applyNode(n, hosts));
        })(),
      );
    }
    await Promise.all(nodes.values());
    return { errors, skipped };
  }

  private async applyPrep(name: string, hosts: PlannedHost[]): Promise<void> {
    const news = this.inputs(name, hosts).prep;
    const olds = this.prepState.get(name);
    if (!olds) return void this.prepState.set(name, (await hostPreparation.create(news)).outs);
    const d = await hostPreparation.diff("", olds, news);
    if (d.changes) this.prepState.set(name, (await hostPreparation.update("", olds, news)).outs);
  }

  private async applyNode(name: string, hosts: PlannedHost[]): Promise<void> {
    const news = this.inputs(name, hosts).node;
    const olds = this.nodeState.get(name);
    if (!olds) return void this.nodeState.set(name, (await kubeadmNode.create(news)).outs);
    const d = await kubeadmNode.diff("", olds, news);
    if (d.replaces.length) throw new Error(`unexpected replace of ${name}: ${d.replaces.join(", ")}`);
    if (d.changes) this.nodeState.set(name, (await kubeadmNode.update("", olds, news)).outs);
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
function resolveSpec(fleet: Fleet, hosts: PlannedHost[]): ClusterSpec {
  const slot = fleet.slot;
  const blueprint = parse(fs.readFileSync(path.join(repoRoot, "blueprints", "baremetal-ha.yaml"), "utf8"));
  blueprint.controlPlane.count = hosts.filter((h) => h.role === "control-plane").length;
  const stack = `metal-lab${slot}`;
  const config = {
    "clusterkit:blueprint": "baremetal-ha",
    "clusterkit:region": `lab${slot}`,
    "clusterkit:variables": {
      nodeCidr: `10.77.${slot}.0/24`,
      podCidr: "10.240.0.0/16",
      serviceCidr: "10.241.0.0/20",
      controlPlaneVip: `10.77.${slot}.250`,
      ingressAddressPool: `10.77.${slot}.240-10.77.${slot}.249`,
      hosts: hosts.map((h) => ({ name: h.name, address: h.address, role: h.role, sshUser: h.ssh.user, hostKey: h.ssh.hostKey })),
    },
  };
  const file = `stacks/Pulumi.${stack}.yaml`;
  return resolve({ file: "blueprints/baremetal-ha.yaml", raw: blueprint }, parseStackConfig(stack, file, config)).spec;
}
