/** Flannel through its pinned chart, in the privileged `kube-flannel` namespace. */
import type * as pulumi from "@pulumi/pulumi";
import { flannelInstall, type FlannelSpec } from "../../../core/render/addons/flannel";
import type { ClusterSpec } from "../../../core/spec";
import { createInstall, type AddonContext } from "../resources";

export function installFlannel(ctx: AddonContext, spec: ClusterSpec, cni: FlannelSpec, dependsOn: pulumi.Input<pulumi.Resource>[], gate: pulumi.Output<unknown>): pulumi.CustomResource[] {
  return createInstall(ctx, flannelInstall(spec, cni), dependsOn, { gate });
}
