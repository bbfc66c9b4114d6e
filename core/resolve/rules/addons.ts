/** Storage classes, ingress exposure and OIDC: checked against the platform. */
import type { IngressSpec, StorageClassSpec } from "../../spec";
import type { StorageClassInput, StorageKind } from "../../schema/storage";
import { ingressCharts } from "../../versions";
import { fail, fieldAt, type RuleContext } from "../context";

const storageKindsFor: Record<string, StorageKind[]> = {
  eks: ["ebs", "efs"],
  vsphere: ["vsphere", "local-path", "ceph-rbd"],
  baremetal: ["local-path", "ceph-rbd"],
};

export function resolveStorage(ctx: RuleContext): { classes: StorageClassSpec[]; defaultClass: string } | null {
  const platform = ctx.blueprint.platform.kind;
  const entries = Object.entries(ctx.blueprint.storage.classes);
  let ok = true;
  for (const [name, c] of entries) {
    if (!storageKindsFor[platform].includes(c.kind)) {
      fail(ctx, fieldAt(ctx, ["storage", "classes", name, "kind"]), `is not available on ${platform}`, { expected: storageKindsFor[platform].join(" | "), found: JSON.stringify(c.kind) });
      ok = false;
    }
  }
  for (const [name, c] of entries) if (!checkClass(ctx, name, c)) ok = false;
  const cephUsers = [...new Set(entries.flatMap(([, c]) => (c.kind === "ceph-rbd" ? [c.userId] : [])))];
  if (cephUsers.length > 1) {
    fail(ctx, fieldAt(ctx, ["storage", "classes"]), "all ceph-rbd classes authenticate with the one key in clusterkit:cephUserKey, so they must name the same Ceph client", {
      expected: "one userId",
      found: cephUsers.join(", "),
    });
    ok = false;
  }
  const defaults = entries.filter(([, c]) => c.default).map(([n]) => n);
  if (defaults.length !== 1) {
    fail(ctx, fieldAt(ctx, ["storage", "classes"]), "exactly one storage class must be the default", {
      expected: "1 class with default: true",
      found: defaults.length ? `${defaults.length} (${defaults.join(", ")})` : "none",
      hint: "PersistentVolumeClaims without a storageClassName pick the default; with two defaults Kubernetes picks the newest, silently",
    });
    ok = false;
  }
  return ok ? { classes: entries.map(([name, c]) => ({ ...c, name })), defaultClass: defaults[0] } : null;
}

/** Per-class options that only make sense together. */
function checkClass(ctx: RuleContext, name: string, c: StorageClassInput): boolean {
  const at = (field: string) => fieldAt(ctx, ["storage", "classes", name, field]);
  let ok = true;
  if (c.kind === "ebs") {
    if (c.volumeType === "io2" && c.iops === undefined) {
      fail(ctx, at("iops"), "io2 volumes are provisioned IOPS volumes; give the IOPS", { expected: "a number, e.g. 3000", found: "nothing" });
      ok = false;
    }
    if (c.volumeType !== "gp3" && c.throughputMiBps !== undefined) {
      fail(ctx, at("throughputMiBps"), "only gp3 volumes take a throughput setting", { expected: "volumeType: gp3", found: JSON.stringify(c.volumeType) });
      ok = false;
    }
  }
  if (c.kind === "local-path" && c.allowVolumeExpansion) {
    fail(ctx, at("allowVolumeExpansion"), "local-path-provisioner cannot grow volumes; a resize request would be accepted and never happen", { expected: "false", found: "true" });
    ok = false;
  }
  return ok;
}

export function resolveIngress(ctx: RuleContext): IngressSpec {
  const ing = ctx.blueprint.ingress;
  if (ing.kind === "none") return { kind: "none" };
  if (ing.kind === "ingress-nginx") checkRetiredNginx(ctx, ing.acknowledgeUnmaintained);
  const pool = ctx.variables.ingressAddressPool as string | undefined;
  const exposure: Extract<IngressSpec, { kind: "ingress-nginx" | "traefik" }>["exposure"] =
    ctx.blueprint.platform.kind === "eks" ? { kind: "nlb" } : pool ? { kind: "metallb", addressPool: pool } : { kind: "host-network" };
  return { kind: ing.kind, replicas: ing.replicas, className: ing.className, values: ing.values, chart: ingressCharts[ing.kind], exposure };
}

/** The Weave gate, for the other retired add-on: refused unless acknowledged, and always warned about. */
function checkRetiredNginx(ctx: RuleContext, acknowledged: boolean): void {
  if (!acknowledged) {
    fail(ctx, fieldAt(ctx, ["ingress", "acknowledgeUnmaintained"]), "ingress-nginx was retired upstream in March 2026 and gets no more security fixes; set acknowledgeUnmaintained: true to use it anyway", {
      expected: "true",
      found: "false",
      hint: "prefer kind: traefik (the default) for new clusters",
    });
    return;
  }
  ctx.out.warn({
    ...fieldAt(ctx, ["ingress", "kind"]),
    message: "ingress-nginx was retired upstream in March 2026: no security fixes, no support for new Kubernetes releases. Plan a migration to traefik.",
  });
}

export function checkOidc(ctx: RuleContext): void {
  const oidc = ctx.blueprint.oidc;
  if (!oidc) return;
  const url = new URL(oidc.issuerUrl);
  if (url.protocol !== "https:") {
    fail(ctx, fieldAt(ctx, ["oidc", "issuerUrl"]), "the API server only trusts OIDC issuers over https", {
      expected: "an https:// URL",
      found: JSON.stringify(oidc.issuerUrl),
    });
  }
  if (url.search || url.hash) fail(ctx, fieldAt(ctx, ["oidc", "issuerUrl"]), "an issuer URL has no query or fragment", { found: JSON.stringify(oidc.issuerUrl) });
  for (const field of ["usernamePrefix", "groupsPrefix"] as const) {
    // An empty or system: prefix would let the IdP mint names Kubernetes reserves (system:masters).
    if (!oidc[field] || oidc[field].startsWith("system:")) {
      fail(ctx, fieldAt(ctx, ["oidc", field]), "OIDC identities need a prefix of their own, so no IdP user or group can pose as a built-in one", {
        expected: 'a prefix such as "oidc:"',
        found: JSON.stringify(oidc[field]),
      });
    }
  }
  const seen = new Set<string>();
  oidc.bindings.forEach((b, i) => {
    if (/[/%]/.test(b.clusterRole) || b.clusterRole === "." || b.clusterRole === "..") {
      fail(ctx, fieldAt(ctx, ["oidc", "bindings", i, "clusterRole"]), "is not a valid ClusterRole name", { found: JSON.stringify(b.clusterRole) });
    }
    const key = `${b.group}\0${b.clusterRole}`;
    if (seen.has(key)) fail(ctx, fieldAt(ctx, ["oidc", "bindings", i]), `binds group ${b.group} to ${b.clusterRole} a second time`);
    seen.add(key);
  });
}
