/**
 * ceph-csi RBD: the driver chart, told about each Ceph cluster the classes name. The chart could
 * create the StorageClass and the Secret from values, but values are stored in clear text in the
 * Helm release; clusterkit creates both itself, the Secret from the clusterkit:cephUserKey secret.
 */
import type { ClusterSpec, StorageClassSpec } from "../../spec";
import { addonCharts } from "../../versions";
import { imageValues, mirroredChart, mirroredImage } from "../../mirrors";
import { withRawValues, type ReleasePlan } from "./helm";
import { meta, type K8sObject } from "./k8s";
import { cephRbd } from "./storage-classes";

type CephClass = Extract<StorageClassSpec, { kind: "ceph-rbd" }>;

export function cephClasses(spec: ClusterSpec): CephClass[] {
  return spec.storage.classes.filter((c): c is CephClass => c.kind === "ceph-rbd");
}

/** One csiConfig entry per Ceph cluster; monitors of classes naming the same cluster are merged. */
export function cephClusters(spec: ClusterSpec): { clusterID: string; monitors: string[] }[] {
  const byId = new Map<string, Set<string>>();
  for (const c of cephClasses(spec)) {
    const mons = byId.get(c.clusterId) ?? new Set<string>();
    c.monitors.forEach((m) => mons.add(m));
    byId.set(c.clusterId, mons);
  }
  return [...byId].map(([clusterID, mons]) => ({ clusterID, monitors: [...mons] }));
}

function cephImages(spec: ClusterSpec): Record<string, unknown> {
  return imageValues(spec.mirrors.images, (m) => {
    const sig = (name: string) => mirroredImage(m, `registry.k8s.io/sig-storage/${name}`);
    return {
      "nodeplugin.plugin.image.repository": mirroredImage(m, "quay.io/cephcsi/cephcsi"),
      "nodeplugin.registrar.image.repository": sig("csi-node-driver-registrar"),
      "provisioner.provisioner.image.repository": sig("csi-provisioner"),
      "provisioner.attacher.image.repository": sig("csi-attacher"),
      "provisioner.resizer.image.repository": sig("csi-resizer"),
      "provisioner.snapshotter.image.repository": sig("csi-snapshotter"),
    };
  });
}

export function cephRelease(spec: ClusterSpec): ReleasePlan {
  return {
    name: "ceph-csi-rbd",
    namespace: cephRbd.namespace,
    chart: mirroredChart(spec.mirrors.charts, addonCharts["ceph-csi-rbd"]),
    values: withRawValues({ csiConfig: cephClusters(spec), secret: { create: false }, storageClass: { create: false } }, cephImages(spec)),
  };
}

/** The Ceph client's credentials; resolve() ensures every class names the same client. */
export function cephSecret(spec: ClusterSpec, userKey: string): K8sObject {
  const user = cephClasses(spec)[0]?.userId ?? "kubernetes";
  return {
    apiVersion: "v1",
    kind: "Secret",
    metadata: meta(spec, cephRbd.secretName, cephRbd.namespace),
    type: "Opaque",
    stringData: { userID: user, userKey },
  };
}
