/**
 * What it takes for a rewritten API server config file to take effect. kube-apiserver reads the
 * admission (Pod Security), audit-policy and encryption files once, at start-up: a change needs
 * a restart (encryption has an automatic reload only behind
 * --encryption-provider-config-automatic-reload, which clusterkit does not set). The structured
 * AuthenticationConfiguration it watches and reloads by itself, keeping the previous one when the
 * new file is invalid; it refuses a reload that changes the `anonymous` section, which clusterkit
 * renders from the Kubernetes minor alone, so only an upgrade (a restart anyway) changes that.
 */
import * as paths from "../paths";

export type FileEffect = "restart" | "reload";

const effects: Record<string, FileEffect> = {
  [paths.admissionConfigPath]: "restart",
  [paths.auditPolicyPath]: "restart",
  [paths.encryptionConfigPath]: "restart",
  [paths.authenticationConfigPath]: "reload",
};

/** The effect of rewriting `path` on a running control plane; null for files the API server does not read. */
export function apiServerFileEffect(path: string): FileEffect | null {
  return effects[path] ?? null;
}
