/**
 * Reads a key straight from etcd, past the API server, through etcd's gRPC gateway (`/v3/kv/range`)
 * with a client certificate: what an attacker with a copy of the etcd data would see.
 */
import * as https from "node:https";

export interface EtcdClient {
  port: number;
  ca: string;
  cert: string;
  key: string;
}

/** The stored value of `key`, or null when etcd has no such key. */
export function etcdGet(client: EtcdClient, key: string): Promise<Buffer | null> {
  const body = JSON.stringify({ key: Buffer.from(key).toString("base64") });
  return new Promise((resolve, reject) => {
    const req = https.request(
      { host: "127.0.0.1", port: client.port, method: "POST", path: "/v3/kv/range", ca: client.ca, cert: client.cert, key: client.key, headers: { "content-type": "application/json" }, timeout: 30_000 },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          if (res.statusCode !== 200) return reject(new Error(`etcd range ${key}: ${res.statusCode} ${text}`));
          const kvs = (JSON.parse(text) as { kvs?: { value: string }[] }).kvs;
          resolve(kvs?.length ? Buffer.from(kvs[0].value, "base64") : null);
        });
      },
    );
    req.on("timeout", () => req.destroy(new Error(`etcd range ${key}: no answer in 30 s`)));
    req.on("error", reject);
    req.end(body);
  });
}
