/**
 * A bastion stack's API tunnel around its drift check. A refresh does not run the program (which
 * opens the tunnel during up/preview), yet the Kubernetes provider's kubeconfig in state points at
 * the tunnel's loopback port, so drift holds the tunnel open while the stack is refreshed. Whatever
 * keeps it from opening becomes that stack's error result; the other stacks are still checked.
 */
import { StackNotFoundError } from "@pulumi/pulumi/automation";
import { ClusterkitError, formatIssue } from "../../core/errors";
import { classifyFailure } from "../../core/fleet/drift-errors";
import type { StackDrift, StackError } from "../../core/fleet/drift-report";
import { loadStackFile, resolveStackFile } from "../../core/load/project";
import { apiTunnelPlan, type ApiTunnelPlan } from "../../core/render/kubeadm/api-tunnel";
import { isSshError } from "../../providers/ssh/errors";
import { redact } from "../../providers/ssh/redact";
import type { ApiTunnel } from "../../providers/ssh/tunnel";
import { secretSetCommand } from "../output";
import { bastionLabel, openStackTunnel, tunnelOpenedLine } from "../stack-tunnel";
import { failureText, stackNotFound, type PulumiCli } from "./check-stack";

const KEY = "clusterkit:sshPrivateKey";

export interface TunnelContext {
  root: string;
  cli: PulumiCli;
  /** The key from --ssh-key, read once for every stack; null: each stack's own secret. */
  keyFromFile: string | null;
  /** Progress lines (stderr); never given the key. */
  log: (line: string) => void;
}

/**
 * Only the stack itself is resolved: loadStackAlone would also resolve every other stack for its
 * fleet warnings, once per stack, which drift does not need.
 */
function planOf(root: string, name: string): ApiTunnelPlan | null {
  return apiTunnelPlan(resolveStackFile(root, loadStackFile(root, name)).spec);
}

/** The first problem only: `clusterkit validate` lists them all. */
function loadError(name: string, e: unknown): StackError {
  const issues = e instanceof ClusterkitError ? e.issues : [];
  const first = issues.length ? formatIssue(issues[0]).replace(/\n\s*/g, " ") : `stacks/Pulumi.${name}.yaml: ${e instanceof Error ? e.message : String(e)}`;
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more problem(s))` : "";
  return { kind: "cli", message: `${first}${more}; drift resolves the stack to know whether it needs an API tunnel through a bastion: run clusterkit validate --stack ${name}` };
}

/** The stack's secret, through the Automation API's workspace; the value goes to the tunnel only. */
async function secretKey(cli: PulumiCli, name: string): Promise<string | StackError> {
  const hint = `set it (${secretSetCommand(KEY, name)}) or pass the key file with --ssh-key FILE`;
  try {
    const { value } = await cli.workspace.getConfig(name, KEY);
    if (typeof value === "string" && value.trim()) return value;
    return { kind: "auth", message: `the stack's secret ${KEY}, the SSH key for its API tunnel through the bastion, is empty; ${hint}` };
  } catch (e) {
    if (e instanceof StackNotFoundError) return stackNotFound(name);
    // The CLI's stderr is in a CommandError twice (as stderr and inside err?): say it once.
    const why = classifyFailure([...new Set(failureText(e).split("\n").map((l) => l.trim()))].join("\n"), [], null);
    // A stack without the key is missing a credential, whatever else the CLI said.
    return { kind: why.kind === "stack-not-found" ? why.kind : "auth", message: `the SSH key for the stack's API tunnel could not be read from its secret ${KEY} (${why.message}); ${hint}` };
  }
}

function tunnelError(plan: ApiTunnelPlan, e: unknown): StackError {
  const prefix = `API tunnel through the bastion ${bastionLabel(plan)} did not open`;
  if (!isSshError(e)) return { kind: "cli", message: `${prefix}: ${redact(e instanceof Error ? e.message : String(e))}` };
  const f = e.failure;
  // A refused key or host key is a credential problem; unreachable or a busy port is not.
  const kind = f.kind === "host-key" || f.kind === "auth" ? "auth" : "cli";
  return { kind, message: `${prefix}: ${f.message}${f.hint ? ` (${f.hint})` : ""}` };
}

/** Runs `check` with the stack's API tunnel open when it has a bastion, and closes it afterwards. */
export async function withApiTunnel(ctx: TunnelContext, name: string, check: () => Promise<StackDrift>): Promise<StackDrift> {
  const started = Date.now();
  const failed = (error: StackError): StackDrift => ({ stack: name, status: "error", durationSeconds: Math.round((Date.now() - started) / 100) / 10, changeSummary: {}, resources: [], error, etcdSnapshots: [] });

  let plan: ApiTunnelPlan | null;
  try {
    plan = planOf(ctx.root, name);
  } catch (e) {
    return failed(loadError(name, e));
  }
  if (!plan) return check();

  const key = ctx.keyFromFile ?? (await secretKey(ctx.cli, name));
  if (typeof key !== "string") return failed(key);
  let tunnel: ApiTunnel;
  try {
    tunnel = await openStackTunnel(plan, key, (line) => ctx.log(`  ${name}: ${line}`));
  } catch (e) {
    return failed(tunnelError(plan, e));
  }
  ctx.log(tunnelOpenedLine(name, plan, tunnel));
  try {
    return await check();
  } finally {
    await tunnel.close();
  }
}
