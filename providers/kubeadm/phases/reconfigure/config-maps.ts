/**
 * kubeadm's ConfigMaps first, once per change: whichever node gets there first finds a ConfigMap
 * that differs from the rendered data and patches it (a merge patch of the keys clusterkit
 * renders; kube-proxy's kubeconfig.conf stays); every node after it finds it current. Joining
 * nodes and later `kubeadm upgrade`s read the configuration from there, so it goes before any
 * node changes.
 */
import type { RemoteHost } from "../../../ssh";
import { shellQuote } from "../../../ssh";
import { kubectl } from "../../cluster/kubectl";
import type { ReconfigureInputs } from "../../types";

export type ConfigMapName = keyof ReconfigureInputs["configMaps"];

/** The ConfigMap's data, or null when it does not exist. */
export async function configMapData(admin: RemoteHost, name: ConfigMapName, step: string): Promise<Record<string, string> | null> {
  const r = await admin.run(`${kubectl} -n kube-system get configmap ${shellQuote(name)} -o json`, { step, mutating: false, okCodes: [0, 1], timeoutMs: 30_000 });
  if (r.code !== 0) {
    if (/not ?found/i.test(r.stderr)) return null;
    await admin.run(`${kubectl} -n kube-system get configmap ${shellQuote(name)} -o json`, { step, mutating: false, timeoutMs: 30_000 }); // throws with stderr
  }
  return (JSON.parse(r.stdout) as { data?: Record<string, string> }).data ?? {};
}

/** Patches the keys that differ; returns whether it changed anything. */
export async function syncConfigMap(admin: RemoteHost, name: ConfigMapName, want: Record<string, string>, step: string): Promise<boolean> {
  const have = await configMapData(admin, name, step);
  if (have === null) throw new Error(`the ${name} ConfigMap does not exist in kube-system; kubeadm creates it at init`);
  const stale = Object.fromEntries(Object.entries(want).filter(([k, v]) => have[k] !== v));
  if (!Object.keys(stale).length) return false;
  // The patch travels on stdin: a document this size has no place on a command line.
  await admin.run(`${kubectl} -n kube-system patch configmap ${shellQuote(name)} --type=merge --patch-file=/dev/stdin >/dev/null`, {
    step,
    mutating: true,
    stdin: JSON.stringify({ data: stale }),
    timeoutMs: 60_000,
  });
  return true;
}
