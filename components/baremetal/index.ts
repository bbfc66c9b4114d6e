/** The bare-metal platform: its component and the builder components/platforms.ts registers. */
import type { PlatformBuilder } from "../platform";
import { BareMetalCluster } from "./baremetal-cluster";

export { BareMetalCluster, type BareMetalClusterArgs } from "./baremetal-cluster";

export const buildBaremetal: PlatformBuilder = (spec, secrets, parent) => {
  const c = new BareMetalCluster(spec.name, { spec, secrets }, { parent });
  return { kubeconfig: c.kubeconfig, provider: c.provider, apiServerUrl: c.apiServerUrl, ready: [...c.kubeadm.nodes], component: c, addonInputs: {} };
};
