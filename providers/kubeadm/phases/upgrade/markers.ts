/**
 * Where a node's upgrade stands, on the node itself, so a run that stopped anywhere resumes: the
 * target it started (`upgrade-target`, written once preflight passed), kubeadm's part done for
 * that target (`upgrade-kubeadm-done`), and that clusterkit cordoned it (`upgrade-cordoned`: only a
 * node clusterkit cordoned is uncordoned). All go when the node finished; a reset removes them.
 */
import { shellQuote, type RemoteHost } from "../../../ssh";
import { clusterkitDir as dir, upgradeCordonedPath, upgradeKubeadmDonePath, upgradeTargetPath } from "../../paths";

export { upgradeCordonedPath, upgradeKubeadmDonePath, upgradeTargetPath };

/**
 * The shell lines that write `values` (one a line) to the marker file `path` in clusterkit's
 * directory, replacing it or appended to it; for callers that write several markers in one command.
 */
export function markerScript(path: string, values: string[], mode: "write" | "append" = "write"): string {
  return `mkdir -p ${dir}\nprintf '%s\\n' ${values.map(shellQuote).join(" ")} ${mode === "append" ? ">>" : ">"} ${path}`;
}

export async function writeMarker(host: RemoteHost, path: string, value: string, step: string): Promise<void> {
  await host.run(markerScript(path, [value]), { step, mutating: true });
}

export async function clearMarkers(host: RemoteHost, step: string): Promise<void> {
  await host.run(`rm -f ${upgradeTargetPath} ${upgradeKubeadmDonePath} ${upgradeCordonedPath}`, { step, mutating: true });
}
