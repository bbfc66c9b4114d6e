/**
 * The add-ons of the real-engine tier's program, sent by the real Kubernetes provider to the real
 * API server the tier starts on loopback (test/upstream/control-plane.ts): the network-identity
 * guard, then every object of the CNI, storage and ingress installs (namespaces, prerequisites,
 * objects, in the components' order) and the OIDC bindings, each created by the components' own
 * functions. Left out, and said in test/upstream/README.md: the Helm releases (their chart
 * repositories are not reachable offline) and the objects whose kinds only those charts define
 * (MetalLB's pools, Cilium's CRs). Workloads carry `pulumi.com/skipAwait`: the API server has no
 * scheduler or kubelet behind it, so their pods never start and the provider's rollout wait
 * would only time out.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { AddonInstall } from "../../core/render/addons/helm";
import type { K8sObject } from "../../core/render/addons/k8s";
import { addonPlan } from "../../core/render/addons/plan";
import type { ClusterSpec } from "../../core/spec";
import { networkGuard } from "../../components/addons/network-guard";
import { createInstall, createObjects, type AddonContext } from "../../components/addons/resources";

/** Built into the API server: the core group, the *.k8s.io groups and the few unqualified ones. */
export function builtInKind(o: K8sObject): boolean {
  const group = o.apiVersion.includes("/") ? o.apiVersion.split("/")[0] : "";
  return group === "" || group.endsWith(".k8s.io") || ["apps", "batch", "policy", "autoscaling"].includes(group);
}

const workloads = new Set(["Deployment", "DaemonSet", "StatefulSet"]);

function servable(o: K8sObject): K8sObject {
  if (!workloads.has(o.kind)) return o;
  return { ...o, metadata: { ...o.metadata, annotations: { ...o.metadata.annotations, "pulumi.com/skipAwait": "true" } } };
}

function withoutCharts(install: AddonInstall): AddonInstall {
  const keep = (objects: K8sObject[] = []) => objects.filter(builtInKind).map(servable);
  return { namespaces: keep(install.namespaces), prerequisites: keep(install.prerequisites), releases: [], objects: keep(install.objects) };
}

export class EngineAddons extends pulumi.ComponentResource {
  constructor(name: string, spec: ClusterSpec, kubeconfig: pulumi.Output<string>, dependsOn: pulumi.Resource[], opts?: pulumi.ComponentResourceOptions) {
    super("clusterkit-test:engine:Addons", name, {}, opts);
    const provider = new k8s.Provider(`${name}-api`, { kubeconfig }, { parent: this });
    const ctx: AddonContext = { prefix: name, parent: this, provider };
    const plan = addonPlan(spec);
    const guard = networkGuard(ctx, spec, dependsOn);
    const network = createInstall(ctx, withoutCharts(plan.cni), [...dependsOn, guard.record], { gate: guard.verified });
    let after: pulumi.Resource[] = [...dependsOn, ...network];
    for (const install of [...plan.storage, ...plan.ingress]) after = [...after, ...createInstall(ctx, withoutCharts(install), after)];
    createObjects(ctx, plan.oidc, dependsOn);
    this.registerOutputs({});
  }
}
