/**
 * The command line's surface: every command with its options and help text. Each action loads its
 * implementation (cli/commands/<name>.ts) only when it runs, so `--help`, `--version` and a usage
 * mistake load commander and nothing else, and a command loads only what it uses.
 */
import type { Command } from "commander";
import { ClusterkitError } from "../core/errors";
import type { CloneOptions } from "../core/fleet/clone";
import type { Options as DriftOptions } from "./commands/drift";
import type { RestoreOptions, SnapshotOptions } from "./commands/etcd";
import type { Options as FleetOptions } from "./commands/fleet";
import type { Options as PlanOptions } from "./commands/plan";
import type { Options as SchemaOptions } from "./commands/schema";
import type { Options as TunnelOptions } from "./commands/tunnel";
import type { Options as ValidateOptions } from "./commands/validate";
import type { Runner } from "./main";
import { errorDocument, printIssues, type Io } from "./output";
import { stackNameArg } from "./stack-name";

const validate = () => require("./commands/validate") as typeof import("./commands/validate");
const plan = () => require("./commands/plan") as typeof import("./commands/plan");
const schema = () => require("./commands/schema") as typeof import("./commands/schema");
const cloneRegion = () => require("./commands/clone-region") as typeof import("./commands/clone-region");
const drift = () => require("./commands/drift") as typeof import("./commands/drift");
const fleet = () => require("./commands/fleet") as typeof import("./commands/fleet");
const tunnel = () => require("./commands/tunnel") as typeof import("./commands/tunnel");
const etcd = () => require("./commands/etcd") as typeof import("./commands/etcd");

export function validateCommand(program: Command, io: Io, run: Runner): void {
  program
    .command("validate")
    .description("Check every blueprint and stack (or only the named stacks) and the fleet-wide rules. Writes nothing.")
    .option("-s, --stack <name...>", "only these stacks (still checked against the whole fleet for overlaps)")
    .option("--json", "print a machine-readable report (see docs/json-output.md)")
    .action(run(async (opts: ValidateOptions) => validate().runValidate(io, { ...opts, stack: opts.stack?.map((s) => stackNameArg(s)) })));
}

export function planCommand(program: Command, io: Io, run: Runner): void {
  program
    .command("plan")
    .description("Show the resources `pulumi up` would create for a stack (or, with --state, change), offline: no Pulumi CLI, no credentials.")
    .requiredOption("-s, --stack <name>", "the stack to plan (stacks/Pulumi.<name>.yaml)")
    .option("--json", "print a machine-readable plan (see docs/json-output.md)")
    .option("--out <dir>", "also write the rendered artifacts (kubeadm configs, cloud-init, Helm values, manifests) to this folder")
    .option("--wide", "print each input on one line, however long, instead of wrapping at the terminal width")
    .option("--state <file>", "show what `pulumi up` would change compared with this `pulumi stack export` file (`-`: stdin)")
    .action(
      // Invalid input (ClusterkitError) is printed and turned into exit 2 by cli/main.ts, like every
      // command; with --json it is the same JSON error document `validate --json` prints.
      run(async (opts: PlanOptions) => {
        try {
          return await plan().runPlan(io, { ...opts, stack: stackNameArg(opts.stack) });
        } catch (e) {
          if (!(opts.json && e instanceof ClusterkitError)) throw e;
          io.out(errorDocument(e.issues));
          return e.exitCode;
        }
      }),
    );
}

export function schemaCommand(program: Command, io: Io, run: Runner): void {
  program
    .command("schema")
    .description("Print the JSON Schemas for blueprints and stacks (for editor autocompletion).")
    .option("--write", "write them to blueprints/blueprint.schema.json and stacks/stack.schema.json")
    .option("--check", "exit 1 if the committed files are stale")
    .action(run(async (opts: SchemaOptions) => schema().runSchema(io, opts)));
}

export function cloneRegionCommand(program: Command, io: Io, run: Runner): void {
  program
    .command("clone-region")
    .description("Create stacks/Pulumi.<to>.yaml from an existing stack for a new region: ranges from the address plan, zones from the region table, placeholders for site values, no secrets.")
    .requiredOption("--from <stack>", "the stack to clone")
    .requiredOption("--to <stack>", "the new stack's name")
    .requiredOption("--region <region>", "the new region: an AWS region on EKS, a site name on vSphere and bare metal")
    .option("--set <key=value>", "set a region variable instead of deriving it or leaving a placeholder (repeatable; lists comma-separated, hosts as JSON)", (v: string, acc: string[]) => [...acc, v], [] as string[])
    .action(
      run(async (opts: CloneOptions) => {
        try {
          return cloneRegion().runCloneRegion(io, opts);
        } catch (e) {
          if (e instanceof ClusterkitError) {
            printIssues(io, e.issues);
            return e.exitCode;
          }
          throw e;
        }
      }),
    );
}

export function driftCommand(program: Command, io: Io, run: Runner): void {
  program
    .command("drift")
    .description("Check deployed stacks for drift with a preview-only refresh (Pulumi Automation API). Exit 0: none, 1: drift, 2: a stack could not be checked.")
    .option("--stacks <glob>", "only stacks matching this glob (* and ?, comma-separated for several)")
    .option("--concurrency <n>", "stacks checked at the same time", "3")
    .option("--shard <i/n>", "check only shard i of n (1-based; sorted stack names dealt round-robin), for CI matrix jobs")
    .option("--json <file>", "write the report as JSON (apiVersion clusterkit.dev/drift/v1, see docs/fleet.md)")
    .option("--markdown <file>", "write the report as Markdown; appended when the file is $GITHUB_STEP_SUMMARY")
    .option("--timeout <seconds>", "give up on a stack after this long", "900")
    .option("--pulumi-root <dir>", "use the Pulumi CLI in <dir>/bin instead of the one on PATH (also CLUSTERKIT_PULUMI_ROOT)")
    .option("--ssh-key <file>", "SSH private key for the bastions of stacks reached through an API tunnel (default: each stack's secret clusterkit:sshPrivateKey, read through the Pulumi CLI)")
    .action(
      run(async (opts: DriftOptions) => {
        try {
          return await drift().runDrift(io, opts);
        } catch (e) {
          if (e instanceof ClusterkitError) {
            printIssues(io, e.issues);
            return e.exitCode;
          }
          throw e;
        }
      }),
    );
}

export function fleetCommand(program: Command, io: Io, run: Runner): void {
  program
    .command("fleet")
    .description("List every stack (platform, region, Kubernetes version, CNI, ranges, node counts, blueprint) and flag overlaps, version skew and blueprints changed since cloning.")
    .option("--json", "print the report as JSON (apiVersion clusterkit.dev/fleet/v1, see docs/fleet.md)")
    .option("--affected <file>", "instead, list the stacks touched by the changed paths in <file> (one per line, as git diff --name-only prints them)")
    .action(
      run(async (opts: FleetOptions) => {
        try {
          return fleet().runFleet(io, opts);
        } catch (e) {
          if (e instanceof ClusterkitError) {
            printIssues(io, e.issues);
            return e.exitCode;
          }
          throw e;
        }
      }),
    );
}

export function tunnelCommand(program: Command, io: Io, run: Runner): void {
  program
    .command("tunnel")
    .description("Hold a bare-metal stack's API tunnel through its bastion open (for pulumi refresh/destroy and kubectl), or run one command while it is open.")
    .requiredOption("--stack <name>", "the stack (name or stacks/Pulumi.<name>.yaml)")
    .option("--ssh-key <file>", "SSH private key for the bastion (default: the stack's secret clusterkit:sshPrivateKey, read with the Pulumi CLI)")
    .argument("[command...]", "run this command (after --) while the tunnel is open and exit with its code")
    .action((command: string[], opts: TunnelOptions) => run((o: TunnelOptions) => tunnel().runTunnel(io, o, command))(opts));
}

export function etcdCommand(program: Command, io: Io, run: Runner): void {
  const group = program.command("etcd").description("Back up and restore the etcd of a bare-metal or vSphere stack (see the README's disaster-recovery runbook).");
  group
    .command("snapshot")
    .description("Take a consistent etcd snapshot on a control plane, verify it, encrypt it there with the stack's backup key, and copy the bundle (snapshot, CAs, service-account keys, encryption config) to the target.")
    .requiredOption("-s, --stack <name>", "the stack (name or stacks/Pulumi.<name>.yaml)")
    .requiredOption("--to <target>", "a folder on this machine, ssh://USER@HOST[:PORT]/PATH on a backup host, or s3://BUCKET[/PREFIX]")
    .option("--host-key <fingerprint>", "the backup host's pinned SHA256 host key (required with ssh://)")
    .option("--s3-endpoint <url>", "an S3-compatible store's base URL (path-style addressing); default: AWS S3")
    .option("--s3-region <region>", "the bucket's region (default: AWS_REGION, AWS_DEFAULT_REGION, else us-east-1)")
    .option("--sse <kind>", "server-side encryption of the objects: AES256 (SSE-S3) or aws:kms (SSE-KMS)", undefined)
    .option("--sse-kms-key-id <id>", "the KMS key for --sse aws:kms (default: the bucket's AWS-managed key)")
    .option("--keep <n>", "bundles of this cluster kept at the target; older ones are removed", "14")
    .option("--state <file>", "vSphere: a `pulumi stack export` of the stack (- for stdin), where each VM's host key and address are kept (default: read with the Pulumi CLI)")
    .option("--ssh-key <file>", "SSH private key for the control planes and the backup host (default: the stack's secret clusterkit:sshPrivateKey, read with the Pulumi CLI)")
    .option("--key-file <file>", "the backup key (default: the stack's secret clusterkit:backupKey, read with the Pulumi CLI)")
    .option("--collect", "take no snapshot: copy the bundles the control planes sealed on their schedule (backup.etcd.schedule) to the target, each checked first")
    .option("--json", "print the bundle's description as JSON (apiVersion clusterkit.dev/etcd-snapshot/v1; with --collect clusterkit.dev/etcd-collect/v1; see docs/json-output.md)")
    .action(run(async (opts: SnapshotOptions) => etcd().runSnapshot(io, opts)));
  group
    .command("restore")
    .description("Put the cluster's etcd back to a bundle on the stack's control planes: checked first, then API servers and etcd stopped, every member restored from it as a new cluster, etcd and the API servers started, the controller-managers, schedulers and kubelets restarted. Run again to resume.")
    .requiredOption("-s, --stack <name>", "the stack (name or stacks/Pulumi.<name>.yaml)")
    .requiredOption("--snapshot <bundle>", "the bundle (clusterkit etcd snapshot wrote it): a file, or s3://BUCKET/[PREFIX/]NAME.etcd-bundle")
    .option("--s3-endpoint <url>", "with an s3:// bundle: an S3-compatible store's base URL; default: AWS S3")
    .option("--s3-region <region>", "with an s3:// bundle: the bucket's region (default: AWS_REGION, AWS_DEFAULT_REGION, else us-east-1)")
    .option("--confirm <cluster>", "the cluster's name: a restore loses every change made since the snapshot")
    .option("--state <file>", "vSphere: a `pulumi stack export` of the stack (- for stdin), where each VM's host key and address are kept (default: read with the Pulumi CLI)")
    .option("--ssh-key <file>", "SSH private key for the nodes (default: the stack's secret clusterkit:sshPrivateKey, read with the Pulumi CLI)")
    .option("--key-file <file>", "the backup key (default: the stack's secret clusterkit:backupKey, read with the Pulumi CLI)")
    .action(run(async (opts: RestoreOptions) => etcd().runRestore(io, opts)));
}
