/**
 * Storage per platform: the drivers the declared classes need, then the classes.
 *   EKS:        EBS classes (driver: the EKS platform's managed add-on), EFS classes (eks-storage.ts)
 *   vSphere:    the vSphere CPI (always: it initialises the nodes) and CSI driver, classes by policy
 *   bare metal: local-path-provisioner, and ceph-csi RBD when a ceph-rbd class is declared
 * Objects holding credentials are rendered separately (storageSecrets), from secret values.
 */
import type { ClusterSpec } from "../../spec";
import { withMirroredImages } from "../../mirrors";
import { cephClasses, cephRelease, cephSecret } from "./ceph";
import type { AddonInstall } from "./helm";
import { namespace, type K8sObject } from "./k8s";
import { localPathProvisioner } from "./local-path";
import { cephRbd, storageClasses } from "./storage-classes";
import { cpiCloudConfig, cpiCredentials, cpiRelease, csiCredentials } from "./vsphere";
import { vsphereCsiDriver } from "./vsphere-csi";

export interface StorageSecretValues {
  vspherePassword: string;
  cephUserKey: string;
}

const has = (spec: ClusterSpec, kind: string) => spec.storage.classes.some((c) => c.kind === kind);

/** Splits rendered objects into namespaces (created first) and the rest. */
function byStage(objects: K8sObject[]): { namespaces: K8sObject[]; objects: K8sObject[] } {
  return { namespaces: objects.filter((o) => o.kind === "Namespace"), objects: objects.filter((o) => o.kind !== "Namespace") };
}

/** The drivers, then the classes: a class is only useful once its provisioner runs. */
export function storageInstalls(spec: ClusterSpec): AddonInstall[] {
  return [storageDrivers(spec), { namespaces: [], releases: [], objects: storageClasses(spec) }];
}

function storageDrivers(spec: ClusterSpec): AddonInstall {
  const out: AddonInstall = { namespaces: [], releases: [], objects: [] };
  const add = (objects: K8sObject[]) => {
    const s = byStage(withMirroredImages(spec.mirrors.images, objects));
    out.namespaces.push(...s.namespaces);
    out.objects.push(...s.objects);
  };
  if (spec.platform.kind === "vsphere") {
    out.releases.push(cpiRelease(spec));
    // The CPI's pods mount this ConfigMap; the release waits for them, so it must exist first.
    out.prerequisites = [cpiCloudConfig(spec)];
    if (has(spec, "vsphere")) add(vsphereCsiDriver(spec));
  }
  if (has(spec, "local-path")) add(localPathProvisioner(spec));
  if (has(spec, "ceph-rbd")) {
    out.namespaces.push(namespace(spec, cephRbd.namespace, "privileged"));
    out.releases.push(cephRelease(spec));
  }
  return out;
}

/** The secret config values (clusterkit:<key>) the storage drivers need. */
export function storageSecretKeys(spec: ClusterSpec): (keyof StorageSecretValues)[] {
  return [...(spec.platform.kind === "vsphere" ? (["vspherePassword"] as const) : []), ...(cephClasses(spec).length ? (["cephUserKey"] as const) : [])];
}

/** Secrets the storage drivers read; created before the drivers so their pods start cleanly. */
export function storageSecrets(spec: ClusterSpec, values: StorageSecretValues): K8sObject[] {
  const out: K8sObject[] = [];
  if (spec.platform.kind === "vsphere") {
    out.push(cpiCredentials(spec, values.vspherePassword));
    if (has(spec, "vsphere")) out.push(csiCredentials(spec, values.vspherePassword));
  }
  if (cephClasses(spec).length) out.push(cephSecret(spec, values.cephUserKey));
  return out;
}
