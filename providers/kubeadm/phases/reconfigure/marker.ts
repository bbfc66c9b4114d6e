/**
 * A node's reconfiguration in progress, on the node itself: written with the components it still
 * has to restart before anything changes there, removed only once every one of them is back
 * healthy. A run that stops anywhere (a component that does not come back, a cut connection)
 * leaves it, so the next `pulumi up` redoes those components and `pulumi refresh` reports it.
 */
import { kubeadmPaths } from "../../../../core/render/kubeadm";
import { components, type Component } from "../../../../core/render/kubeadm/reconfigure";
import { shellQuote, type RemoteHost } from "../../../ssh";

export const reconfigurePendingPath = `${kubeadmPaths.clusterkitDir}/reconfigure-pending`;
/** The config `kubeadm init phase` reads during a reconfiguration (no secrets in it). */
export const reconfigureConfigPath = `${kubeadmPaths.clusterkitDir}/reconfigure.yaml`;

/** The marker's components, as the probe reports them (space-separated), known names only. */
export function parsePending(line: string | null): Component[] {
  const listed = new Set((line ?? "").split(/\s+/).filter(Boolean));
  return components.filter((c) => listed.has(c));
}

export async function writePending(host: RemoteHost, list: Component[], step: string): Promise<void> {
  await host.run(`mkdir -p ${kubeadmPaths.clusterkitDir}\nprintf '%s\\n' ${list.map(shellQuote).join(" ")} > ${reconfigurePendingPath}`, { step, mutating: true });
}

export async function clearPending(host: RemoteHost, step: string): Promise<void> {
  await host.run(`rm -f ${reconfigurePendingPath} ${reconfigureConfigPath}`, { step, mutating: true });
}
