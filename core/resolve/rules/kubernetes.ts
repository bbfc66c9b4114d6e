/** Kubernetes version: a supported minor for the platform, resolved to its pinned patch. */
import { eksKubernetes, kubeadmKubernetes, minorOf } from "../../versions";
import { fail, fieldAt, type RuleContext } from "../context";

export function resolveKubernetes(ctx: RuleContext): { version: string; minor: string } | null {
  const raw = ctx.blueprint.kubernetesVersion.replace(/^v/, "");
  const minor = minorOf(raw);
  const at = fieldAt(ctx, ["kubernetesVersion"]);
  if (ctx.blueprint.platform.kind === "eks") {
    if (!eksKubernetes.includes(minor)) {
      fail(ctx, at, "is not a Kubernetes version EKS supports", { expected: eksKubernetes.join(" | "), found: JSON.stringify(raw) });
      return null;
    }
    if (raw !== minor) {
      fail(ctx, at, "EKS takes a minor version only; AWS picks the patch", { expected: JSON.stringify(minor), found: JSON.stringify(raw) });
      return null;
    }
    return { version: minor, minor };
  }
  const pinned = kubeadmKubernetes[minor];
  if (!pinned) {
    fail(ctx, at, "is not a Kubernetes version clusterkit bootstraps with kubeadm", { expected: Object.keys(kubeadmKubernetes).join(" | "), found: JSON.stringify(raw) });
    return null;
  }
  return { version: raw === minor ? pinned : raw, minor };
}
