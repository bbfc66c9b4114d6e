/**
 * StorageClasses, one per class the blueprint declares. Exactly one carries the default-class
 * annotation "true" (resolve() enforces it); the others say "false" so none is default by accident.
 * Binding waits for the first consumer everywhere, so volumes are created where the pod lands
 * (the right AZ on EKS, the right host for local-path, a datastore the host sees on vSphere).
 */
import type { ClusterSpec, StorageClassSpec } from "../../spec";
import { meta, type K8sObject } from "./k8s";

export const provisioners: Record<StorageClassSpec["kind"], string> = {
  ebs: "ebs.csi.aws.com",
  efs: "efs.csi.aws.com",
  vsphere: "csi.vsphere.vmware.com",
  "local-path": "rancher.io/local-path",
  "ceph-rbd": "rbd.csi.ceph.com",
};

export const defaultClassAnnotation = "storageclass.kubernetes.io/is-default-class";

/** Where the ceph-csi RBD driver runs and finds the credentials of the Ceph client. */
export const cephRbd = { namespace: "ceph-csi-rbd", secretName: "csi-rbd-secret" } as const;

function parameters(c: StorageClassSpec): Record<string, string> {
  switch (c.kind) {
    case "ebs":
      return {
        type: c.volumeType,
        encrypted: String(c.encrypted),
        "csi.storage.k8s.io/fstype": "ext4",
        ...(c.iops !== undefined ? { iops: String(c.iops) } : {}),
        ...(c.throughputMiBps !== undefined ? { throughput: String(c.throughputMiBps) } : {}),
      };
    case "efs":
      // One access point per volume, owned by its pod's user only.
      return { provisioningMode: "efs-ap", fileSystemId: c.fileSystemId, directoryPerms: "700" };
    case "vsphere":
      return { storagepolicyname: c.storagePolicy, "csi.storage.k8s.io/fstype": c.fsType };
    case "local-path":
      return {};
    case "ceph-rbd": {
      const secret = { name: cephRbd.secretName, namespace: cephRbd.namespace };
      return {
        clusterID: c.clusterId,
        pool: c.pool,
        imageFeatures: "layering",
        "csi.storage.k8s.io/fstype": c.fsType,
        "csi.storage.k8s.io/provisioner-secret-name": secret.name,
        "csi.storage.k8s.io/provisioner-secret-namespace": secret.namespace,
        "csi.storage.k8s.io/controller-expand-secret-name": secret.name,
        "csi.storage.k8s.io/controller-expand-secret-namespace": secret.namespace,
        "csi.storage.k8s.io/node-stage-secret-name": secret.name,
        "csi.storage.k8s.io/node-stage-secret-namespace": secret.namespace,
      };
    }
  }
}

export function storageClass(spec: ClusterSpec, c: StorageClassSpec): K8sObject {
  const params = parameters(c);
  return {
    apiVersion: "storage.k8s.io/v1",
    kind: "StorageClass",
    metadata: meta(spec, c.name, undefined, { annotations: { [defaultClassAnnotation]: String(c.name === spec.storage.defaultClass) } }),
    provisioner: provisioners[c.kind],
    ...(Object.keys(params).length ? { parameters: params } : {}),
    reclaimPolicy: c.reclaimPolicy,
    volumeBindingMode: "WaitForFirstConsumer",
    allowVolumeExpansion: c.allowVolumeExpansion,
  };
}

export function storageClasses(spec: ClusterSpec): K8sObject[] {
  return spec.storage.classes.map((c) => storageClass(spec, c));
}
