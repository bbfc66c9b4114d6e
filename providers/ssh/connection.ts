/**
 * One SSH connection to one host, reused for every command sent to it (channels are multiplexed,
 * so commands to the same host may run at once, up to the server's MaxSessions). It reconnects on
 * demand after a drop, verifies the host key on every handshake, and checks passwordless sudo once
 * per connection for non-root users.
 */
import type { Duplex } from "node:stream";
import pLimit from "p-limit";
import type { Client, ClientChannel } from "ssh2";
import { NodeSSH } from "node-ssh";
import { isSudoRefusal, sudoProbe, wrapCommand } from "./command";
import { SshError } from "./errors";
import { hostKeyCheck } from "./host-key";
import { registerSecret } from "./redact";
import { defaultConnectPolicy, isRetryableConnectError, mayRerun, withRetry, type RetryPolicy } from "./retry";
import { openTcp } from "./socket";
import type { ExecOptions, ExecResult, Logger, SshEndpoint } from "./types";

export interface ConnectionTarget extends SshEndpoint {
  name: string;
  privateKey: string;
  trustOnFirstUse: boolean;
  /** Where the user pins this host's key, for messages. */
  pinField: string;
}

export interface ConnectionOptions {
  log: Logger;
  connectTimeoutMs: number;
  policy: RetryPolicy;
  /** OpenSSH's MaxSessions defaults to 10 channels per connection; stay under it. */
  maxChannels: number;
  /** Opens the transport through a jump host instead of a direct TCP connection. */
  tunnel?: (address: string, port: number) => Promise<Duplex>;
}

export const defaultConnectionOptions: ConnectionOptions = {
  log: (line) => process.stderr.write(`${line}\n`),
  connectTimeoutMs: 15_000,
  policy: defaultConnectPolicy,
  maxChannels: 8,
};

const DEFAULT_TIMEOUT_MS = 120_000;
/** Grace on top of the remote `timeout` (which kills after 5 s more) before we give up locally. */
const LOCAL_GRACE_MS = 8_000;
/**
 * How long a closed connection's socket may wait for the host to acknowledge the goodbye. A host
 * that is gone never does, and the half-closed socket would keep the process (a CLI run, a test)
 * alive until TCP gives up, a quarter of an hour later.
 */
const CLOSE_GRACE_MS = 2_000;

interface Session {
  ssh: NodeSSH;
  client: Client;
  /** The transport under it, ours (openTcp or the tunnel), so a close can end it for certain. */
  sock: Duplex;
  alive: boolean;
  /** Commands in flight, told when the connection drops. */
  inFlight: Set<() => void>;
}

/** Says goodbye on a session and makes sure its socket goes, acknowledged or not. */
function endSession(session: Session): void {
  session.alive = false;
  session.ssh.dispose();
  setTimeout(() => session.sock.destroy(), CLOSE_GRACE_MS).unref();
}

/** A command whose channel never opened did not run; it is safe to send again. */
class NotStarted extends Error {}

export class SshConnection {
  private session: Promise<Session> | null = null;
  private readonly channels: pLimit.Limit;

  constructor(
    readonly target: ConnectionTarget,
    private readonly opts: ConnectionOptions = defaultConnectionOptions,
  ) {
    registerSecret(target.privateKey);
    this.channels = pLimit(opts.maxChannels);
  }

  get needsSudo(): boolean {
    return this.target.user !== "root";
  }

  /** Runs a script on the host and returns its output; exits outside okCodes throw SshError. */
  async exec(script: string, o: ExecOptions): Promise<ExecResult> {
    const timeoutMs = o.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const command = wrapCommand(script, { sudo: this.needsSudo && !o.asUser, timeoutSec: timeoutMs / 1000 });
    let rerun = false;
    for (let notStarted = 0; ; ) {
      const session = await this.ready(o.step);
      try {
        const r = await this.channels(() => this.runChannel(session, command, o, timeoutMs));
        return this.judge(r, o, timeoutMs);
      } catch (e) {
        // Nothing ran, so sending it again is safe: ready() reconnects if the connection is gone.
        if (e instanceof NotStarted && ++notStarted < 5) {
          await new Promise((r) => setTimeout(r, 100 * notStarted));
          continue;
        }
        if (e instanceof NotStarted) throw this.fail("connect", o.step, `the host did not open a session channel: ${e.message}`);
        if (!rerun && mayRerun(e, o.mutating)) {
          rerun = true;
          continue;
        }
        throw e;
      }
    }
  }

  /** Opens a TCP/IP channel from this host to another (this host is the bastion). */
  async forwardOut(address: string, port: number, step: string): Promise<Duplex> {
    const session = await this.ready(step);
    return new Promise((resolve, reject) => {
      session.client.forwardOut("127.0.0.1", 0, address, port, (err, channel) => {
        if (err) reject(this.fail("connect", step, `the bastion could not open a tunnel to ${address}:${port}: ${err.message}`));
        else resolve(channel);
      });
    });
  }

  close(): void {
    const s = this.session;
    this.session = null;
    void s?.then(endSession, () => undefined);
  }

  private ready(step: string): Promise<Session> {
    const current = this.session;
    if (current) {
      return current.then(
        (s) => (s.alive ? s : this.reconnect(current, step)),
        () => this.reconnect(current, step),
      );
    }
    return this.reconnect(null, step);
  }

  /** Concurrent callers that saw the same dead session share one new connection attempt. */
  private reconnect(stale: Promise<Session> | null, step: string): Promise<Session> {
    if (this.session !== stale && this.session) return this.ready(step);
    const next = withRetry(() => this.connectOnce(step), this.opts.policy, isRetryableConnectError);
    this.session = next;
    // A refused connection is not cached: the next call tries again (and is refused again).
    next.catch(() => {
      if (this.session === next) this.session = null;
    });
    return next;
  }

  private async connectOnce(step: string): Promise<Session> {
    const t = this.target;
    const check = hostKeyCheck({ name: t.name, address: t.address, port: t.port, pinned: t.hostKey, trustOnFirstUse: t.trustOnFirstUse, pinField: t.pinField, log: this.opts.log });
    const sock = this.opts.tunnel ? await this.opts.tunnel(t.address, t.port) : await openTcp({ name: t.name, address: t.address, port: t.port }, this.opts.connectTimeoutMs);
    const ssh = new NodeSSH();
    try {
      await ssh.connect({
        sock,
        username: t.user,
        privateKey: t.privateKey,
        hostVerifier: (key: Buffer) => check.verify(key),
        readyTimeout: this.opts.connectTimeoutMs,
        keepaliveInterval: 5_000,
        keepaliveCountMax: 3,
      });
    } catch (e) {
      sock.destroy();
      ssh.dispose();
      if (check.refusal) throw check.refusal;
      throw this.classifyConnectError(e, step);
    }
    const client = ssh.connection!;
    const session: Session = { ssh, client, sock, alive: true, inFlight: new Set() };
    const drop = () => {
      session.alive = false;
      for (const tell of [...session.inFlight]) tell();
    };
    // Without an error listener a later socket error would crash the process; commands see the drop.
    client.on("error", drop);
    client.on("close", drop);
    client.on("end", drop);
    if (this.needsSudo) await this.checkSudo(session, step);
    return session;
  }

  private classifyConnectError(e: unknown, step: string): SshError {
    const err = e as Error & { level?: string; code?: string };
    const msg = err?.message ?? String(e);
    if (/authentication methods failed/i.test(msg) || err.level === "client-authentication") {
      const hint = `add the public half of the clusterkit SSH key to ~${this.target.user}/.ssh/authorized_keys on the host`;
      return new SshError({ kind: "auth", host: this.target.name, address: this.target.address, step, message: `the server refused key authentication for user ${this.target.user}`, hint });
    }
    if (/cannot parse privatekey|unsupported key format|encrypted private key/i.test(msg)) {
      const hint = "set an unencrypted OpenSSH or PEM key: pulumi config set --secret clusterkit:sshPrivateKey < KEYFILE";
      return new SshError({ kind: "auth", host: this.target.name, address: this.target.address, step, message: `the SSH private key could not be used: ${msg}`, hint });
    }
    return this.fail("connect", step, `SSH connection to ${this.target.address}:${this.target.port} failed: ${msg}`);
  }

  private async checkSudo(session: Session, step: string): Promise<void> {
    const r = await this.runChannel(session, sudoProbe, { step, mutating: false }, this.opts.connectTimeoutMs);
    if (r.code === 0) return;
    endSession(session);
    const u = this.target.user;
    throw new SshError({
      kind: "sudo",
      host: this.target.name,
      address: this.target.address,
      step,
      message: `user ${u} cannot run commands as root without a password (sudo -n refused)`,
      stderr: r.stderr,
      exitCode: r.code,
      hint: `give ${u} passwordless sudo on the host (echo '${u} ALL=(ALL) NOPASSWD: ALL' > /etc/sudoers.d/clusterkit; chmod 440 /etc/sudoers.d/clusterkit), or connect as root`,
    });
  }

  private runChannel(session: Session, command: string, o: ExecOptions, timeoutMs: number): Promise<ExecResult> {
    const started = Date.now();
    return new Promise((resolve, reject) => {
      let settled = false;
      let channel: ClientChannel | null = null;
      const stdout: Buffer[] = [];
      const stderr: Buffer[] = [];
      const finish = (err: Error | null, code?: number) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        session.inFlight.delete(onDrop);
        if (err) reject(err);
        else resolve({ code: code ?? -1, stdout: Buffer.concat(stdout).toString("utf8"), stderr: Buffer.concat(stderr).toString("utf8"), durationMs: Date.now() - started });
      };
      const onDrop = () => {
        channel?.destroy();
        finish(this.fail("connection-lost", o.step, lostMessage(o.mutating)));
      };
      const timer = setTimeout(() => {
        channel?.close();
        finish(this.fail("timeout", o.step, `no answer within ${Math.round(timeoutMs / 1000)} s; the command was abandoned`));
      }, timeoutMs + LOCAL_GRACE_MS);
      if (!session.alive) return finish(new NotStarted());
      session.inFlight.add(onDrop);
      try {
        session.client.exec(command, (err, ch) => {
          if (err) {
            session.alive = session.alive && !/not connected|no response/i.test(err.message);
            return finish(new NotStarted(err.message));
          }
          channel = ch;
          if (o.stdoutTo) ch.pipe(o.stdoutTo, { end: false });
          else ch.on("data", (d: Buffer) => stdout.push(d));
          ch.stderr.on("data", (d: Buffer) => stderr.push(d));
          ch.on("close", (code: number | null | undefined) => {
            if (typeof code === "number") finish(null, code);
            else if (!session.alive) onDrop();
            else finish(null, -1); // killed by a signal: reported with the exit code check
          });
          if (o.stdin && typeof o.stdin === "object" && "pipe" in o.stdin) o.stdin.pipe(ch);
          else ch.end(o.stdin ?? undefined);
        });
      } catch {
        session.alive = false;
        finish(new NotStarted());
      }
    });
  }

  private judge(r: ExecResult, o: ExecOptions, timeoutMs: number): ExecResult {
    const ok = o.okCodes ?? [0];
    if (ok.includes(r.code)) return r;
    if (r.code === 124 || r.code === 137) {
      throw this.fail("timeout", o.step, `timed out after ${Math.round(timeoutMs / 1000)} s and was stopped on the host`, r, o.secrets);
    }
    if (this.needsSudo && !o.asUser && isSudoRefusal(r.stderr)) {
      throw this.fail("sudo", o.step, `sudo refused the command for user ${this.target.user}`, r, o.secrets);
    }
    throw this.fail("command", o.step, `command failed with exit code ${r.code}`, r, o.secrets);
  }

  private fail(kind: SshError["kind"], step: string, message: string, r?: ExecResult, secrets?: string[]): SshError {
    const stderr = r ? (r.stderr.trim() || r.stdout.trim()).split("\n").slice(-20).join("\n") : undefined;
    const masked = secrets?.length ? secrets.reduce((s, v) => (v && v.length >= 8 ? s.split(v).join("[redacted]") : s), stderr ?? "") : stderr;
    return new SshError({ kind, host: this.target.name, address: this.target.address, step, message, exitCode: r?.code, stderr: masked });
  }
}

function lostMessage(mutating: boolean): string {
  return mutating
    ? "the SSH connection dropped while the command ran; whether it finished on the host is unknown, so it was not re-run. Run again: each step checks the host first and only does what is left"
    : "the SSH connection dropped while the command ran";
}
