/**
 * Where a node's upgrade stands, on the node itself, so a run that stopped anywhere resumes: the
 * target it started (`upgrade-target`, written once preflight passed), kubeadm's part done for
 * that target (`upgrade-kubeadm-done`), and that clusterkit cordoned it (`upgrade-cordoned`: only a
 * node clusterkit cordoned is uncordoned). All go when the node finished; a reset removes them.
 */
import { shellQuote, type RemoteHost } from "../../../ssh";
import { clusterkitDir as dir, upgradeCordonedPath, upgradeKubeadmDonePath, upgradeTargetPath } from "../../paths";

export { upgradeCordonedPath, upgradeKubeadmDonePath, upgradeTargetPath };

export async function writeMarker(host: RemoteHost, path: string, value: string, step: string): Promise<void> {
  await host.run(`mkdir -p ${dir}\nprintf '%s\\n' ${shellQuote(value)} > ${path}`, { step, mutating: true });
}

export async function clearMarkers(host: RemoteHost, step: string): Promise<void> {
  await host.run(`rm -f ${upgradeTargetPath} ${upgradeKubeadmDonePath} ${upgradeCordonedPath}`, { step, mutating: true });
}
