/**
 * `kubeadm reset -f` and the clean-up it leaves to the operator (CNI config, clusterkit's own
 * files, root's kubeconfig), under the host's kubeadm lock. kubelet stays installed and prepared,
 * so the host can join again.
 */
import type { RemoteHost } from "../../ssh";
import { clusterkitDir, underLock } from "../paths";

export const resetScript = underLock(`kubeadm reset -f
rm -rf /etc/cni/net.d ${clusterkitDir} /root/.kube/config
if command -v ipvsadm >/dev/null 2>&1; then ipvsadm --clear || true; fi`);

export async function resetHost(host: RemoteHost, step: string): Promise<void> {
  await host.run(resetScript, { step, mutating: true, timeoutMs: 10 * 60_000 });
}
