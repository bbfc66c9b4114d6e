/**
 * `kubeadm reset -f` and the clean-up it leaves to the operator (CNI config, clusterkit's own
 * files, root's kubeconfig), under the host's kubeadm lock. kubelet stays installed and prepared,
 * so the host can join again.
 */
import type { RemoteHost } from "../../ssh";
import { clusterkitDir, underLock } from "../paths";

const resetBody = `kubeadm reset -f
rm -rf /etc/cni/net.d ${clusterkitDir} /root/.kube/config
if command -v ipvsadm >/dev/null 2>&1; then ipvsadm --clear || true; fi`;

export const resetScript = underLock(resetBody);

/**
 * `unlessExists`: a file whose presence, checked under the lock, cancels the reset (a kubeadm run
 * orphaned by a dropped connection may have completed while this one waited for the lock).
 */
export async function resetHost(host: RemoteHost, step: string, opts: { unlessExists?: string } = {}): Promise<void> {
  const script = opts.unlessExists ? underLock(`if [ -e ${opts.unlessExists} ]; then echo "clusterkit: ${opts.unlessExists} appeared meanwhile; not resetting"; exit 0; fi\n${resetBody}`) : resetScript;
  await host.run(script, { step, mutating: true, timeoutMs: 10 * 60_000 });
}
