/**
 * Where `clusterkit etcd snapshot` puts a bundle: a folder on this machine, or a folder on a backup
 * host over SSH whose host key is pinned like every host's. A bundle is written as `<name>.part`
 * and renamed once whole and checked, so a listing never shows half a bundle; retention then
 * removes this cluster's oldest bundles beyond the number kept.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { PassThrough } from "node:stream";
import { expiredBundles } from "../../core/backup/bundle";
import { ClusterkitError } from "../../core/errors";
import { normalizeFingerprint } from "../../providers/ssh/fingerprint";
import { RemoteHost, shellQuote, type SshPool } from "../../providers/ssh";

export type Target = { kind: "local"; dir: string } | { kind: "ssh"; user: string; address: string; port: number; dir: string; hostKey: string };

const flagIssue = (path: string, message: string, found: string, hint?: string) => new ClusterkitError([{ file: "(command line)", path, message, found: JSON.stringify(found), hint }]);

/** `--to DIR` or `--to ssh://USER@HOST[:PORT]/PATH` with `--host-key SHA256:…`. */
export function parseTarget(to: string, hostKey: string | undefined, cwd = process.cwd()): Target {
  if (!to.startsWith("ssh://")) {
    if (hostKey) throw flagIssue("--host-key", "a host key is only for an ssh:// target", hostKey);
    return { kind: "local", dir: path.resolve(cwd, to) };
  }
  let url: URL;
  try {
    url = new URL(to);
  } catch {
    throw flagIssue("--to", "expected ssh://USER@HOST[:PORT]/PATH", to);
  }
  if (!url.username || !url.hostname || url.pathname.length < 2 || url.password) throw flagIssue("--to", "expected ssh://USER@HOST[:PORT]/PATH (no password: the SSH key signs in)", to);
  if (!hostKey) throw flagIssue("--host-key", "an ssh:// target needs its pinned host key", "(none)", `ssh-keyscan -t ed25519${url.port ? ` -p ${url.port}` : ""} ${url.hostname} | ssh-keygen -lf -   and pass --host-key SHA256:…`);
  if (!/^SHA256:[A-Za-z0-9+/]{43}=?$/.test(hostKey)) throw flagIssue("--host-key", "expected a SHA256 fingerprint as ssh-keygen -lf prints it (SHA256: and 43 base64 characters)", hostKey);
  return { kind: "ssh", user: decodeURIComponent(url.username), address: url.hostname.replace(/^\[|\]$/g, ""), port: url.port ? Number(url.port) : 22, dir: decodeURIComponent(url.pathname), hostKey: normalizeFingerprint(hostKey) };
}

export const describeTarget = (t: Target) => (t.kind === "local" ? t.dir : `ssh://${t.user}@${t.address}:${t.port}${t.dir}`);

/** One bundle being written: its stream, then commit (rename into place) or abort (remove the part). */
export interface Upload {
  stream: NodeJS.WritableStream;
  /** Resolves when every byte written to the stream is stored. */
  done: Promise<void>;
  commit(): Promise<void>;
  abort(): Promise<void>;
}

export interface TargetStore {
  label: string;
  /** Creates the folder and checks it can be written, before anything is taken. */
  prepare(): Promise<void>;
  upload(name: string): Upload;
  list(): Promise<string[]>;
  remove(names: string[]): Promise<void>;
}

export function localStore(dir: string): TargetStore {
  return {
    label: dir,
    prepare: async () => {
      try {
        fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
        fs.accessSync(dir, fs.constants.W_OK);
      } catch (e) {
        throw new ClusterkitError([{ file: "(command line)", path: "--to", message: `the folder cannot be written: ${(e as NodeJS.ErrnoException).code ?? String(e)}`, found: JSON.stringify(dir) }]);
      }
    },
    upload(name) {
      const part = path.join(dir, `${name}.part`);
      const stream = fs.createWriteStream(part, { mode: 0o600 });
      const done = new Promise<void>((resolve, reject) => {
        stream.on("finish", resolve);
        stream.on("error", reject);
      });
      return {
        stream,
        done,
        commit: async () => fs.renameSync(part, path.join(dir, name)),
        abort: async () => {
          stream.destroy();
          fs.rmSync(part, { force: true });
        },
      };
    },
    list: async () => (fs.existsSync(dir) ? fs.readdirSync(dir) : []),
    remove: async (names) => names.forEach((n) => fs.rmSync(path.join(dir, n), { force: true })),
  };
}

/** The backup host signs in with the stack's SSH key and writes as that user (no sudo). */
export function sshStore(t: Extract<Target, { kind: "ssh" }>, pool: SshPool, privateKey: string): TargetStore {
  const host = new RemoteHost(pool, { name: `backup host ${t.address}`, address: t.address, port: t.port, user: t.user, hostKey: t.hostKey, privateKey, trustOnFirstUse: false, bastion: null });
  const dir = shellQuote(t.dir);
  const step = "etcd-snapshot/target";
  return {
    label: describeTarget(t),
    prepare: async () => {
      const r = await host.run(`mkdir -p ${dir} && test -w ${dir}`, { step, mutating: true, asUser: true, okCodes: [0, 1] });
      if (r.code !== 0) throw ClusterkitError.failure("(command line)", "--to", `${t.user} cannot write to ${t.dir} on the backup host ${t.address}`, `create the folder and give ${t.user} write access to it`);
    },
    upload(name) {
      const stream = new PassThrough();
      const part = shellQuote(`${t.dir}/${name}.part`);
      const done = host
        .run(`set -e\numask 077\nmkdir -p ${dir}\ncat > ${part}`, { step, mutating: true, asUser: true, stdin: stream, timeoutMs: 60 * 60_000 })
        .then(() => undefined);
      return {
        stream,
        done,
        commit: async () => void (await host.run(`mv -f ${part} ${shellQuote(`${t.dir}/${name}`)}`, { step, mutating: true, asUser: true })),
        abort: async () => {
          stream.destroy();
          await done.catch(() => undefined);
          await host.run(`rm -f ${part}`, { step, mutating: true, asUser: true }).catch(() => undefined);
        },
      };
    },
    list: async () => (await host.run(`ls -1 ${dir} 2>/dev/null || true`, { step, mutating: false, asUser: true })).stdout.split("\n").filter(Boolean),
    remove: async (names) => {
      if (names.length) await host.run(`cd ${dir} && rm -f -- ${names.map(shellQuote).join(" ")}`, { step, mutating: true, asUser: true });
    },
  };
}

/** Removes this cluster's bundles beyond the newest `keep`; returns their names. */
export async function enforceRetention(store: TargetStore, cluster: string, keep: number): Promise<string[]> {
  const expired = expiredBundles(await store.list(), cluster, keep);
  await store.remove(expired);
  return expired;
}
