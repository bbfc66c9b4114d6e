/**
 * Kubernetes upgrades of a kubeadm cluster (pure). kubeadm upgrades one minor at a time and never
 * downgrades (its version-skew policy refuses both); a patch release goes the same way as a
 * minor. The package scripts move kubeadm first, then kubelet and kubectl, each past its hold and
 * held again, from the target minor's repository (pkgs.k8s.io has one per minor).
 */
import type { ClusterSpec } from "../../spec";
import { osFamilies, type KubernetesPackage } from "../host/os";
import { helpers, osCase, script } from "../host/shell";
import { kubernetesPackages } from "../host/steps/kubernetes-packages";
import { proxyEnv, proxySettings } from "../host/steps/http-proxy";

export type VersionStep =
  | { kind: "same" }
  | { kind: "patch" | "minor"; from: string; to: string }
  | { kind: "refused"; message: string; hint: string };

const parse = (v: string) => v.replace(/^v/, "").split(".").map(Number) as [number, number, number];

/** What going from the version a node runs (`1.33.5` or `v1.33.5`) to `to` means. */
export function versionStep(from: string, to: string): VersionStep {
  const [a, b] = [parse(from), parse(to)];
  const f = from.replace(/^v/, "");
  const t = to.replace(/^v/, "");
  if (a.join(".") === b.join(".")) return { kind: "same" };
  const minorGap = (b[0] - a[0]) * 1000 + (b[1] - a[1]);
  const lower = minorGap < 0 || (minorGap === 0 && b[2] < a[2]);
  if (lower) {
    return {
      kind: "refused",
      message: `the cluster runs Kubernetes ${f}; going back to ${t} is a downgrade, which kubeadm does not do`,
      hint: `keep kubernetesVersion at ${f} or later (a cluster goes back only by restoring an etcd backup onto machines at the old version)`,
    };
  }
  if (minorGap > 1) {
    const next = `${a[0]}.${a[1] + 1}`;
    return {
      kind: "refused",
      message: `the cluster runs Kubernetes ${f}; ${t} is ${minorGap} minors ahead, and kubeadm upgrades one minor at a time`,
      hint: `upgrade to ${next} first (set kubernetesVersion to "${next}" and run pulumi up), then to the next minor`,
    };
  }
  return { kind: minorGap === 1 ? "minor" : "patch", from: f, to: t };
}

/**
 * Moves `pkgs` to the spec's version on a node of the cluster: the target minor's repository,
 * then the packages past their hold, held again. Idempotent (an installed target is reinstalled
 * as a no-op by the package manager).
 */
export function upgradePackagesScript(spec: ClusterSpec, pkgs: readonly KubernetesPackage[]): string {
  const src = kubernetesPackages(spec);
  return script({
    step: `upgrade-${pkgs.join("-")}`,
    kind: "apply",
    stack: spec.stack,
    summary: `Upgrades ${pkgs.join(", ")} to ${src.version} from ${src.base} (held again after).`,
    needsOs: true,
    env: proxyEnv(proxySettings(spec)),
    helpers: [helpers.writeFile],
    body: `${osCase({ debian: osFamilies.debian.kubernetesRepo(src), rhel: osFamilies.rhel.kubernetesRepo(src) })}
${osCase({ debian: osFamilies.debian.upgradeKubernetes(src, pkgs), rhel: osFamilies.rhel.upgradeKubernetes(src, pkgs) })}`,
  });
}
