/**
 * All connections of a run: one per host (and one per bastion, shared by the hosts behind it),
 * created on first use and reused by every later command. Commands across hosts run under one
 * concurrency bound, so a 200-host inventory does not open 200 sessions at once.
 */
import { createHash } from "node:crypto";
import pLimit from "p-limit";
import { SshConnection, defaultConnectionOptions, type ConnectionOptions } from "./connection";
import type { ExecOptions, ExecResult, SshEndpoint, SshTarget } from "./types";

export interface PoolOptions extends Partial<Omit<ConnectionOptions, "tunnel">> {
  /** Commands in flight across all hosts. */
  concurrency: number;
}

const keyId = (privateKey: string) => createHash("sha256").update(privateKey).digest("hex").slice(0, 12);
/** A connection is reused only for the same user, key and pinned host key (a new pin re-verifies). */
const endpointId = (e: SshEndpoint, privateKey: string) => `${e.user}@${e.address}:${e.port}#${keyId(privateKey)}#${e.hostKey ?? "unpinned"}`;

export class SshPool {
  private readonly connections = new Map<string, SshConnection>();
  private limit: pLimit.Limit;
  private concurrency: number;
  private readonly connOpts: ConnectionOptions;

  constructor(opts: PoolOptions) {
    this.concurrency = opts.concurrency;
    this.limit = pLimit(opts.concurrency);
    const { concurrency: _ignored, ...rest } = opts;
    this.connOpts = { ...defaultConnectionOptions, ...rest };
  }

  /** Raises the bound to what a cluster's spec allows (the pool is shared by every resource). */
  ensureConcurrency(n: number): void {
    if (n > this.concurrency && this.limit.activeCount + this.limit.pendingCount === 0) {
      this.concurrency = n;
      this.limit = pLimit(n);
    }
  }

  connection(target: SshTarget): SshConnection {
    const bastion = target.bastion;
    const id = `${endpointId(target, target.privateKey)}${target.trustOnFirstUse ? "+tofu" : ""}${bastion ? `<${endpointId(bastion, bastion.privateKey ?? target.privateKey)}` : ""}`;
    let conn = this.connections.get(id);
    if (!conn) {
      const tunnelVia = bastion ? this.bastionConnection(target) : null;
      conn = new SshConnection(
        { name: target.name, address: target.address, port: target.port, user: target.user, hostKey: target.hostKey, privateKey: target.privateKey, trustOnFirstUse: target.trustOnFirstUse, pinField: `hosts[${target.name}].hostKey` },
        { ...this.connOpts, tunnel: tunnelVia ? (address, port) => tunnelVia.forwardOut(address, port, "connect") : undefined },
      );
      this.connections.set(id, conn);
    }
    return conn;
  }

  exec(target: SshTarget, script: string, o: ExecOptions): Promise<ExecResult> {
    const conn = this.connection(target);
    return this.limit(() => conn.exec(script, o));
  }

  closeAll(): void {
    for (const c of this.connections.values()) c.close();
    this.connections.clear();
  }

  private bastionConnection(target: SshTarget): SshConnection {
    const b = target.bastion!;
    const privateKey = b.privateKey ?? target.privateKey;
    const id = `bastion:${endpointId(b, privateKey)}`;
    let conn = this.connections.get(id);
    if (!conn) {
      // A bastion's key is always pinned (the schema requires it): it sees every connection.
      conn = new SshConnection({ name: `bastion ${b.address}`, address: b.address, port: b.port, user: b.user, hostKey: b.hostKey, privateKey, trustOnFirstUse: false, pinField: "bastion.hostKey" }, this.connOpts);
      this.connections.set(id, conn);
    }
    return conn;
  }
}
