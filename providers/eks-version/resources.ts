/**
 * EksVersionGuard holds the Kubernetes minor of the last `pulumi up`; the EKS cluster depends on
 * it, so a version change EKS cannot take is refused before the cluster is registered, in preview
 * and in up. Its provider loads runtime.ts lazily in the engine's provider process (see
 * ../lazy-dynamic-provider.ts for why).
 */
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { lazyDynamicProvider, type Inputs } from "../lazy-dynamic-provider";
import type { EksVersionGuardInputs } from "./types";

export const eksVersionGuardProvider = lazyDynamicProvider("eksVersionGuard", path.join(__dirname, "runtime"));

export class EksVersionGuard extends pulumi.dynamic.Resource {
  static readonly type = "pulumi-nodejs:dynamic/clusterkit:EksVersionGuard";

  constructor(name: string, args: Inputs<EksVersionGuardInputs>, opts?: pulumi.CustomResourceOptions) {
    super(eksVersionGuardProvider, name, args, opts, "clusterkit", "EksVersionGuard");
  }
}
