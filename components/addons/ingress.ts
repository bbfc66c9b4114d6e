/**
 * The ingress controller and, on bare metal and vSphere with an address pool, MetalLB before it:
 * the controller's release waits for its LoadBalancer address, so the pool must exist first.
 */
import type * as pulumi from "@pulumi/pulumi";
import { ingressInstalls } from "../../core/render/addons/ingress";
import type { ClusterSpec } from "../../core/spec";
import { createInstall, type AddonContext } from "./resources";

export function installIngress(ctx: AddonContext, spec: ClusterSpec, dependsOn: pulumi.Input<pulumi.Resource>[]): pulumi.Resource[] {
  const created: pulumi.Resource[] = [];
  let after: pulumi.Input<pulumi.Resource>[] = dependsOn;
  for (const install of ingressInstalls(spec)) {
    const resources = createInstall(ctx, install, after);
    created.push(...resources);
    after = [...dependsOn, ...resources];
  }
  return created;
}
