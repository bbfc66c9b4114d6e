/**
 * One read-only command that tells where a host stands: which kubeadm files exist, the versions
 * installed, whether kubelet runs, and the config hash applied last. Phases and read() share it.
 */
import type { RemoteHost } from "../ssh";
import { adminKubeconfigPath, anyExists, apiServerManifestPath, appliedHashPath, kubeadmConfigPath, kubeadmTraces, kubeletKubeconfigPath } from "./paths";

export interface HostFacts {
  adminConf: boolean;
  kubeletConf: boolean;
  apiServerManifest: boolean;
  /** kubeadm has started here (finished or not). */
  traces: boolean;
  /** A one-use kubeadm config is still on disk. */
  pendingConfig: boolean;
  appliedHash: string | null;
  kubeletVersion: string | null;
  kubeadmVersion: string | null;
  kubeletActive: boolean;
}

const flag = (name: string, test: string) => `if ${test}; then echo ${name}=1; else echo ${name}=0; fi`;

export const factsScript = [
  flag("admin", `[ -f ${adminKubeconfigPath} ]`),
  flag("kubelet_conf", `[ -f ${kubeletKubeconfigPath} ]`),
  flag("apiserver", `[ -f ${apiServerManifestPath} ]`),
  flag("traces", anyExists(kubeadmTraces)),
  flag("pending", `[ -f ${kubeadmConfigPath} ]`),
  `echo "applied=$(cat ${appliedHashPath} 2>/dev/null || true)"`,
  `echo "kubelet=$( (kubelet --version 2>/dev/null || true) | awk '{print $2}')"`,
  `echo "kubeadm=$(kubeadm version -o short 2>/dev/null || true)"`,
  `echo "active=$(systemctl is-active kubelet 2>/dev/null || true)"`,
].join("\n");

export function parseFacts(out: string): HostFacts {
  const kv = Object.fromEntries(
    out
      .split("\n")
      .map((l) => /^(\w+)=(.*)$/.exec(l.trim()))
      .filter((m): m is RegExpExecArray => !!m)
      .map((m) => [m[1], m[2].trim()]),
  );
  const opt = (v: string | undefined) => (v ? v : null);
  return {
    adminConf: kv.admin === "1",
    kubeletConf: kv.kubelet_conf === "1",
    apiServerManifest: kv.apiserver === "1",
    traces: kv.traces === "1",
    pendingConfig: kv.pending === "1",
    appliedHash: opt(kv.applied),
    kubeletVersion: opt(kv.kubelet),
    kubeadmVersion: opt(kv.kubeadm),
    kubeletActive: kv.active === "active",
  };
}

export async function hostFacts(host: RemoteHost, step: string): Promise<HostFacts> {
  return parseFacts(await host.read(factsScript, step, 30_000));
}

/** kubeadm ran to completion here: admin.conf on the init node, kubelet.conf on a joined one. */
export function kubeadmDone(f: HostFacts, init: boolean): boolean {
  return init ? f.adminConf : f.kubeletConf;
}
