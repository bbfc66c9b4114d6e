// A project on disk whose stack lists a test cluster's fleet, for running the real `clusterkit`
// CLI against it as a user does (the example stacks are removed: they belong to other networks).
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { stringify } from "yaml";
import { clusterkit, type CliResult } from "../support/cli";
import { blueprintRaw } from "../support/fixtures";
import { tempProject, type TempProject } from "../support/temp-project";
import { TestCluster, type ClusterShape } from "./cluster";
import { fleetStackConfig } from "./stack-config";

export function fleetProject(c: TestCluster, prefix: string): { project: TempProject; stack: string } {
  const project = tempProject(prefix);
  for (const f of fs.readdirSync(path.join(project.root, "stacks"))) if (/^Pulumi\..+\.yaml$/.test(f)) fs.rmSync(path.join(project.root, "stacks", f));
  const blueprint = blueprintRaw("baremetal-ha");
  blueprint.controlPlane.count = c.hosts.filter((h) => h.role === "control-plane").length;
  project.write("blueprints/baremetal-ha.yaml", stringify(blueprint));
  const stack = `metal-lab${c.fleet.slot}`;
  writeFleetStack(c, project, stack, c.hosts.map((h) => h.name));
  return { project, stack };
}

/** The stack file listing these fleet hosts, as a user edits the inventory. */
export function writeFleetStack(c: TestCluster, project: TempProject, stack: string, names: string[]): void {
  const hosts = c.inventory(...names).map((h) => ({ name: h.name, address: h.address, role: h.role, sshUser: "root", hostKey: h.ssh.hostKey }));
  project.write(`stacks/Pulumi.${stack}.yaml`, stringify({ config: fleetStackConfig(c.fleet.slot, hosts) }));
}

/**
 * A 3-control-plane, 1-worker cluster brought up on the fleet, its project, a backup key in a file,
 * and `clusterkit etcd …` run against them with the fleet's SSH key; every output is kept so a
 * test can grep them all for secrets.
 */
export class EtcdCliFixture {
  readonly outputs: string[] = [];
  private constructor(
    readonly c: TestCluster,
    readonly project: TempProject,
    readonly stack: string,
    readonly scratch: string,
    readonly keyFile: string,
    readonly backupKey: string,
  ) {}

  static async start(prefix: string, shape: Partial<Pick<ClusterShape, "spareControlPlanes" | "spareWorkers">> = {}): Promise<EtcdCliFixture> {
    const c = await TestCluster.start({ controlPlanes: 3, workers: 1, ...shape });
    const r = await c.up();
    if (r.errors.size) throw new Error([...r.errors].map(([k, e]) => `${k}: ${e.message}`).join("\n"));
    const { project, stack } = fleetProject(c, prefix);
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), `${prefix}scratch-`));
    const backupKey = randomBytes(32).toString("base64");
    const keyFile = path.join(scratch, "backup.key");
    fs.writeFileSync(keyFile, `${backupKey}\n`, { mode: 0o600 });
    return new EtcdCliFixture(c, project, stack, scratch, keyFile, backupKey);
  }

  /** The stack lists these hosts from now on (the fixture's TestCluster is told per up()). */
  setInventory(...names: string[]): void {
    writeFleetStack(this.c, this.project, this.stack, names);
  }

  /** `clusterkit etcd <verb> --stack … --ssh-key … --key-file … ARGS`. */
  etcd(verb: "snapshot" | "restore", ...args: string[]): CliResult {
    const r = clusterkit(["etcd", verb, "--stack", this.stack, "--ssh-key", this.c.fleet.clientKey.privateKeyPath, "--key-file", this.keyFile, ...args], this.project.root);
    this.outputs.push(r.stdout, r.stderr);
    return r;
  }

  /** Asserts that no key (backup key, a CA key, the SSH key) is in anything the commands printed. */
  async assertNoKeyMaterial(): Promise<void> {
    const caKey = (await this.c.fleet.host("cp-1").readFile("/etc/kubernetes/pki/ca.key")).split("\n")[1];
    const all = this.outputs.join("\n");
    for (const needle of [this.backupKey, caKey, "PRIVATE KEY", this.c.fleet.clientKey.privateKeyPem.split("\n")[1]]) assert.equal(all.includes(needle), false);
  }

  async stop(): Promise<void> {
    await this.c.stop();
    this.project.cleanup();
    fs.rmSync(this.scratch, { recursive: true, force: true });
  }
}
