/**
 * A stack's API tunnel as the CLI holds it, shared by `clusterkit tunnel` and `clusterkit drift`:
 * the key file from --ssh-key, opening the tunnel from its plan, and the one line saying where it
 * listens (never the key).
 */
import type { ApiTunnelPlan } from "../core/render/kubeadm/api-tunnel";
import { utils } from "ssh2";
import { SshError } from "../providers/ssh/errors";
import { ApiTunnel } from "../providers/ssh/tunnel";
import { readSecretFile } from "./stack-secret";
import type { Logger } from "../providers/ssh/types";

export function readSshKeyFile(file: string, cwd = process.cwd()): string {
  return readSecretFile(file, "--ssh-key", cwd);
}

/**
 * `log` gets the tunnel's later complaints (a forward the bastion refused); stderr by default. The
 * key is parsed first: ssh2 throws on an unusable one only after the TCP connection to the bastion
 * is open, and that socket would then keep the CLI from exiting.
 */
export async function openStackTunnel(plan: ApiTunnelPlan, privateKey: string, log?: Logger): Promise<ApiTunnel> {
  const b = plan.bastion;
  const parsed = utils.parseKey(privateKey);
  if (parsed instanceof Error) {
    // ssh2's reason names the format (or a missing passphrase), never the key's text.
    throw new SshError({ kind: "auth", host: `bastion ${b.address}`, address: b.address, step: "api-tunnel", message: `the SSH private key cannot be used: ${parsed.message}`, hint: "give an unencrypted OpenSSH or PEM private key (--ssh-key FILE, or the stack's secret clusterkit:sshPrivateKey)" });
  }
  return ApiTunnel.open({
    bastion: { address: b.address, port: b.port, user: b.user, hostKey: b.hostKey ?? "" },
    privateKey,
    target: { host: plan.targetHost, port: plan.targetPort },
    localPort: plan.localPort,
    holdProcess: true,
    log,
  });
}

export function bastionLabel(plan: ApiTunnelPlan): string {
  const b = plan.bastion;
  return `${b.user}@${b.address}:${b.port}`;
}

export function tunnelOpenedLine(stack: string, plan: ApiTunnelPlan, tunnel: ApiTunnel): string {
  return `API tunnel for ${stack}: ${tunnel.url} -> ${plan.targetHost}:${plan.targetPort} through ${bastionLabel(plan)} (certificate checked as ${plan.serverName})`;
}
