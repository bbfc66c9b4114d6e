/**
 * EKS upgrade settings: where kubernetesVersion is set (the version guard's refusals point there)
 * and, on the STANDARD upgrade policy, what AWS's own upgrade at the end of standard support means
 * for the minor the blueprint pins.
 */
import type { Blueprint } from "../../schema/blueprint";
import type { EksPlatformSpec } from "../../spec";
import { nextMinor } from "../../eks/version-step";
import { standardSupportEnd } from "../../eks/support-calendar";
import { eksKubernetes, minorOf } from "../../versions";
import { fieldAt, type RuleContext } from "../context";

type EksBlueprintPlatform = Extract<Blueprint["platform"], { kind: "eks" }>;

export function resolveEksUpgrade(ctx: RuleContext, p: EksBlueprintPlatform): Pick<EksPlatformSpec, "supportType" | "versionSource"> {
  if (p.supportType === "standard") warnStandardPolicy(ctx);
  return { supportType: p.supportType, versionSource: fieldAt(ctx, ["kubernetesVersion"]) };
}

function warnStandardPolicy(ctx: RuleContext): void {
  const minor = minorOf(ctx.blueprint.kubernetesVersion);
  // An unsupported version is kubernetes.ts's to report; there is nothing to say about its support.
  if (!eksKubernetes.includes(minor)) return;
  const next = nextMinor(minor);
  const end = standardSupportEnd(minor);
  const when = end ? `on ${end}, when ${minor} leaves EKS standard support` : `when ${minor} leaves EKS standard support`;
  const unsupported = eksKubernetes.includes(next) ? "" : ` (a minor clusterkit does not support yet)`;
  ctx.out.warn({
    ...fieldAt(ctx, ["platform", "supportType"]),
    message:
      `standard upgrade policy: ${when}, AWS upgrades the control plane to ${next}${unsupported} on its own, while kubernetesVersion still pins "${minor}"; ` +
      `the node groups and add-ons stay on ${minor} and pulumi up cannot take the control plane back. ` +
      `Raise kubernetesVersion to "${next}" and pulumi up before that date; if AWS was first, run pulumi refresh, then do the same. ` +
      `supportType: extended keeps ${minor} for 12 more months, at the extended-support price`,
  });
}
