/**
 * An S3 bucket (or any S3-compatible store) as a bundle target. A bundle is one multipart upload
 * that is completed only once the bundle checks out, so the bucket never lists half a bundle or
 * one that failed its check; an upload left incomplete by a run that was cut off shows as
 * `<name>.part` to retention, which aborts it. Every object is written with server-side encryption
 * (SSE-S3 or SSE-KMS) on top of the bundle's own. Credentials come from the AWS SDK's usual chain
 * (environment, shared profile, SSO, instance role), never from a flag.
 */
import type { S3Client } from "@aws-sdk/client-s3";
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import { Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { ClusterkitError } from "../../core/errors";
import type { TargetStore, Upload } from "./targets";

export interface S3Target {
  kind: "s3";
  bucket: string;
  /** "" or a key prefix ending in "/". */
  prefix: string;
  /** An S3-compatible endpoint (path-style addressing), or null for AWS itself. */
  endpoint: string | null;
  region: string;
  sse: { kind: "AES256" } | { kind: "aws:kms"; keyId: string | null };
}

/** What the credentials must allow on the bucket (the README lists the same). */
export const s3Permissions = "s3:PutObject, s3:GetObject, s3:ListBucket, s3:ListBucketMultipartUploads, s3:DeleteObject and s3:AbortMultipartUpload";

/** S3's smallest part (but the last); bigger parts would only hold more of the bundle in memory. */
const partBytes = 8 * 1024 * 1024;

/** The bundles' folder as an s3:// location: the bundle's own location is this, a slash and its name. */
export const describeS3 = (t: S3Target) => `s3://${t.bucket}${t.prefix ? `/${t.prefix.replace(/\/$/, "")}` : ""}`;
const where = (t: S3Target) => `${describeS3(t)}${t.endpoint ? ` (at ${t.endpoint})` : ""}`;

function s3Sdk(): typeof import("@aws-sdk/client-s3") {
  // Loaded only for an s3:// target: the SDK is a few hundred modules no other command needs.
  return require("@aws-sdk/client-s3") as typeof import("@aws-sdk/client-s3");
}

export function s3Client(t: S3Target): S3Client {
  const sdk = s3Sdk();
  return new sdk.S3Client({
    region: t.region,
    ...(t.endpoint
      ? {
          endpoint: t.endpoint,
          forcePathStyle: true,
          // S3-compatible stores often reject the SDK's newer default checksum headers.
          requestChecksumCalculation: "WHEN_REQUIRED" as const,
          responseChecksumValidation: "WHEN_REQUIRED" as const,
        }
      : {}),
  });
}

const sseParams = (t: S3Target) => (t.sse.kind === "AES256" ? { ServerSideEncryption: "AES256" as const } : { ServerSideEncryption: "aws:kms" as const, ...(t.sse.keyId ? { SSEKMSKeyId: t.sse.keyId } : {}) });

/** A store error as a clusterkit failure: the operation, the bucket, S3's own code and message. */
function s3Failure(t: S3Target, what: string, e: unknown, flag = "--to"): ClusterkitError {
  const err = e as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
  const code = err.name && err.name !== "Error" ? `${err.name}: ` : "";
  const status = err.$metadata?.httpStatusCode ? ` (HTTP ${err.$metadata.httpStatusCode})` : "";
  const hint =
    err.name === "CredentialsProviderError"
      ? "give the AWS SDK credentials: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE"
      : err.name === "NoSuchBucket"
        ? `create the bucket ${t.bucket} first, with versioning or object lock if bundles must survive a deletion`
        : err.name === "NoSuchKey"
          ? `no such bundle in ${describeS3(t)}: list the bundles there (aws s3 ls ${describeS3(t)}/)`
        : err.$metadata?.httpStatusCode === 403
          ? `the credentials need ${s3Permissions} on ${t.bucket}, and kms:GenerateDataKey and kms:Decrypt on the KMS key with SSE-KMS`
          : undefined;
  return ClusterkitError.failure("(command line)", flag, `${what} at ${where(t)} failed: ${code}${err.message ?? String(e)}${status}`, hint);
}

export function s3Store(t: S3Target, client: S3Client = s3Client(t)): TargetStore {
  const sdk = s3Sdk();
  const key = (name: string) => `${t.prefix}${name}`;
  const send = async <T>(what: string, fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (e) {
      throw s3Failure(t, what, e);
    }
  };

  async function incompleteUploads(): Promise<{ Key: string; UploadId: string }[]> {
    const out: { Key: string; UploadId: string }[] = [];
    let KeyMarker: string | undefined;
    let UploadIdMarker: string | undefined;
    for (;;) {
      const r = await send("listing incomplete uploads", () => client.send(new sdk.ListMultipartUploadsCommand({ Bucket: t.bucket, Prefix: t.prefix, KeyMarker, UploadIdMarker })));
      for (const u of r.Uploads ?? []) if (u.Key && u.UploadId) out.push({ Key: u.Key, UploadId: u.UploadId });
      if (!r.IsTruncated) return out;
      KeyMarker = r.NextKeyMarker;
      UploadIdMarker = r.NextUploadIdMarker;
    }
  }

  return {
    label: describeS3(t),
    async prepare() {
      // Writing is the only proof of being allowed to write (and that the SSE settings are accepted).
      const probe = key(`.clusterkit-write-check-${randomBytes(6).toString("hex")}`);
      await send("writing a test object", () => client.send(new sdk.PutObjectCommand({ Bucket: t.bucket, Key: probe, Body: "", ...sseParams(t) })));
      await send("removing the test object", () => client.send(new sdk.DeleteObjectCommand({ Bucket: t.bucket, Key: probe })));
    },
    upload(name): Upload {
      const Key = key(name);
      const created = send("starting the upload", () => client.send(new sdk.CreateMultipartUploadCommand({ Bucket: t.bucket, Key, ContentType: "application/octet-stream", ...sseParams(t) })));
      created.catch(() => undefined); // surfaces through the stream's first write, or done
      const parts: { PartNumber: number; ETag: string }[] = [];
      let pending: Buffer[] = [];
      let pendingBytes = 0;
      // The part being sent, so an abort waits for it: a part that lands after the abort would keep its storage.
      let inflight: Promise<void> = Promise.resolve();
      const flush = async () => {
        const { UploadId } = await created;
        const Body = Buffer.concat(pending);
        pending = [];
        pendingBytes = 0;
        const PartNumber = parts.length + 1;
        const r = await send(`uploading part ${PartNumber}`, () => client.send(new sdk.UploadPartCommand({ Bucket: t.bucket, Key, UploadId, PartNumber, Body })));
        parts.push({ PartNumber, ETag: r.ETag! });
      };
      const stream = new Writable({
        write(chunk: Buffer, _enc, done) {
          pending.push(chunk);
          pendingBytes += chunk.length;
          if (pendingBytes < partBytes) return done();
          inflight = flush();
          inflight.then(() => done(), done);
        },
        final(done) {
          // The last part may be small, but never empty (unless it is the only one).
          if (!pendingBytes && parts.length) return done();
          inflight = flush();
          inflight.then(() => done(), done);
        },
      });
      const done = new Promise<void>((resolve, reject) => {
        stream.on("finish", resolve);
        stream.on("error", reject);
        stream.on("close", () => reject(new Error("the upload was aborted")));
      });
      done.catch(() => undefined); // awaited by the caller; an abort before then is not unhandled
      return {
        stream,
        done,
        commit: async () => {
          const { UploadId } = await created;
          await send("completing the upload", () => client.send(new sdk.CompleteMultipartUploadCommand({ Bucket: t.bucket, Key, UploadId, MultipartUpload: { Parts: parts } })));
        },
        abort: async () => {
          stream.destroy();
          await inflight.catch(() => undefined);
          const c = await created.catch(() => null);
          if (c?.UploadId) await client.send(new sdk.AbortMultipartUploadCommand({ Bucket: t.bucket, Key, UploadId: c.UploadId })).catch(() => undefined);
        },
      };
    },
    async list() {
      const names: string[] = [];
      let ContinuationToken: string | undefined;
      do {
        const r = await send("listing bundles", () => client.send(new sdk.ListObjectsV2Command({ Bucket: t.bucket, Prefix: t.prefix, Delimiter: "/", ContinuationToken })));
        for (const o of r.Contents ?? []) if (o.Key) names.push(o.Key.slice(t.prefix.length));
        ContinuationToken = r.IsTruncated ? r.NextContinuationToken : undefined;
      } while (ContinuationToken);
      for (const u of await incompleteUploads()) if (!u.Key.slice(t.prefix.length).includes("/")) names.push(`${u.Key.slice(t.prefix.length)}.part`);
      return names;
    },
    async remove(names) {
      const parts = names.filter((n) => n.endsWith(".part")).map((n) => key(n.slice(0, -".part".length)));
      const objects = names.filter((n) => !n.endsWith(".part")).map(key);
      for (let i = 0; i < objects.length; i += 1000) {
        const r = await send("removing old bundles", () => client.send(new sdk.DeleteObjectsCommand({ Bucket: t.bucket, Delete: { Objects: objects.slice(i, i + 1000).map((Key) => ({ Key })), Quiet: true } })));
        if (r.Errors?.length) throw s3Failure(t, "removing old bundles", new Error(r.Errors.map((x) => `${x.Key}: ${x.Code} ${x.Message}`).join("; ")));
      }
      if (parts.length) {
        for (const u of await incompleteUploads()) {
          if (parts.includes(u.Key)) await send("aborting an incomplete upload", () => client.send(new sdk.AbortMultipartUploadCommand({ Bucket: t.bucket, Key: u.Key, UploadId: u.UploadId })));
        }
      }
    },
  };
}

/** Fetches one bundle to a local file (mode 0600), for a restore from an s3:// location. */
export async function downloadBundle(t: S3Target, name: string, file: string, client: S3Client = s3Client(t)): Promise<void> {
  const sdk = s3Sdk();
  const r = await client.send(new sdk.GetObjectCommand({ Bucket: t.bucket, Key: `${t.prefix}${name}` })).catch((e: unknown) => {
    throw s3Failure(t, `fetching ${name}`, e, "--snapshot");
  });
  await pipeline(r.Body as NodeJS.ReadableStream, fs.createWriteStream(file, { mode: 0o600 })).catch((e: unknown) => {
    throw s3Failure(t, `fetching ${name}`, e, "--snapshot");
  });
}
