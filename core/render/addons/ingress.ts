/**
 * The ingress controller (ingress-nginx or Traefik), its IngressClass made the cluster default,
 * and how traffic reaches it:
 *   nlb           EKS: a LoadBalancer Service the AWS cloud controller turns into an NLB
 *   metallb       bare metal/vSphere with an `ingressAddressPool`: a LoadBalancer Service MetalLB
 *                 answers for in layer 2 (MetalLB is installed first, see metallb.ts)
 *   host-network  no pool: ingress-nginx runs on every node bound to ports 80/443 of the host;
 *                 Traefik (which runs as non-root and cannot bind below 1024) on NodePorts 30080/30443
 * Client source addresses are kept (externalTrafficPolicy: Local) wherever a Service balances.
 */
import type { ClusterSpec, IngressSpec } from "../../spec";
import { imageValues, mirroredRegistry } from "../../mirrors";
import { withRawValues, type AddonInstall } from "./helm";
import { namespace } from "./k8s";
import { metallbInstall } from "./metallb";

export type IngressControllerSpec = Extract<IngressSpec, { kind: "ingress-nginx" | "traefik" }>;

export const ingressNamespaces: Record<IngressControllerSpec["kind"], string> = { "ingress-nginx": "ingress-nginx", traefik: "traefik" };
export const traefikNodePorts = { web: 30080, websecure: 30443 } as const;

/** The cluster's tags on the NLB, in the annotation's `k=v,k=v` form (pairs it cannot carry are left out). */
function nlbTags(spec: ClusterSpec): string {
  return Object.entries(spec.tags)
    .filter(([k, v]) => !/[,=]/.test(k) && !/[,=]/.test(v))
    .map(([k, v]) => `${k}=${v}`)
    .join(",");
}

export function nlbAnnotations(spec: ClusterSpec): Record<string, string> {
  return {
    "service.beta.kubernetes.io/aws-load-balancer-type": "nlb",
    "service.beta.kubernetes.io/aws-load-balancer-backend-protocol": "tcp",
    "service.beta.kubernetes.io/aws-load-balancer-cross-zone-load-balancing-enabled": "true",
    "service.beta.kubernetes.io/aws-load-balancer-additional-resource-tags": nlbTags(spec),
  };
}

function loadBalancerService(spec: ClusterSpec, ing: IngressControllerSpec): Record<string, unknown> {
  return { type: "LoadBalancer", annotations: ing.exposure.kind === "nlb" ? nlbAnnotations(spec) : {} };
}

export function nginxValues(spec: ClusterSpec, ing: IngressControllerSpec): Record<string, unknown> {
  const exposure =
    ing.exposure.kind === "host-network"
      ? {
          kind: "DaemonSet",
          hostNetwork: true,
          dnsPolicy: "ClusterFirstWithHostNet",
          service: { type: "ClusterIP" },
          // With no load balancer, Ingress status lists the nodes' addresses.
          publishService: { enabled: false },
          reportNodeInternalIp: true,
        }
      : { kind: "Deployment", replicaCount: ing.replicas, service: { ...loadBalancerService(spec, ing), externalTrafficPolicy: "Local" } };
  return withRawValues(
    {
      controller: {
        ...exposure,
        ingressClass: ing.className,
        ingressClassResource: { name: ing.className, enabled: true, default: true, controllerValue: "k8s.io/ingress-nginx" },
        watchIngressWithoutClass: false,
        // Snippet annotations let any Ingress author inject nginx configuration (CVE-2021-25742).
        allowSnippetAnnotations: false,
        metrics: { enabled: true },
      },
      // Every image of the chart (controller, admission webhook job, default backend) takes its registry from here.
      ...imageValues(spec.mirrors.images, (m) => ({ "global.image.registry": mirroredRegistry(m, "registry.k8s.io") })),
    },
    ing.values,
  );
}

export function traefikValues(spec: ClusterSpec, ing: IngressControllerSpec): Record<string, unknown> {
  const hostNetwork = ing.exposure.kind === "host-network";
  return withRawValues(
    {
      deployment: hostNetwork ? { kind: "DaemonSet" } : { kind: "Deployment", replicas: ing.replicas },
      ingressClass: { enabled: true, isDefaultClass: true, name: ing.className },
      service: hostNetwork ? { type: "NodePort" } : { ...loadBalancerService(spec, ing), spec: { externalTrafficPolicy: "Local" } },
      ...(hostNetwork ? { ports: { web: { nodePort: traefikNodePorts.web }, websecure: { nodePort: traefikNodePorts.websecure } } } : {}),
      podDisruptionBudget: { enabled: !hostNetwork && ing.replicas > 1, minAvailable: 1 },
      // The dashboard is not published; reach it with kubectl port-forward.
      ingressRoute: { dashboard: { enabled: false } },
      global: { checkNewVersion: false, sendAnonymousUsage: false },
      ...imageValues(spec.mirrors.images, (m) => ({ "image.registry": mirroredRegistry(m, "docker.io") })),
    },
    ing.values,
  );
}

/** Ingress add-ons in install order: MetalLB (when it exposes the controller), then the controller. */
export function ingressInstalls(spec: ClusterSpec): AddonInstall[] {
  const ing = spec.ingress;
  if (ing.kind === "none") return [];
  const ns = ingressNamespaces[ing.kind];
  const hostNetwork = ing.exposure.kind === "host-network";
  const controller: AddonInstall = {
    // Binding host ports is outside the baseline level; a load-balanced controller stays within it.
    namespaces: [namespace(spec, ns, hostNetwork && ing.kind === "ingress-nginx" ? "privileged" : "baseline")],
    releases: [{ name: ing.kind, namespace: ns, chart: ing.chart, values: ing.kind === "ingress-nginx" ? nginxValues(spec, ing) : traefikValues(spec, ing) }],
    objects: [],
  };
  return ing.exposure.kind === "metallb" ? [metallbInstall(spec, ing.exposure.addressPool), controller] : [controller];
}
