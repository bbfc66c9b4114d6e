/**
 * Cluster: the top-level component every stack creates. It records the resolved spec and hands it
 * to the platform's component; everything the cluster owns is parented to it.
 */
import * as pulumi from "@pulumi/pulumi";
import type { ClusterSpec } from "../core/spec";
import { Addons } from "./addons";
import { guardClusterDestroy } from "./destroy-guard";
import { platformBuilders } from "./platforms";
import type { ClusterSecrets } from "./secrets";

export interface ClusterArgs {
  spec: ClusterSpec;
  secrets: ClusterSecrets;
}

export class Cluster extends pulumi.ComponentResource {
  static readonly type = "clusterkit:index:Cluster";
  readonly clusterName: pulumi.Output<string>;
  readonly platform: pulumi.Output<string>;
  readonly kubernetesVersion: pulumi.Output<string>;
  /** The resolved spec as JSON; it holds no secret values. */
  readonly spec: pulumi.Output<string>;
  /** Admin kubeconfig; a secret. */
  readonly kubeconfig: pulumi.Output<string | undefined>;
  /** API server URL as clients reach it. */
  readonly apiServerUrl: pulumi.Output<string | undefined>;
  /** Kubeconfig for OIDC users (`kubectl oidc-login`); a secret. Absent without OIDC. */
  readonly oidcKubeconfig: pulumi.Output<string> | undefined;

  constructor(name: string, args: ClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    super(Cluster.type, name, {}, opts);
    const { spec } = args;
    this.clusterName = pulumi.output(spec.name);
    this.platform = pulumi.output(spec.platform.kind);
    this.kubernetesVersion = pulumi.output(spec.kubernetes.version);
    this.spec = pulumi.output(JSON.stringify(spec));
    const build = platformBuilders[spec.platform.kind]?.();
    const result = build?.(spec, args.secrets, this);
    const addons = result && new Addons(name, { spec, platform: result, secrets: args.secrets }, { parent: this, dependsOn: result.ready });
    if (result && addons && spec.platform.kind !== "eks") guardClusterDestroy(name, spec, [result.component, addons], this);
    this.oidcKubeconfig = addons?.oidcKubeconfig;
    this.kubeconfig = result ? pulumi.secret(result.kubeconfig) : pulumi.output(undefined);
    this.apiServerUrl = result?.apiServerUrl ?? pulumi.output(undefined);
    this.registerOutputs({
      clusterName: this.clusterName,
      platform: this.platform,
      kubernetesVersion: this.kubernetesVersion,
      spec: this.spec,
      kubeconfig: this.kubeconfig,
      apiServerUrl: this.apiServerUrl,
      ...(this.oidcKubeconfig ? { oidcKubeconfig: this.oidcKubeconfig } : {}),
    });
  }
}
