/**
 * Cilium through its pinned chart. On kubeadm clusters the API server address for kube-proxy
 * replacement comes from the spec; on EKS only the created cluster knows it, so the values wait
 * for the platform's endpoint.
 */
import * as pulumi from "@pulumi/pulumi";
import { apiServerFromUrl, ciliumInstall, ciliumValues, kubeadmApiServer, type CiliumSpec } from "../../../core/render/addons/cilium";
import { eksApiServerPlaceholder } from "../../../core/render/addons/plan";
import type { ClusterSpec } from "../../../core/spec";
import type { PlatformResult } from "../../platform";
import { createInstall, type AddonContext } from "../resources";

export function installCilium(
  ctx: AddonContext,
  spec: ClusterSpec,
  cni: CiliumSpec,
  platform: PlatformResult,
  dependsOn: pulumi.Input<pulumi.Resource>[],
  gate: pulumi.Output<unknown>,
): pulumi.CustomResource[] {
  const onEks = spec.platform.kind === "eks";
  const plan = ciliumInstall(spec, cni, kubeadmApiServer(spec) ?? (onEks ? eksApiServerPlaceholder : null));
  const operatorRole = platform.addonInputs.eksCiliumOperatorRoleArn;
  if (cni.eksMode === "eni" && !operatorRole) throw new Error("cilium: ENI mode needs the cilium-operator's IRSA role from the EKS platform");
  const values =
    onEks && (cni.kubeProxyReplacement || operatorRole)
      ? pulumi
          .all([platform.apiServerUrl, operatorRole ?? pulumi.output(undefined)])
          .apply(([url, eksOperatorRoleArn]) => ciliumValues(spec, cni, cni.kubeProxyReplacement ? apiServerFromUrl(url) : null, { eksOperatorRoleArn }))
      : undefined;
  return createInstall(ctx, plan, dependsOn, { gate, values: values ? () => values : undefined });
}
