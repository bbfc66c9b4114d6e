/**
 * The etcd backup bundle on disk, and the keys that seal it. A bundle is
 *
 *   clusterkit-etcd-bundle/v1\n
 *   <header: one line of JSON, readable without the key>\n
 *   <payload: `openssl enc -aes-256-cbc -pbkdf2 -iter 10000 -md sha256 -salt` of a tar.gz>
 *   <trailer: HMAC-SHA256 of everything before it, 32 bytes>
 *
 * The payload is encrypted on the control plane, so the snapshot and the CA keys never leave it in
 * clear; openssl is on every kubeadm host, and the format is openssl's own, so a bundle can be
 * opened by hand in a disaster (docs/backup.md). The stack's backup key never reaches a node: each
 * bundle gets its own passphrase and MAC key, derived from the stack key and the bundle's id with
 * HKDF. openssl enc has no authenticated mode, so the MAC, added by clusterkit as the bundle is
 * written, is what proves a bundle whole and sealed with this stack's key.
 */
import { createHmac, hkdfSync, timingSafeEqual, type Hmac } from "node:crypto";
import { z } from "zod";

export const bundleMagic = "clusterkit-etcd-bundle/v1\n";
export const bundleExtension = ".etcd-bundle";
export const macLength = 32;
/** openssl enc's parameters; the passphrase is 256 random bits, so the iteration count only has to be openssl's. */
export const cipher = { name: "aes-256-cbc", kdf: "pbkdf2", iter: 10000, md: "sha256" } as const;

/** The member list as the snapshot's cluster had it (from `etcdctl member list`). */
const memberSchema = z.strictObject({ name: z.string(), peerUrls: z.array(z.string()) });

export const bundleHeaderSchema = z.strictObject({
  /** 32 hex digits, random per bundle: the HKDF salt. */
  id: z.string().regex(/^[0-9a-f]{32}$/),
  /** Which backup key sealed it (an HKDF output, not the key), so a wrong key is named as such. */
  keyId: z.string().regex(/^[0-9a-f]{16}$/),
  cluster: z.string(),
  stack: z.string(),
  takenAt: z.string(),
  /** The control plane the snapshot was taken on. */
  node: z.string(),
  etcdVersion: z.string(),
  kubernetesVersion: z.string(),
  members: z.array(memberSchema),
  snapshot: z.strictObject({
    sha256: z.string().regex(/^[0-9a-f]{64}$/),
    bytes: z.number().int().nonnegative(),
    /** From `etcdutl snapshot status`. */
    revision: z.number().int(),
    totalKeys: z.number().int(),
    hash: z.number().int(),
  }),
  /** Paths inside the payload's tar, besides snapshot.db. */
  files: z.array(z.string()),
  cipher: z.strictObject({ name: z.literal(cipher.name), kdf: z.literal(cipher.kdf), iter: z.number().int(), md: z.literal(cipher.md) }),
});
export type BundleHeader = z.infer<typeof bundleHeaderSchema>;

/** The smallest key accepted: 32 characters (`openssl rand -base64 32` gives 44). */
export const minKeyLength = 32;

const derive = (key: string, id: string, purpose: string) => Buffer.from(hkdfSync("sha256", Buffer.from(key, "utf8"), Buffer.from(id, "hex"), `clusterkit etcd bundle v1 ${purpose}`, 32));

/** What identifies a backup key in a header, the same for every bundle it seals. */
export const keyIdOf = (key: string) => Buffer.from(hkdfSync("sha256", Buffer.from(key, "utf8"), Buffer.alloc(0), "clusterkit etcd bundle v1 key id", 8)).toString("hex");

/** The passphrase openssl encrypts this bundle's payload with (hex; handed to the node on stdin). */
export const payloadPassphrase = (key: string, id: string) => derive(key, id, "encryption").toString("hex");

export const macKey = (key: string, id: string) => derive(key, id, "mac");

/**
 * The key a control plane seals its scheduled bundles with (hex), derived from the stack's backup
 * key and the cluster's name: the stack key itself never reaches a node, and this one opens
 * nothing but bundles of data that node holds anyway. Its own key id tells its bundles apart.
 */
export const nodeSealKey = (backupKey: string, cluster: string) =>
  Buffer.from(hkdfSync("sha256", Buffer.from(backupKey, "utf8"), Buffer.alloc(0), `clusterkit etcd bundle v1 node seal ${cluster}`, 32)).toString("hex");

/**
 * How one bundle's payload was sealed. Bundles clusterkit writes get a passphrase and MAC key of
 * their own (HKDF over the bundle id); a node has no HKDF in its shell, so its bundles use one
 * passphrase and one MAC key per cluster (openssl enc still salts each payload).
 */
export interface Seal {
  keyId: string;
  sealedOn: "clusterkit" | "node";
  passphrase(id: string): string;
  mac(id: string): Hmac;
}

export const stackSeal = (backupKey: string): Seal => ({
  keyId: keyIdOf(backupKey),
  sealedOn: "clusterkit",
  passphrase: (id) => payloadPassphrase(backupKey, id),
  mac: (id) => bundleMac(backupKey, id),
});

export function nodeSeal(backupKey: string, cluster: string): Seal {
  const k = nodeSealKey(backupKey, cluster);
  return { keyId: keyIdOf(k), sealedOn: "node", passphrase: () => payloadPassphrase(k, ""), mac: () => createHmac("sha256", macKey(k, "")) };
}

/**
 * The node's key file (0600): the payload passphrase, then HMAC-SHA256's inner and outer padded
 * keys (base64), so the node computes the MAC with `openssl dgst -sha256` alone and no key ever
 * appears on a command line (openssl's -hmac and -macopt would show it in /proc to every user);
 * last the key id for the headers, kept here so the rendered script depends on no secret.
 */
export function nodeKeyFile(backupKey: string, cluster: string): string {
  const k = nodeSealKey(backupKey, cluster);
  const block = Buffer.alloc(64);
  macKey(k, "").copy(block);
  const pad = (byte: number) => Buffer.from(block.map((b) => b ^ byte)).toString("base64");
  return `${payloadPassphrase(k, "")}\n${pad(0x36)}\n${pad(0x5c)}\n${keyIdOf(k)}\n`;
}

/** The seal a header names, of the two this stack's key can open. */
export function sealOf(backupKey: string, header: Pick<BundleHeader, "keyId" | "cluster">): Seal | null {
  return [stackSeal(backupKey), nodeSeal(backupKey, header.cluster)].find((s) => s.keyId === header.keyId) ?? null;
}

export function headerBytes(h: BundleHeader): Buffer {
  return Buffer.from(`${bundleMagic}${JSON.stringify(h)}\n`, "utf8");
}

/** An HMAC over the bundle as it is written: header, then payload chunks; `digest()` is the trailer. */
export const bundleMac = (key: string, id: string) => createHmac("sha256", macKey(key, id));

export type HeaderProblem = { kind: "not-a-bundle" } | { kind: "bad-header"; detail: string };

/** Parses the header from the first bytes of a file (at least up to its second newline). */
export function parseHeader(head: Buffer): { header: BundleHeader; length: number } | HeaderProblem {
  const magic = Buffer.from(bundleMagic, "utf8");
  if (head.length < magic.length || !head.subarray(0, magic.length).equals(magic)) return { kind: "not-a-bundle" };
  const end = head.indexOf(0x0a, magic.length);
  if (end < 0) return { kind: "bad-header", detail: "the header line does not end" };
  let json: unknown;
  try {
    json = JSON.parse(head.subarray(magic.length, end).toString("utf8"));
  } catch (e) {
    return { kind: "bad-header", detail: (e as Error).message };
  }
  const r = bundleHeaderSchema.safeParse(json);
  if (!r.success) return { kind: "bad-header", detail: r.error.issues.map((i) => `${i.path.join(".") || "(header)"}: ${i.message}`).join("; ") };
  return { header: r.data, length: end + 1 };
}

export const macMatches = (expected: Buffer, found: Buffer) => expected.length === found.length && timingSafeEqual(expected, found);

/** File name of a bundle: sorts by time within a cluster, so retention can keep the newest; the id's start keeps two in one second apart. */
export function bundleFileName(cluster: string, takenAt: Date, id: string): string {
  const t = takenAt.toISOString().replace(/[-:]/g, "").replace(/\.(\d+)Z$/, ".$1Z");
  return `${cluster}-${t}-${id.slice(0, 8)}${bundleExtension}`;
}

/**
 * Of the file names in a folder, those of this cluster that retention removes: the bundles beyond
 * the newest `keep`, and any `.part` older than the newest finished bundle (a copy that was cut
 * off: a run still writing would be newer than a bundle finished after it started).
 */
export function expiredBundles(names: string[], cluster: string, keep: number): string[] {
  const stamp = (n: string, ext: string) => (n.startsWith(`${cluster}-`) && n.endsWith(ext) && /^\d{8}T\d{6}\.\d{3}Z-[0-9a-f]{8}$/.test(n.slice(cluster.length + 1, -ext.length)) ? n.slice(cluster.length + 1, -ext.length) : null);
  const mine = names.filter((n) => stamp(n, bundleExtension)).sort();
  const newest = mine.length ? stamp(mine[mine.length - 1], bundleExtension)! : null;
  const parts = names.filter((n) => {
    const t = stamp(n, `${bundleExtension}.part`);
    return t !== null && newest !== null && t < newest;
  });
  return [...mine.slice(0, Math.max(0, mine.length - keep)), ...parts.sort()];
}
