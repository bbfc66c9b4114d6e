/**
 * Where `clusterkit etcd snapshot` puts a bundle: a folder on this machine, a folder on a backup
 * host over SSH whose host key is pinned like every host's, or an S3 bucket (./s3-store.ts). A bundle is written as `<name>.part`
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
import { describeS3, type S3Target } from "./s3-store";

export type Target = { kind: "local"; dir: string } | { kind: "ssh"; user: string; address: string; port: number; dir: string; hostKey: string } | S3Target;

/** The flags that shape a target besides --to; each belongs to one kind of target only. */
export interface TargetFlags {
  hostKey?: string;
  s3Endpoint?: string;
  s3Region?: string;
  sse?: string;
  sseKmsKeyId?: string;
}

const flagIssue = (path: string, message: string, found: string, hint?: string) => new ClusterkitError([{ file: "(command line)", path, message, found: JSON.stringify(found), hint }]);

function onlyFor(flags: TargetFlags, kind: Target["kind"]): void {
  const owners: [keyof TargetFlags, string, Target["kind"]][] = [
    ["hostKey", "--host-key", "ssh"],
    ["s3Endpoint", "--s3-endpoint", "s3"],
    ["s3Region", "--s3-region", "s3"],
    ["sse", "--sse", "s3"],
    ["sseKmsKeyId", "--sse-kms-key-id", "s3"],
  ];
  for (const [k, flag, owner] of owners) {
    if (flags[k] !== undefined && owner !== kind) throw flagIssue(flag, `${flag} is only for an ${owner}:// target`, flags[k]!);
  }
}

/** `--to DIR`, `--to ssh://USER@HOST[:PORT]/PATH` with `--host-key SHA256:…`, or `--to s3://BUCKET[/PREFIX]`. */
export function parseTarget(to: string, flags: TargetFlags = {}, cwd = process.cwd(), env: NodeJS.ProcessEnv = process.env): Target {
  if (to.startsWith("s3://")) return parseS3(to, flags, env);
  if (!to.startsWith("ssh://")) {
    onlyFor(flags, "local");
    return { kind: "local", dir: path.resolve(cwd, to) };
  }
  onlyFor(flags, "ssh");
  const hostKey = flags.hostKey;
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

/** `s3://BUCKET[/PREFIX]` with the S3 flags; the region falls back to the AWS SDK's variables. */
export function parseS3(to: string, flags: TargetFlags, env: NodeJS.ProcessEnv = process.env): S3Target {
  onlyFor(flags, "s3");
  // Bucket names: 3-63 lower-case letters, digits, dots and hyphens (S3's rules for new buckets).
  const m = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(?:\/(.*))?$/.exec(to);
  if (!m) throw flagIssue("--to", "expected s3://BUCKET or s3://BUCKET/PREFIX (a bucket name of 3-63 lower-case letters, digits, dots and hyphens)", to);
  const prefix = (m[2] ?? "").replace(/^\/+/, "");
  if (prefix.split("/").some((seg, i, all) => seg === "" && i < all.length - 1) || prefix.includes("..")) throw flagIssue("--to", "the prefix has an empty or '..' segment", to);
  let endpoint: string | null = null;
  if (flags.s3Endpoint !== undefined) {
    let u: URL | null = null;
    try {
      u = new URL(flags.s3Endpoint);
    } catch {
      /* reported below */
    }
    if (!u || !/^https?:$/.test(u.protocol) || u.pathname.length > 1 || u.search) throw flagIssue("--s3-endpoint", "expected the store's base URL, http(s)://HOST[:PORT]", flags.s3Endpoint);
    endpoint = u.origin;
  }
  const region = flags.s3Region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? "us-east-1";
  const sseKind = flags.sse ?? "AES256";
  if (sseKind !== "AES256" && sseKind !== "aws:kms") throw flagIssue("--sse", "expected AES256 (SSE-S3) or aws:kms (SSE-KMS)", sseKind);
  if (flags.sseKmsKeyId !== undefined && sseKind !== "aws:kms") throw flagIssue("--sse-kms-key-id", "a KMS key is only for --sse aws:kms", flags.sseKmsKeyId);
  return {
    kind: "s3",
    bucket: m[1],
    prefix: prefix && !prefix.endsWith("/") ? `${prefix}/` : prefix,
    endpoint,
    region,
    sse: sseKind === "AES256" ? { kind: "AES256" } : { kind: "aws:kms", keyId: flags.sseKmsKeyId ?? null },
  };
}

export const describeTarget = (t: Target) => (t.kind === "local" ? t.dir : t.kind === "ssh" ? `ssh://${t.user}@${t.address}:${t.port}${t.dir}` : describeS3(t));

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
