/**
 * A Helm release as data: which pinned chart goes into which namespace with which values. The
 * components turn each into a `helm.v3.Release`; `plan --out` writes its values to a file.
 */
import { deepMerge } from "../../resolve/overrides";
import type { ChartPin } from "../../versions";
import type { K8sObject } from "./k8s";

export interface ReleasePlan {
  /** Helm release name; also the Pulumi resource name. */
  name: string;
  namespace: string;
  chart: ChartPin;
  values: Record<string, unknown>;
  /**
   * Install without waiting for the chart's pods to become ready (and so without Helm's atomic
   * rollback, which implies waiting). Only for a chart that must exist before the nodes its pods
   * run on: Cilium in EKS ENI mode.
   */
  skipAwait?: boolean;
}

/**
 * The user's raw `values` are merged last, over the curated ones: objects merge key by key,
 * lists and scalars replace. The escape hatch can therefore override anything we set.
 */
export function withRawValues(curated: Record<string, unknown>, raw: Record<string, unknown>): Record<string, unknown> {
  return deepMerge(curated, raw) as Record<string, unknown>;
}

/** One add-on's install: namespaces first, then charts, then objects that may need the charts' CRDs. */
export interface AddonInstall {
  namespaces: K8sObject[];
  /** Objects the charts' pods read at start (configuration), created before the releases. */
  prerequisites?: K8sObject[];
  releases: ReleasePlan[];
  objects: K8sObject[];
}
