/**
 * `clusterkit tunnel --stack S [-- command…]`: holds a bare-metal stack's API tunnel through its
 * bastion open, at the port the provider's kubeconfig in state points at. `pulumi refresh` and
 * `pulumi destroy` do not run the program (which opens the tunnel during `up`/`preview`), so they
 * need it from here: in the foreground until Ctrl-C, or around one command whose exit code it returns.
 */
import { spawn } from "node:child_process";
import * as os from "node:os";
import { ClusterkitError, ExitCode } from "../../core/errors";
import { findProjectRoot, loadStackAlone } from "../../core/load/project";
import { stackFileName } from "../../core/load/stack-file";
import { apiTunnelPlan, type ApiTunnelPlan } from "../../core/render/kubeadm/api-tunnel";
import type { Io } from "../output";
import { stackNameArg } from "../stack-name";
import { stackSecret } from "../stack-secret";
import { openStackTunnel, tunnelOpenedLine } from "../stack-tunnel";

export interface Options {
  stack: string;
  sshKey?: string;
}

/** The stack's tunnel, or a clear refusal when it has none. */
export function tunnelPlanFor(root: string, stack: string): ApiTunnelPlan {
  const plan = apiTunnelPlan(loadStackAlone(root, stack).spec);
  if (!plan) {
    throw new ClusterkitError([
      {
        file: stackFileName(stack),
        path: "config.clusterkit:variables.bastion",
        message: "the stack has no bastion, so its API server is reached directly and needs no tunnel",
        hint: "tunnels are for bare-metal stacks whose hosts are reached through a bastion",
      },
    ]);
  }
  return plan;
}

/** The key from --ssh-key, else the stack's secret through the Pulumi CLI; never printed. */
export function sshKeyFor(root: string, stack: string, file: string | undefined): string {
  return stackSecret(root, stack, { configKey: "clusterkit:sshPrivateKey", flag: "--ssh-key", example: "--ssh-key ~/.ssh/clusterkit_ed25519" }, file);
}

const signals: NodeJS.Signals[] = ["SIGINT", "SIGTERM", "SIGHUP"];

export async function runTunnel(io: Io, opts: Options, command: string[], cwd = process.cwd()): Promise<number> {
  const root = findProjectRoot(cwd);
  const stack = stackNameArg(opts.stack);
  const plan = tunnelPlanFor(root, stack);
  const tunnel = await openStackTunnel(plan, sshKeyFor(root, stack, opts.sshKey));
  io.err(tunnelOpenedLine(stack, plan, tunnel));
  try {
    if (!command.length) {
      io.err("Holding it open for pulumi refresh/destroy and kubectl; Ctrl-C stops it.");
      const sig = await new Promise<NodeJS.Signals>((resolve) => signals.forEach((s) => process.once(s, () => resolve(s))));
      io.err(`API tunnel closed (${sig}).`);
      return ExitCode.ok;
    }
    return await runWhileOpen(command);
  } finally {
    for (const s of signals) process.removeAllListeners(s);
    await tunnel.close();
  }
}

/** The command gets the terminal; Ctrl-C reaches it directly, and we wait for it to finish. */
function runWhileOpen(command: string[]): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(command[0], command.slice(1), { stdio: "inherit" });
    const forward = (s: NodeJS.Signals) => child.kill(s);
    for (const s of signals) process.on(s, forward);
    child.once("error", (e: NodeJS.ErrnoException) => {
      process.stderr.write(`clusterkit: cannot run ${command[0]}: ${e.code ?? e.message}\n`);
      resolve(ExitCode.failure);
    });
    child.once("exit", (code, signal) => resolve(code ?? 128 + (signal ? os.constants.signals[signal] : 0)));
  });
}
