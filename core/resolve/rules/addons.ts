/** Storage classes, ingress exposure and OIDC: checked against the platform. */
import type { IngressSpec, StorageClassSpec } from "../../spec";
import type { StorageKind } from "../../schema/storage";
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

export function resolveIngress(ctx: RuleContext): IngressSpec {
  const ing = ctx.blueprint.ingress;
  if (ing.kind === "none") return { kind: "none" };
  const pool = ctx.variables.ingressAddressPool as string | undefined;
  const exposure: Extract<IngressSpec, { kind: "ingress-nginx" | "traefik" }>["exposure"] =
    ctx.blueprint.platform.kind === "eks" ? { kind: "nlb" } : pool ? { kind: "metallb", addressPool: pool } : { kind: "host-network" };
  return { ...ing, chart: ingressCharts[ing.kind], exposure };
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
}
