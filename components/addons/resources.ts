/**
 * Turns rendered add-on pieces into Pulumi resources through the cluster's own Kubernetes
 * provider: Helm releases for charts, one typed resource per rendered object (so every object is
 * visible in plans and under mocks), and the namespace → release → object order.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { AddonInstall, ReleasePlan } from "../../core/render/addons/helm";
import type { K8sObject } from "../../core/render/addons/k8s";
import { helmChartRef } from "../../core/mirrors";

export interface AddonContext {
  /** Prefix of every resource name (the Addons component's name). */
  prefix: string;
  parent: pulumi.Resource;
  provider: k8s.Provider;
}

type Ctor = new (name: string, args: never, opts?: pulumi.CustomResourceOptions) => pulumi.CustomResource;

const typed: Record<string, Ctor> = {
  "v1/Namespace": k8s.core.v1.Namespace,
  "v1/ServiceAccount": k8s.core.v1.ServiceAccount,
  "v1/ConfigMap": k8s.core.v1.ConfigMap,
  "v1/Secret": k8s.core.v1.Secret,
  "v1/Service": k8s.core.v1.Service,
  "apps/v1/Deployment": k8s.apps.v1.Deployment,
  "apps/v1/DaemonSet": k8s.apps.v1.DaemonSet,
  "rbac.authorization.k8s.io/v1/ClusterRole": k8s.rbac.v1.ClusterRole,
  "rbac.authorization.k8s.io/v1/ClusterRoleBinding": k8s.rbac.v1.ClusterRoleBinding,
  "rbac.authorization.k8s.io/v1/Role": k8s.rbac.v1.Role,
  "rbac.authorization.k8s.io/v1/RoleBinding": k8s.rbac.v1.RoleBinding,
  "storage.k8s.io/v1/StorageClass": k8s.storage.v1.StorageClass,
  "storage.k8s.io/v1/CSIDriver": k8s.storage.v1.CSIDriver,
};

export function resourceName(ctx: AddonContext, o: K8sObject): string {
  return [ctx.prefix, o.kind.toLowerCase(), o.metadata.namespace, o.metadata.name].filter(Boolean).join("-");
}

/**
 * One resource per object. `gate`, when given, must resolve before any object is sent: the CNI
 * passes the network-identity check through it, so a refused change never reaches the cluster.
 */
export function createObjects(ctx: AddonContext, objects: K8sObject[], dependsOn: pulumi.Input<pulumi.Resource>[], gate?: pulumi.Output<unknown>): pulumi.CustomResource[] {
  return objects.map((o) => {
    const args = gate ? { ...o, metadata: pulumi.all([gate, o.metadata]).apply(([, m]) => m) } : o;
    const opts: pulumi.CustomResourceOptions = { parent: ctx.parent, provider: ctx.provider, dependsOn };
    const Typed = typed[`${o.apiVersion}/${o.kind}`];
    return Typed ? new Typed(resourceName(ctx, o), args as never, opts) : new k8s.apiextensions.CustomResource(resourceName(ctx, o), args as k8s.apiextensions.CustomResourceArgs, opts);
  });
}

/** A pinned chart. Values may be an Output where only the live platform knows them (EKS endpoint). */
export function createRelease(
  ctx: AddonContext,
  r: ReleasePlan,
  dependsOn: pulumi.Input<pulumi.Resource>[],
  values: pulumi.Input<Record<string, unknown>> = r.values,
  gate?: pulumi.Output<unknown>,
): k8s.helm.v3.Release {
  const ref = helmChartRef(r.chart);
  return new k8s.helm.v3.Release(
    `${ctx.prefix}-${r.name}`,
    {
      name: r.name,
      namespace: r.namespace,
      chart: ref.chart,
      version: r.chart.version,
      // An oci:// chart is a single reference; Helm takes no repository for it.
      ...(ref.repo ? { repositoryOpts: { repo: ref.repo } } : {}),
      values: gate ? pulumi.all([gate, values]).apply(([, v]) => v) : values,
      // We create namespaces ourselves, with their Pod Security labels.
      createNamespace: false,
      // A failed install or upgrade rolls back instead of leaving a half-applied release; atomic
      // implies waiting for every pod, so a release that cannot be waited for gives it up.
      atomic: !r.skipAwait,
      skipAwait: r.skipAwait ?? false,
      cleanupOnFail: true,
      maxHistory: 10,
      timeout: 900,
    },
    { parent: ctx.parent, provider: ctx.provider, dependsOn },
  );
}

/** Namespaces, then releases, then objects; returns everything, for what must wait on the add-on. */
export function createInstall(
  ctx: AddonContext,
  plan: AddonInstall,
  dependsOn: pulumi.Input<pulumi.Resource>[],
  extra: { values?: (r: ReleasePlan) => pulumi.Input<Record<string, unknown>>; gate?: pulumi.Output<unknown> } = {},
): pulumi.CustomResource[] {
  const namespaces = createObjects(ctx, plan.namespaces, dependsOn, extra.gate);
  const prerequisites = createObjects(ctx, plan.prerequisites ?? [], [...dependsOn, ...namespaces], extra.gate);
  const first = [...dependsOn, ...namespaces, ...prerequisites];
  const releases = plan.releases.map((r) => createRelease(ctx, r, first, extra.values?.(r) ?? r.values, extra.gate));
  const objects = createObjects(ctx, plan.objects, [...first, ...releases], extra.gate);
  return [...namespaces, ...prerequisites, ...releases, ...objects];
}
