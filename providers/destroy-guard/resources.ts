/**
 * ClusterDestroyGuard: a resource that depends on everything a kubeadm cluster is made of and
 * refuses its own deletion unless `CLUSTERKIT_DESTROY_CLUSTER=<cluster>` confirms it (runtime.ts).
 * Its provider loads runtime.ts lazily in the engine's provider process (see
 * ../lazy-dynamic-provider.ts for why).
 */
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { lazyDynamicProvider, type Inputs } from "../lazy-dynamic-provider";
import type { ClusterDestroyGuardInputs } from "./types";

export const clusterDestroyGuardProvider = lazyDynamicProvider("clusterDestroyGuard", path.join(__dirname, "runtime"));

export class ClusterDestroyGuard extends pulumi.dynamic.Resource {
  static readonly type = "pulumi-nodejs:dynamic/clusterkit:ClusterDestroyGuard";

  constructor(name: string, args: Inputs<ClusterDestroyGuardInputs>, opts?: pulumi.CustomResourceOptions) {
    super(clusterDestroyGuardProvider, name, args, opts, "clusterkit", "ClusterDestroyGuard");
  }
}
