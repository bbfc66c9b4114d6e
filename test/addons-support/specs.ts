/**
 * Specs for add-on tests, built the way users build them: an example blueprint and stack, changed,
 * then resolved with resolve(). `combinations()` is every platform × CNI × ingress (× exposure)
 * the rules accept.
 */
import type { Resolved } from "../../core/resolve/resolve";
import type { ClusterSpec } from "../../core/spec";
import { blueprintRaw, resolveRaw, stackConfigRaw, type Raw } from "../support/fixtures";

export type PlatformKind = "baremetal" | "vsphere" | "eks";

const examples: Record<PlatformKind, { blueprint: string; stack: string }> = {
  baremetal: { blueprint: "baremetal-ha", stack: "metal-ber1" },
  vsphere: { blueprint: "vsphere-ha", stack: "vsphere-fra1" },
  eks: { blueprint: "eks-standard", stack: "prod-us-east-1" },
};

export function variables(config: Raw): Raw {
  return config["clusterkit:variables"] as Raw;
}

/** Resolves a changed copy of a platform's example; throws ClusterkitError if the rules refuse it. */
export function resolvedFor(platform: PlatformKind, change: (bp: Raw, config: Raw) => void = () => undefined, clusterName?: string): Resolved {
  const { blueprint, stack } = examples[platform];
  const bp = blueprintRaw(blueprint);
  const config = stackConfigRaw(stack);
  if (clusterName) config["clusterkit:clusterName"] = clusterName;
  change(bp, config);
  return resolveRaw(blueprint, bp, stack, config);
}

export function specFor(platform: PlatformKind, change: (bp: Raw, config: Raw) => void = () => undefined, clusterName?: string): ClusterSpec {
  return resolvedFor(platform, change, clusterName).spec;
}

export interface Combination {
  label: string;
  platform: PlatformKind;
  spec: ClusterSpec;
}

const kubeadmCnis: Record<string, Raw> = {
  flannel: { kind: "flannel", backend: "vxlan" },
  "flannel-wireguard-netpol": { kind: "flannel", backend: "wireguard", networkPolicy: true },
  cilium: { kind: "cilium", kubeProxyReplacement: false },
  "cilium-kpr-wireguard-hubble": { kind: "cilium", kubeProxyReplacement: true, encryption: "wireguard", hubble: { enabled: true, ui: true } },
  weave: { kind: "weave", acknowledgeUnmaintained: true },
};
const eksCnis: Record<string, Raw> = {
  "cilium-chaining": { kind: "cilium", eksMode: "chaining", hubble: { enabled: true } },
  "cilium-eni-kpr-wireguard": { kind: "cilium", eksMode: "eni", kubeProxyReplacement: true, encryption: "wireguard" },
};
const ingresses: Record<string, Raw> = {
  nginx: { kind: "ingress-nginx", replicas: 2, acknowledgeUnmaintained: true },
  traefik: { kind: "traefik", replicas: 3 },
  none: { kind: "none" },
};

export function combinations(): Combination[] {
  const out: Combination[] = [];
  for (const platform of ["baremetal", "vsphere"] as const) {
    for (const [cniName, cni] of Object.entries(kubeadmCnis)) {
      for (const [ingName, ing] of Object.entries(ingresses)) {
        for (const exposure of ing.kind === "none" ? [""] : ["pool", "host"]) {
          const label = [platform, cniName, ingName, exposure].filter(Boolean).join(" ");
          const name = ["t", platform.slice(0, 2), cniName, ingName, exposure].filter(Boolean).join("-").slice(0, 60);
          const spec = specFor(
            platform,
            (bp, config) => {
              bp.cni = structuredClone(cni);
              bp.ingress = structuredClone(ing);
              if (exposure === "host") delete variables(config).ingressAddressPool;
            },
            name,
          );
          out.push({ label, platform, spec });
        }
      }
    }
  }
  for (const [cniName, cni] of Object.entries(eksCnis)) {
    for (const [ingName, ing] of Object.entries(ingresses)) {
      const spec = specFor(
        "eks",
        (bp) => {
          bp.cni = structuredClone(cni);
          bp.ingress = structuredClone(ing);
        },
        `t-eks-${cniName}-${ingName}`,
      );
      out.push({ label: `eks ${cniName} ${ingName} nlb`, platform: "eks", spec });
    }
  }
  return out;
}

/** The examples with every optional storage driver in play: ceph-rbd on bare metal, EFS on EKS. */
export function storageVariants(): Combination[] {
  return [
    {
      label: "baremetal local-path + ceph-rbd",
      platform: "baremetal",
      spec: specFor("baremetal", (bp) => {
        bp.storage.classes["ceph-fast"] = { kind: "ceph-rbd", clusterId: "5d2f8c3e-1b7a-4f0e-9c61-2d9d3f4a7b10", pool: "k8s-fast", monitors: ["10.5.0.31:6789", "10.5.0.32:6789"], reclaimPolicy: "Retain" };
      }),
    },
    {
      label: "eks gp3 + io2 + efs",
      platform: "eks",
      spec: specFor("eks", (bp) => {
        bp.storage.classes.shared = { kind: "efs", fileSystemId: "fs-0123456789abcdef0" };
      }),
    },
  ];
}
