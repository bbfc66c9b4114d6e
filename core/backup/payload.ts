/**
 * Reading a bundle's payload back: openssl enc's salted format undone with Node's crypto, and the
 * tar.gz inside listed with node-tar. clusterkit reads every bundle it writes as it writes it, so a
 * bundle that reached its target is known to decrypt and to hold the snapshot that was verified.
 */
import { createDecipheriv, createHash, pbkdf2Sync, type Decipher } from "node:crypto";
import * as fs from "node:fs";
import { Transform, type Readable, type TransformCallback } from "node:stream";
import { pipeline } from "node:stream/promises";
import { Parser, type ReadEntry } from "tar";
import { bundleMagic, cipher, macLength, macMatches, parseHeader, sealOf, type BundleHeader, type HeaderProblem, type Seal } from "./bundle";

const salted = Buffer.from("Salted__", "ascii");

/** Ciphertext in, plaintext out: openssl's `Salted__` + 8-byte salt, then AES-256-CBC with PBKDF2's key and IV. */
export function decrypting(passphrase: string): Transform {
  let head = Buffer.alloc(0);
  let decipher: Decipher | null = null;
  return new Transform({
    transform(chunk: Buffer, _enc, done: TransformCallback) {
      try {
        if (!decipher) {
          head = Buffer.concat([head, chunk]);
          if (head.length < 16) return done();
          if (!head.subarray(0, 8).equals(salted)) return done(new Error("the payload is not in openssl's salted format"));
          const km = pbkdf2Sync(passphrase, head.subarray(8, 16), cipher.iter, 48, cipher.md);
          decipher = createDecipheriv(cipher.name, km.subarray(0, 32), km.subarray(32, 48));
          chunk = head.subarray(16);
        }
        done(null, decipher.update(chunk));
      } catch (e) {
        done(e as Error);
      }
    },
    flush(done: TransformCallback) {
      try {
        if (!decipher) return done(new Error("the payload ends before its salt"));
        done(null, decipher.final());
      } catch {
        done(new Error("the payload does not decrypt (wrong key, or the bundle is damaged)"));
      }
    },
  });
}

export interface PayloadContents {
  entries: string[];
  snapshot: { sha256: string; bytes: number } | null;
  bundleJson: string | null;
}

/** Lists a decrypted payload (tar.gz): its entries, the snapshot's hash and size, and the copy of the header it holds. */
export async function inspectPayload(plain: Readable): Promise<PayloadContents> {
  const out: PayloadContents = { entries: [], snapshot: null, bundleJson: null };
  const parser = new Parser({
    strict: true,
    onReadEntry: (entry: ReadEntry) => {
      const name = entry.path.replace(/^\.\//, "");
      if (entry.type !== "Directory") out.entries.push(name);
      if (name === "snapshot.db") {
        const h = createHash("sha256");
        let bytes = 0;
        entry.on("data", (d: Buffer) => {
          h.update(d);
          bytes += d.length;
        });
        entry.on("end", () => (out.snapshot = { sha256: h.digest("hex"), bytes }));
      } else if (name === "bundle.json") {
        const parts: Buffer[] = [];
        entry.on("data", (d: Buffer) => parts.push(d));
        entry.on("end", () => (out.bundleJson = Buffer.concat(parts).toString("utf8").trim()));
      } else entry.resume();
    },
  });
  await pipeline(plain, parser as unknown as NodeJS.WritableStream);
  return out;
}

export type OpenProblem = HeaderProblem | { kind: "wrong-key"; keyId: string } | { kind: "damaged" } | { kind: "unreadable"; detail: string };

export interface OpenedBundle {
  header: BundleHeader;
  /** The header line's bytes as written (bundle.json inside the payload must equal them). */
  headerJson: string;
  headerLength: number;
  size: number;
  seal: Seal;
}

/**
 * Checks a bundle file with the stack's key: its header, that the key is the one that sealed it
 * (by clusterkit, or on a control plane with the node key derived from it), and the MAC over the
 * whole file. Reads the file once (and its first and last bytes for the header and MAC); nothing
 * is decrypted.
 */
export async function openBundleFile(file: string, key: string): Promise<OpenedBundle | OpenProblem> {
  let size: number;
  let head: Buffer;
  const trailer = Buffer.alloc(macLength);
  try {
    const fd = fs.openSync(file, "r");
    try {
      size = fs.fstatSync(fd).size;
      head = Buffer.alloc(Math.min(size, 1 << 20));
      fs.readSync(fd, head, 0, head.length, 0);
      if (size >= macLength) fs.readSync(fd, trailer, 0, macLength, size - macLength);
    } finally {
      fs.closeSync(fd);
    }
  } catch (e) {
    return { kind: "unreadable", detail: (e as NodeJS.ErrnoException).code ?? String(e) };
  }
  const parsed = parseHeader(head);
  if ("kind" in parsed) return parsed;
  const seal = sealOf(key, parsed.header);
  if (!seal) return { kind: "wrong-key", keyId: parsed.header.keyId };
  if (size < parsed.length + macLength) return { kind: "damaged" };
  const mac = seal.mac(parsed.header.id);
  await pipeline(fs.createReadStream(file, { start: 0, end: size - macLength - 1 }), async function* (src: AsyncIterable<Buffer>) {
    for await (const chunk of src) mac.update(chunk);
  });
  if (!macMatches(mac.digest(), trailer)) return { kind: "damaged" };
  const headerJson = head.subarray(Buffer.byteLength(bundleMagic), parsed.length - 1).toString("utf8");
  return { header: parsed.header, headerJson, headerLength: parsed.length, size, seal };
}

/** The payload of a checked bundle file as it is stored: encrypted, between the header and the MAC. */
export function payloadCiphertext(file: string, opened: { headerLength: number; size: number }): Readable {
  return fs.createReadStream(file, { start: opened.headerLength, end: opened.size - macLength - 1 });
}

/** The payload of a checked bundle file, decrypted. */
export function payloadOf(file: string, opened: { headerLength: number; size: number }, passphrase: string): Readable {
  return payloadCiphertext(file, opened).pipe(decrypting(passphrase));
}

/** How a decrypted payload fails what its header promises; each caller words it for its own command. */
export type PayloadProblem = { kind: "undecryptable"; detail: string } | { kind: "snapshot-mismatch"; found: string | null } | { kind: "header-mismatch" };

/** The payload against its header: the snapshot's hash, and the sealed copy of the header (byte for byte). */
export function payloadProblem(c: PayloadContents, expected: { sha256: string; headerJson: string }): PayloadProblem | null {
  if (c.snapshot?.sha256 !== expected.sha256) return { kind: "snapshot-mismatch", found: c.snapshot?.sha256 ?? null };
  if (c.bundleJson !== expected.headerJson) return { kind: "header-mismatch" };
  return null;
}

/** Decrypts an opened bundle file's payload and checks it against its header. */
export async function verifyPayload(file: string, opened: OpenedBundle, passphrase: string): Promise<{ kind: "ok"; contents: PayloadContents } | PayloadProblem> {
  let contents: PayloadContents;
  try {
    contents = await inspectPayload(payloadOf(file, opened, passphrase));
  } catch (e) {
    return { kind: "undecryptable", detail: (e as Error).message };
  }
  return payloadProblem(contents, { sha256: opened.header.snapshot.sha256, headerJson: opened.headerJson }) ?? { kind: "ok", contents };
}
