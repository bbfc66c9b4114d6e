/**
 * Every pinned version clusterkit installs, and the support matrix `validate` enforces. This is the
 * one place to bump them; docs/versions.md explains where each number comes from.
 */

/** Kubernetes minors clusterkit bootstraps with kubeadm, each pinned to a tested patch release. */
export const kubeadmKubernetes: Record<string, string> = {
  "1.32": "1.32.9",
  "1.33": "1.33.5",
  "1.34": "1.34.1",
  "1.35": "1.35.0",
  "1.36": "1.36.3",
};

/** First minor whose kubelet refuses to start on a cgroup v1 host (`failCgroupV1` defaults to true, KEP-5573). */
export const kubeletRefusesCgroupV1From = "1.35";

/** Kubernetes minors EKS offers (standard or extended support) that clusterkit accepts. */
export const eksKubernetes: readonly string[] = ["1.32", "1.33", "1.34", "1.35"];

export interface ChartPin {
  repo: string;
  chart: string;
  version: string;
}

export interface CniRelease {
  version: string;
  chart: ChartPin | null;
  /** Kubernetes minors the release is e2e-tested against (inclusive). `max: null`: no upper bound is known. */
  kubernetes: { min: string; max: string | null };
}

export const cniReleases = {
  // Cilium documents the Kubernetes minors each release is e2e-tested on ("Kubernetes Compatibility").
  cilium: {
    version: "1.20.0",
    chart: { repo: "https://helm.cilium.io", chart: "cilium", version: "1.20.0" },
    kubernetes: { min: "1.32", max: "1.35" },
  },
  flannel: {
    version: "v0.28.9",
    chart: { repo: "https://flannel-io.github.io/flannel/", chart: "flannel", version: "v0.28.9" },
    kubernetes: { min: "1.28", max: "1.36" },
  },
  // Archived upstream; the last release predates every Kubernetes version we support.
  weave: { version: "2.8.1", chart: null, kubernetes: { min: "1.16", max: null } },
} satisfies Record<"cilium" | "flannel" | "weave", CniRelease>;

export const ingressCharts = {
  "ingress-nginx": { repo: "https://kubernetes.github.io/ingress-nginx", chart: "ingress-nginx", version: "4.15.1" },
  traefik: { repo: "https://traefik.github.io/charts", chart: "traefik", version: "37.1.1" },
} satisfies Record<"ingress-nginx" | "traefik", ChartPin>;

/**
 * Charts the add-ons install besides the CNI and the ingress controller. docs/addons.md says which
 * pins were checked against upstream and which could not be checked offline.
 */
export const addonCharts = {
  metallb: { repo: "https://metallb.github.io/metallb", chart: "metallb", version: "0.15.2" },
  "ceph-csi-rbd": { repo: "https://ceph.github.io/csi-charts", chart: "ceph-csi-rbd", version: "3.14.1" },
} satisfies Record<"metallb" | "ceph-csi-rbd", ChartPin>;

/** Add-ons upstream ships as plain manifests (no published chart); we render them, pinned by image. */
export const addonImages = {
  localPath: { provisioner: "docker.io/rancher/local-path-provisioner:v0.0.32", helper: "docker.io/library/busybox:1.37.0" },
} as const;

/**
 * The vSphere CPI (cloud-controller-manager) is released per Kubernetes minor and only supported
 * against its own minor (upstream's version matrix), so its chart is pinned per minor. A minor
 * missing here has no CPI clusterkit can install: `validate` refuses it on vSphere.
 */
export const vsphereCpiCharts: Readonly<Record<string, ChartPin>> = Object.fromEntries(
  (["1.32.1", "1.33.0", "1.34.0", "1.35.0", "1.36.0"] as const).map((v) => [minorOf(v), { repo: "https://kubernetes.github.io/cloud-provider-vsphere", chart: "vsphere-cpi", version: v }]),
);

export interface VsphereCsiRelease {
  version: string;
  /** Kubernetes minors upstream's release notes recommend the release for (inclusive). */
  kubernetes: { min: string; max: string };
  driver: string;
  syncer: string;
  attacher: string;
  resizer: string;
  provisioner: string;
  snapshotter: string;
  livenessProbe: string;
  nodeDriverRegistrar: string;
}

/**
 * vSphere CSI driver releases, newest first; each is used only inside its Kubernetes range. The
 * image set is the release's: its driver and syncer, and the sidecar versions its release notes
 * list as supported.
 */
export const vsphereCsiReleases: readonly VsphereCsiRelease[] = [
  {
    version: "v3.8.0",
    kubernetes: { min: "1.34", max: "1.36" },
    driver: "registry.k8s.io/csi-vsphere/driver:v3.8.0",
    syncer: "registry.k8s.io/csi-vsphere/syncer:v3.8.0",
    attacher: "registry.k8s.io/sig-storage/csi-attacher:v4.10.0",
    resizer: "registry.k8s.io/sig-storage/csi-resizer:v2.0.0",
    provisioner: "registry.k8s.io/sig-storage/csi-provisioner:v4.0.1",
    snapshotter: "registry.k8s.io/sig-storage/csi-snapshotter:v8.4.0",
    livenessProbe: "registry.k8s.io/sig-storage/livenessprobe:v2.17.0",
    nodeDriverRegistrar: "registry.k8s.io/sig-storage/csi-node-driver-registrar:v2.14.0",
  },
];

/** The CPI chart for a Kubernetes minor, or null when none is supported. */
export function vsphereCpiChart(minor: string): ChartPin | null {
  return vsphereCpiCharts[minor] ?? null;
}

/** The CSI driver release for a Kubernetes minor, or null when none is supported. */
export function vsphereCsiRelease(minor: string): VsphereCsiRelease | null {
  return vsphereCsiReleases.find((r) => compareMinor(minor, r.kubernetes.min) >= 0 && compareMinor(minor, r.kubernetes.max) <= 0) ?? null;
}

/** Compares two "1.NN" minors numerically. */
export function compareMinor(a: string, b: string): number {
  const [am, an] = a.split(".").map(Number);
  const [bm, bn] = b.split(".").map(Number);
  return am !== bm ? am - bm : an - bn;
}

export function minorOf(version: string): string {
  return version.replace(/^v/, "").split(".").slice(0, 2).join(".");
}
