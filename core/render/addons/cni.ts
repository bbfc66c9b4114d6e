/** The CNI install of a spec, whichever CNI it names. */
import type { ClusterSpec } from "../../spec";
import { ciliumInstall, type ApiServerAddress } from "./cilium";
import { flannelInstall } from "./flannel";
import type { AddonInstall } from "./helm";
import { weaveInstall } from "./weave";

/** `apiServer`: where Cilium reaches the API server without kube-proxy (see cilium.ts). */
export function cniInstall(spec: ClusterSpec, apiServer: ApiServerAddress | null): AddonInstall {
  const cni = spec.cni;
  switch (cni.kind) {
    case "cilium":
      return ciliumInstall(spec, cni, apiServer);
    case "flannel":
      return flannelInstall(spec, cni);
    case "weave":
      return weaveInstall(spec);
  }
}
