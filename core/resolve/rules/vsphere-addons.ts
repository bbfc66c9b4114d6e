/**
 * The vSphere CPI and CSI driver against the Kubernetes minor: the CPI is installed on every
 * vSphere cluster and supported only against its own minor; the CSI driver is installed with a
 * `vsphere` storage class and supported inside its release's range. Like the CNI, a minor without
 * a supported release is refused rather than installed untested.
 */
import { vsphereCpiChart, vsphereCpiCharts, vsphereCsiRelease, vsphereCsiReleases } from "../../versions";
import { fail, fieldAt, type RuleContext } from "../context";

export function checkVsphereAddons(ctx: RuleContext, minor: string | null): void {
  if (ctx.blueprint.platform.kind !== "vsphere" || !minor) return;
  const at = fieldAt(ctx, ["kubernetesVersion"]);
  if (!vsphereCpiChart(minor)) {
    fail(ctx, at, `no vSphere CPI release is pinned for Kubernetes ${minor}; the CPI is only supported against its own Kubernetes minor`, {
      expected: `one of ${Object.keys(vsphereCpiCharts).join(", ")}`,
      found: minor,
      hint: "pick a Kubernetes minor core/versions.ts pins a vsphere-cpi chart for (vsphereCpiCharts)",
    });
  }
  const csiNeeded = Object.values(ctx.blueprint.storage.classes).some((c) => c.kind === "vsphere");
  if (csiNeeded && !vsphereCsiRelease(minor)) {
    const ranges = vsphereCsiReleases.map((r) => `${r.kubernetes.min} to ${r.kubernetes.max}`).join(" or ");
    fail(ctx, at, `no vSphere CSI driver release is recommended for Kubernetes ${minor}`, {
      expected: ranges,
      found: minor,
      hint: "pick a Kubernetes version in that range, or use another storage class kind (local-path, ceph-rbd) instead of vsphere",
    });
  }
}
