/**
 * A local TCP port forwarded through the bastion to the API server endpoint (ssh -L, in process).
 * Used where the runner can reach only the bastion: the Kubernetes provider (a separate process)
 * connects to 127.0.0.1:<port>. The bastion's key is pinned and checked like every other SSH
 * connection. Inside the Pulumi program the tunnel must never keep the process alive (the engine
 * decides when the program is done), so the listener and sockets are unref'd and no keepalive
 * timer runs; the CLI, which holds the tunnel on purpose, keeps them referenced.
 */
import * as net from "node:net";
import { Client, type ClientChannel } from "ssh2";
import { SshError } from "./errors";
import { hostKeyCheck } from "./host-key";
import { redact, registerSecret } from "./redact";
import { openTcp } from "./socket";
import type { Logger } from "./types";

export interface ApiTunnelOptions {
  bastion: { address: string; port: number; user: string; hostKey: string };
  privateKey: string;
  /** The endpoint as the bastion reaches it. */
  target: { host: string; port: number };
  /** 127.0.0.1 port to listen on; 0 picks a free one. */
  localPort: number;
  /** False inside the Pulumi program: the tunnel must not keep it running. */
  holdProcess: boolean;
  log?: Logger;
  connectTimeoutMs?: number;
}

const STEP = "api-tunnel";

export class ApiTunnel {
  private client: Promise<Client> | null = null;
  private readonly sockets = new Set<net.Socket>();
  private closed = false;

  private constructor(
    private readonly opts: ApiTunnelOptions,
    private readonly server: net.Server,
  ) {}

  /** Connects to the bastion first, so a wrong host key or key is reported before anything listens. */
  static async open(opts: ApiTunnelOptions): Promise<ApiTunnel> {
    registerSecret(opts.privateKey);
    const server = net.createServer();
    const tunnel = new ApiTunnel(opts, server);
    await tunnel.bastion();
    try {
      await listen(server, opts.localPort);
    } catch (e) {
      tunnel.closeClient();
      const code = (e as NodeJS.ErrnoException).code ?? String(e);
      throw new SshError({
        kind: "connect",
        host: `bastion ${opts.bastion.address}`,
        address: "127.0.0.1",
        step: STEP,
        message: `cannot listen on 127.0.0.1:${opts.localPort} for the API tunnel: ${code}`,
        hint: code === "EADDRINUSE" ? "another tunnel or program holds the port: stop it, or set the stack variable apiTunnelPort to a free port" : undefined,
      });
    }
    server.on("connection", (s) => tunnel.forward(s));
    if (!opts.holdProcess) server.unref();
    return tunnel;
  }

  get port(): number {
    return (this.server.address() as net.AddressInfo).port;
  }

  get url(): string {
    return `https://127.0.0.1:${this.port}`;
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const s of this.sockets) s.destroy();
    this.closeClient();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private closeClient(): void {
    const c = this.client;
    this.client = null;
    void c?.then((x) => x.end(), () => undefined);
  }

  /** One SSH connection for all forwarded sockets; after a drop the next socket reconnects. */
  private bastion(): Promise<Client> {
    if (!this.client) {
      const next = this.connect();
      this.client = next;
      next.catch(() => {
        if (this.client === next) this.client = null;
      });
    }
    return this.client;
  }

  private async connect(): Promise<Client> {
    const { bastion: b, holdProcess } = this.opts;
    const name = `bastion ${b.address}`;
    const timeout = this.opts.connectTimeoutMs ?? 15_000;
    const log = this.opts.log ?? ((line: string) => process.stderr.write(`${line}\n`));
    const check = hostKeyCheck({ name, address: b.address, port: b.port, pinned: b.hostKey, trustOnFirstUse: false, pinField: "bastion.hostKey", log });
    const sock = await openTcp({ name, address: b.address, port: b.port }, timeout);
    if (!holdProcess) sock.unref();
    const client = new Client();
    const self = new Promise<Client>((resolve, reject) => {
      client.once("ready", () => resolve(client));
      client.once("error", (e: Error & { level?: string }) => {
        sock.destroy();
        if (check.refusal) return reject(check.refusal);
        const auth = e.level === "client-authentication";
        reject(
          new SshError({
            kind: auth ? "auth" : "connect",
            host: name,
            address: b.address,
            step: STEP,
            message: auth ? `the bastion refused key authentication for user ${b.user}` : `SSH connection to the bastion failed: ${redact(e.message)}`,
          }),
        );
      });
      // No keepalive timer inside the program: an interval would keep the process alive.
      try {
        client.connect({ sock, username: b.user, privateKey: this.opts.privateKey, hostVerifier: (key: Buffer) => check.verify(key), readyTimeout: timeout, keepaliveInterval: holdProcess ? 15_000 : 0 });
      } catch (e) {
        // ssh2 throws before any event for a key it cannot parse: the socket would stay open.
        sock.destroy();
        reject(new SshError({ kind: "connect", host: name, address: b.address, step: "api-tunnel", message: `the SSH key cannot be used: ${redact((e as Error).message)}` }));
      }
    });
    await self;
    const current = this.client;
    const drop = () => {
      if (this.client === current) this.client = null;
    };
    client.on("error", drop);
    client.on("close", drop);
    return client;
  }

  private forward(local: net.Socket): void {
    if (!this.opts.holdProcess) local.unref();
    local.setNoDelay(true);
    local.on("error", () => local.destroy());
    this.sockets.add(local);
    local.on("close", () => this.sockets.delete(local));
    const { host, port } = this.opts.target;
    this.bastion()
      .then((client) => new Promise<ClientChannel>((resolve, reject) => client.forwardOut("127.0.0.1", 0, host, port, (err, ch) => (err ? reject(err) : resolve(ch)))))
      .then(
        (channel) => {
          if (this.closed || local.destroyed) return channel.destroy();
          channel.on("error", () => local.destroy());
          channel.on("close", () => local.destroy());
          local.on("close", () => channel.destroy());
          local.pipe(channel).pipe(local);
        },
        (e: unknown) => {
          local.destroy();
          const why = e instanceof SshError ? e.message : `the bastion could not open a connection to ${host}:${port}: ${redact(e instanceof Error ? e.message : String(e))}`;
          (this.opts.log ?? ((line: string) => process.stderr.write(`${line}\n`)))(`clusterkit: API tunnel: ${why}`);
        },
      );
  }
}

function listen(server: net.Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen({ host: "127.0.0.1", port, exclusive: true }, () => {
      server.removeListener("error", reject);
      resolve();
    });
  });
}
