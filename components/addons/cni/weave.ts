/** Weave Net from the vendored, checksum-pinned manifest; one resource per upstream object. */
import type * as pulumi from "@pulumi/pulumi";
import { weaveInstall } from "../../../core/render/addons/weave";
import type { ClusterSpec } from "../../../core/spec";
import { createInstall, type AddonContext } from "../resources";

export function installWeave(ctx: AddonContext, spec: ClusterSpec, dependsOn: pulumi.Input<pulumi.Resource>[], gate: pulumi.Output<unknown>): pulumi.CustomResource[] {
  return createInstall(ctx, weaveInstall(spec), dependsOn, { gate });
}
