/**
 * MetalLB in layer-2 mode, for bare metal and vSphere: it answers ARP for the stack's
 * `ingressAddressPool` so the ingress controller's LoadBalancer Service gets a reachable address.
 * The speaker needs host networking and NET_RAW, so its namespace is privileged.
 */
import type { ClusterSpec } from "../../spec";
import { addonCharts } from "../../versions";
import { imageValues, mirroredChart, mirroredImage } from "../../mirrors";
import { withRawValues, type AddonInstall } from "./helm";
import { meta, namespace, type K8sObject } from "./k8s";

export const metallbNamespace = "metallb-system";
export const ingressPoolName = "ingress";

export function metallbPool(spec: ClusterSpec, addressPool: string): K8sObject[] {
  return [
    {
      apiVersion: "metallb.io/v1beta1",
      kind: "IPAddressPool",
      metadata: meta(spec, ingressPoolName, metallbNamespace),
      // .0 and .255 addresses confuse some clients' stacks; a range never needs them.
      spec: { addresses: [addressPool], autoAssign: true, avoidBuggyIPs: true },
    },
    {
      apiVersion: "metallb.io/v1beta1",
      kind: "L2Advertisement",
      metadata: meta(spec, ingressPoolName, metallbNamespace),
      spec: { ipAddressPools: [ingressPoolName] },
    },
  ];
}

function metallbValues(spec: ClusterSpec): Record<string, unknown> {
  const images = imageValues(spec.mirrors.images, (m) => ({
    "controller.image.repository": mirroredImage(m, "quay.io/metallb/controller"),
    "speaker.image.repository": mirroredImage(m, "quay.io/metallb/speaker"),
  }));
  return withRawValues({ speaker: { frr: { enabled: false } }, frrk8s: { enabled: false } }, images);
}

export function metallbInstall(spec: ClusterSpec, addressPool: string): AddonInstall {
  return {
    namespaces: [namespace(spec, metallbNamespace, "privileged")],
    // Layer 2 only: neither BGP backend (FRR in the speaker, or frr-k8s) is deployed.
    releases: [{ name: "metallb", namespace: metallbNamespace, chart: mirroredChart(spec.mirrors.charts, addonCharts.metallb), values: metallbValues(spec) }],
    objects: metallbPool(spec, addressPool),
  };
}
