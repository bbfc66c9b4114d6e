/**
 * The destroy guard of a kubeadm cluster (bare metal, vSphere): depending on the platform's
 * component and the add-ons, it is the first thing `pulumi destroy` deletes, and its delete
 * refuses without the confirmation, so an unconfirmed destroy removes nothing (see
 * providers/destroy-guard/runtime.ts). It is the kubeadm platforms' confirmation (which guarded
 * only the last control plane before) made to hold for the whole cluster; EKS stacks never had one.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { ClusterSpec } from "../core/spec";
import { ClusterDestroyGuard } from "../providers/destroy-guard/resources";

export function guardClusterDestroy(name: string, spec: ClusterSpec, everything: pulumi.Resource[], parent?: pulumi.Resource): ClusterDestroyGuard {
  return new ClusterDestroyGuard(`${name}-destroy-guard`, { cluster: spec.name, stack: spec.stack }, { parent, dependsOn: everything });
}
