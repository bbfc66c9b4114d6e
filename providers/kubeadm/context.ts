/**
 * Process-wide runtime of the kubeadm providers. The Pulumi engine runs every dynamic resource of a
 * deployment in one provider process, so the SSH pool here is shared by all of them: one connection
 * per host for the whole `pulumi up`, and one concurrency bound across hosts.
 */
import { RemoteHost, SshPool, registerSecret, type SshTarget } from "../ssh";
import type { Connection, HostAccess } from "./types";

let pool: SshPool | null = null;
let logger: (line: string) => void = (line) => process.stderr.write(`${line}\n`);

/** Where progress lines go (the engine shows the provider's stderr); tests capture them. */
export function setLogger(fn: (line: string) => void): void {
  logger = fn;
}

export function log(line: string): void {
  logger(`clusterkit: ${line}`);
}

export function sharedPool(concurrency: number): SshPool {
  if (!pool) pool = new SshPool({ concurrency, log });
  else pool.ensureConcurrency(concurrency);
  return pool;
}

/** Closes every connection (tests, and the end of a CLI run). */
export function closeConnections(): void {
  pool?.closeAll();
  pool = null;
}

export function sshTarget(access: HostAccess, privateKey: string, conn: Connection): SshTarget {
  registerSecret(privateKey);
  return {
    name: access.name,
    address: access.address,
    port: access.port,
    user: access.user,
    hostKey: access.hostKey,
    privateKey,
    trustOnFirstUse: conn.trustOnFirstUse,
    bastion: conn.bastion,
  };
}

export function remoteHost(access: HostAccess, privateKey: string, conn: Connection): RemoteHost {
  return new RemoteHost(sharedPool(conn.concurrency), sshTarget(access, privateKey, conn));
}
