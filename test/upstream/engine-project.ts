/**
 * A throwaway project and a local Pulumi backend for the real-engine tier: the example files, the
 * bare-metal stack of a host fleet, PULUMI_HOME and the state in temp folders, the plugins installed
 * with `pulumi plugin install --file`, automatic plugin downloads and update checks off. Nothing
 * outside the temp folders (and the fleet) is read or written by the engine.
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parse, stringify } from "yaml";
import { fleetStackConfig } from "../baremetal/stack-config";
import type { Fleet } from "../hosts/harness";
import { blueprintRaw } from "../support/fixtures";
import { repoRoot, tempProject, type TempProject } from "../support/temp-project";

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** The @pulumi/kubernetes version the SDK asks the engine for (package.json's pin). */
export const kubernetesSdkVersion = (require("@pulumi/kubernetes/package.json") as { version: string }).version;

/**
 * The runtime options Pulumi.yaml gives the Node.js language host. The CLI hands them over in the
 * RunRequest's program info; the language host built here (sdk v3.68.0, see README.md) only reads
 * them as command-line flags, so the tier passes the same options as flags through a wrapper.
 */
export const runtimeOptions = { typescript: false, nodeargs: "--require tsx/cjs" };

export class EngineProject {
  readonly stack: string;
  readonly encryptionKey = randomBytes(32).toString("base64");
  readonly passphrase = randomBytes(24).toString("base64");
  readonly env: NodeJS.ProcessEnv;
  private readonly scratch: string;

  private constructor(
    readonly project: TempProject,
    readonly fleet: Fleet,
    /** The folder of the built tools; `<binDir>/..` is a Pulumi root (`--pulumi-root`). */
    readonly binDir: string,
  ) {
    this.stack = `metal-lab${fleet.slot}`;
    this.scratch = fs.mkdtempSync(path.join(os.tmpdir(), "clusterkit-engine-"));
    const home = path.join(this.scratch, "pulumi-home");
    const state = path.join(this.scratch, "state");
    const shims = path.join(this.scratch, "shims");
    // The Kubernetes provider writes its kubeconfig (the admin client key) to a temp file on every
    // configure and never removes it; a TMPDIR of its own keeps those files in the scratch folder.
    const tmp = this.tmpDir;
    for (const d of [home, state, shims, tmp]) fs.mkdirSync(d, { recursive: true });
    const flags = `-typescript=${runtimeOptions.typescript} -nodeargs='${runtimeOptions.nodeargs}'`;
    fs.writeFileSync(path.join(shims, "pulumi-language-nodejs"), `#!/bin/sh\nexec '${path.join(binDir, "pulumi-language-nodejs")}' ${flags} "$@"\n`, { mode: 0o755 });
    this.env = {
      PATH: `${shims}${path.delimiter}${process.env.PATH ?? ""}`,
      HOME: this.scratch,
      PULUMI_HOME: home,
      PULUMI_BACKEND_URL: `file://${state}`,
      PULUMI_CONFIG_PASSPHRASE: this.passphrase,
      PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
      PULUMI_SKIP_UPDATE_CHECK: "true",
      NO_COLOR: "1",
      TMPDIR: tmp,
    };
  }

  /** The TMPDIR the CLI, its plugins and `clusterkit` run with. */
  get tmpDir(): string {
    return path.join(this.scratch, "tmp");
  }

  /** The state folder of the local backend. */
  get stateDir(): string {
    return path.join(this.scratch, "state");
  }

  /** `program`: the tier's program module in this folder (engine-program, or engine-rollout-program). */
  static async create(fleet: Fleet, binDir: string, program = "engine-program"): Promise<EngineProject> {
    const project = tempProject("clusterkit-engine-project-");
    // The tier's own program is loaded from an entry in the project root: the language host runs
    // the program in main's folder, and the program finds its project from there.
    project.write("engine.ts", `export * from ${JSON.stringify(path.join(__dirname, program))};\n`);
    const pulumiYaml = parse(project.read("Pulumi.yaml")) as Record<string, unknown>;
    project.write("Pulumi.yaml", stringify({ ...pulumiYaml, main: "engine.ts" }));
    // The example stacks do not fit the one-control-plane blueprint below; they would only warn.
    for (const f of fs.readdirSync(path.join(project.root, "stacks"))) if (/^Pulumi\..+\.yaml$/.test(f)) fs.rmSync(path.join(project.root, "stacks", f));
    const e = new EngineProject(project, fleet, binDir);
    e.writeStack(e.stack, fleet.hosts.map((h) => h.name));
    return e;
  }

  /** Pulumi.yaml's runtime options as the product ships them. */
  static shippedRuntimeOptions(): unknown {
    return (parse(fs.readFileSync(path.join(repoRoot, "Pulumi.yaml"), "utf8")) as { runtime: { options: unknown } }).runtime.options;
  }

  /** A one-control-plane baremetal-ha stack over these hosts of the fleet (cp-* are control planes). */
  writeStack(stack: string, hostNames: string[]): void {
    const slot = this.fleet.slot;
    const blueprint = blueprintRaw("baremetal-ha");
    blueprint.controlPlane.count = hostNames.filter((n) => n.startsWith("cp-")).length;
    this.project.write("blueprints/baremetal-ha.yaml", stringify(blueprint));
    const hosts = hostNames.map((n) => this.fleet.host(n));
    const config = fleetStackConfig(slot, hosts.map((h) => ({ name: h.name, address: h.address, role: h.role, sshUser: "root", hostKey: h.hostKeyFingerprint })));
    this.project.write(`stacks/Pulumi.${stack}.yaml`, stringify({ config }));
  }

  /**
   * Sets `clusterkit:overrides.<key>` in the stack file, as a user edits it; what `pulumi config
   * set` wrote there (the secure values) stays.
   */
  setOverride(stack: string, key: string, value: unknown): void {
    const file = `stacks/Pulumi.${stack}.yaml`;
    const doc = parse(this.project.read(file)) as { config: Record<string, unknown> };
    doc.config["clusterkit:overrides"] = { ...(doc.config["clusterkit:overrides"] as Record<string, unknown> | undefined), [key]: value };
    this.project.write(file, stringify(doc));
  }

  removeStackFile(stack: string): void {
    fs.rmSync(path.join(this.project.root, "stacks", `Pulumi.${stack}.yaml`), { force: true });
  }

  /** Runs the built `pulumi` in the project with the tier's environment. */
  pulumi(args: string[], opts: { input?: string; env?: NodeJS.ProcessEnv } = {}): Promise<RunResult> {
    return run(path.join(this.binDir, "pulumi"), args, this.project.root, { ...this.env, ...opts.env }, opts.input);
  }

  /** Runs `clusterkit` (cli/bin.js) in the project with the tier's environment. */
  clusterkit(args: string[], env: NodeJS.ProcessEnv = {}): Promise<RunResult> {
    return run(process.execPath, [path.join(repoRoot, "cli", "bin.js"), ...args], this.project.root, { ...this.env, ...env });
  }

  /** `pulumi login` to the local backend, the kubernetes plugin installed from the built binary, the stack with its secrets. */
  async init(): Promise<void> {
    await must(this.pulumi(["login", this.env.PULUMI_BACKEND_URL!]));
    await must(this.pulumi(["plugin", "install", "resource", "kubernetes", kubernetesSdkVersion, "--file", path.join(this.binDir, "pulumi-resource-kubernetes")]));
    await must(this.pulumi(["stack", "init", this.stack, "--secrets-provider", "passphrase"]));
    await must(this.pulumi(["config", "set", "--secret", "clusterkit:sshPrivateKey", "--stack", this.stack], { input: this.fleet.clientKey.privateKeyPem }));
    await must(this.pulumi(["config", "set", "--secret", "clusterkit-test:encryptionKey", "--stack", this.stack], { input: this.encryptionKey }));
  }

  cleanup(): void {
    this.project.cleanup();
    fs.rmSync(this.scratch, { recursive: true, force: true });
  }
}

function run(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv, input?: string): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, env, stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? -1, stdout, stderr }));
    child.stdin.end(input ?? "");
  });
}

/** The result of a command that must succeed; its output is the failure message otherwise. */
export async function must(p: Promise<RunResult>): Promise<RunResult> {
  const r = await p;
  if (r.code !== 0) throw new Error(`exit ${r.code}\n${r.stdout}\n${r.stderr}`);
  return r;
}
