/**
 * Finding a control plane to run cluster commands on (tokens, kubectl, etcdctl): the first one, in
 * join order, that answers over SSH and holds the admin kubeconfig. Hosts that cannot be reached
 * are skipped, so a dead control plane does not block removing it or joining others.
 */
import { isSshError, type RemoteHost } from "../../ssh";
import { adminKubeconfigPath } from "../paths";

export async function findAdminHost(candidates: RemoteHost[], step: string): Promise<RemoteHost | null> {
  for (const h of candidates) {
    try {
      if (await h.test(`test -f ${adminKubeconfigPath}`, step, 20_000)) return h;
    } catch (e) {
      if (!isSshError(e, "connect")) throw e;
    }
  }
  return null;
}
