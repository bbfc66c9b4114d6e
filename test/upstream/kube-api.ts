/**
 * Just enough of a Kubernetes API client for the API server tier: requests over TLS verified
 * against the cluster CA, as the super-admin (client certificate), anonymously or with a bearer
 * token; discovery to find each kind's resource; server-side apply. No client library: the tier
 * wants the API server's own answers (status, message, warnings), not a library's interpretation.
 */
import * as https from "node:https";

type Doc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface Credentials {
  cert?: string;
  key?: string;
  token?: string;
}

export interface Reply {
  status: number;
  body: Doc;
  text: string;
  /** The `Warning` headers (Pod Security warnings, deprecations), without the `299 - ` code. */
  warnings: string[];
}

export interface KubeApi {
  request(method: string, path: string, body?: unknown, opts?: { contentType?: string; as?: Credentials }): Promise<Reply>;
}

/**
 * kubeadm's serving certificate names `kubernetes` and the node's addresses, not 127.0.0.1, so the
 * name checked is `kubernetes` (what in-cluster clients use too).
 */
export function kubeApi(port: number, ca: string, admin: Credentials): KubeApi {
  return {
    request(method, path, body, opts = {}) {
      const who = opts.as ?? admin;
      const payload = body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body);
      const headers: Record<string, string> = { accept: "application/json" };
      if (payload !== undefined) headers["content-type"] = opts.contentType ?? "application/json";
      if (who.token) headers.authorization = `Bearer ${who.token}`;
      return new Promise<Reply>((resolve, reject) => {
        const req = https.request(
          { host: "127.0.0.1", port, method, path, headers, ca, cert: who.cert, key: who.key, servername: "kubernetes", timeout: 60_000 },
          (res) => {
            const chunks: Buffer[] = [];
            res.on("data", (c: Buffer) => chunks.push(c));
            res.on("end", () => {
              const text = Buffer.concat(chunks).toString("utf8");
              let parsed: Doc = {};
              try {
                parsed = JSON.parse(text) as Doc;
              } catch {
                parsed = {};
              }
              const raw = res.headers.warning;
              // `299 - "<text>"`, the text a quoted string with `\"` escapes.
              const warnings = (Array.isArray(raw) ? raw : raw ? [raw] : []).map((w) => w.replace(/^299 - "?/, "").replace(/"$/, "").replace(/\\(.)/g, "$1"));
              resolve({ status: res.statusCode ?? 0, body: parsed, text, warnings });
            });
          },
        );
        req.on("timeout", () => req.destroy(new Error(`${method} ${path}: no answer in 60 s`)));
        req.on("error", reject);
        if (payload !== undefined) req.write(payload);
        req.end();
      });
    },
  };
}

export interface ResourceRef {
  /** `/api/v1` or `/apis/<group>/<version>`. */
  base: string;
  resource: string;
  namespaced: boolean;
}

/** Maps apiVersion + kind to its REST resource through discovery; null when the server does not serve it. */
export function discovery(api: KubeApi): (apiVersion: string, kind: string) => Promise<ResourceRef | null> {
  const lists = new Map<string, Promise<Doc | null>>();
  return async (apiVersion, kind) => {
    const base = apiVersion.includes("/") ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
    if (!lists.has(base)) {
      lists.set(
        base,
        api.request("GET", base).then((r) => {
          if (r.status === 404) return null;
          if (r.status !== 200) throw new Error(`discovery of ${base}: ${r.status} ${r.text}`);
          return r.body;
        }),
      );
    }
    const list = await lists.get(base)!;
    const found = (list?.resources as Doc[] | undefined)?.find((res) => res.kind === kind && !String(res.name).includes("/"));
    return found ? { base, resource: found.name as string, namespaced: found.namespaced as boolean } : null;
  };
}

export interface K8sObjectLike {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string };
}

/** The object's path; namespaced objects without a namespace land in `default`, as kubectl does. */
export function objectPath(ref: ResourceRef, obj: K8sObjectLike): string {
  const ns = ref.namespaced ? `/namespaces/${encodeURIComponent(obj.metadata.namespace ?? "default")}` : "";
  return `${ref.base}${ns}/${ref.resource}/${encodeURIComponent(obj.metadata.name)}`;
}

/**
 * Server-side apply with clusterkit's field manager. `fieldValidation=Strict` turns an unknown or
 * duplicate field into an error instead of a warning. With `dryRun`, every admission and
 * validation step runs and nothing is stored.
 */
export function serverSideApply(api: KubeApi, ref: ResourceRef, obj: K8sObjectLike, dryRun: boolean): Promise<Reply> {
  const query = `fieldManager=clusterkit&fieldValidation=Strict${dryRun ? "&dryRun=All" : ""}`;
  // JSON is YAML, so the object goes as it is.
  return api.request("PATCH", `${objectPath(ref, obj)}?${query}`, obj, { contentType: "application/apply-patch+yaml" });
}
