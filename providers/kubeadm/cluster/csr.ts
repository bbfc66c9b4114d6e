/**
 * Kubelet serving-certificate requests. With `serverTLSBootstrap: true` each kubelet asks for its
 * serving certificate through a CSR with the kubelet-serving signer, which nothing in the cluster
 * approves by itself; until one is approved, `kubectl logs/exec` and metrics-server cannot verify
 * (and so cannot reach) the kubelet.
 */
import type { RemoteHost } from "../../ssh";
import { shellQuote } from "../../ssh";
import { kubectl } from "./kubectl";

export const kubeletServingSigner = "kubernetes.io/kubelet-serving";

export interface CsrStatus {
  name: string;
  signerName: string;
  username: string;
  approved: boolean;
  denied: boolean;
}

interface CsrJson {
  metadata?: { name?: string };
  spec?: { signerName?: string; username?: string };
  status?: { conditions?: { type: string; status?: string }[] };
}

export function parseCsr(doc: CsrJson): CsrStatus {
  const has = (t: string) => (doc.status?.conditions ?? []).some((c) => c.type === t && c.status !== "False");
  return { name: doc.metadata?.name ?? "", signerName: doc.spec?.signerName ?? "", username: doc.spec?.username ?? "", approved: has("Approved"), denied: has("Denied") || has("Failed") };
}

/**
 * This node's own serving requests: the kubelet-serving signer, asked by the node's credentials
 * (only its kubelet authenticates as `system:node:<name>`). The SANs it asks for are not checked
 * here; the signer itself limits them to DNS names and IPs.
 */
export const servingCsrsOf = (csrs: CsrStatus[], node: string) => csrs.filter((c) => c.signerName === kubeletServingSigner && c.username === `system:node:${node}`);

export const isPending = (c: CsrStatus) => !c.approved && !c.denied;

export async function listCsrs(admin: RemoteHost, step: string): Promise<CsrStatus[]> {
  const out = await admin.read(`${kubectl} get csr -o json`, step, 30_000);
  return ((JSON.parse(out) as { items?: CsrJson[] }).items ?? []).map(parseCsr);
}

export async function approveCsrs(admin: RemoteHost, names: string[], step: string): Promise<void> {
  if (!names.length) return;
  await admin.run(`${kubectl} certificate approve ${names.map(shellQuote).join(" ")}`, { step, mutating: true, timeoutMs: 60_000 });
}
