/**
 * OIDC access: ClusterRoleBindings for the declared groups, EKS's IdentityProviderConfig with the
 * same identity, and the kubeconfig OIDC users sign in with (a secret output: it names the cluster
 * and, for confidential IdP clients, carries the client secret).
 */
import type * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { clusterTlsFromKubeconfig, eksIdentityProvider, oidcClusterRoleBindings, oidcKubeconfig } from "../../core/render/addons/oidc";
import type { ClusterSpec } from "../../core/spec";
import { awsSdk } from "../aws-sdk";
import type { PlatformResult } from "../platform";
import { createObjects, type AddonContext } from "./resources";

export interface OidcAccess {
  resources: pulumi.Resource[];
  kubeconfig: pulumi.Output<string>;
}

export function installOidc(
  ctx: AddonContext,
  spec: ClusterSpec,
  args: { platform: PlatformResult; clientSecret?: pulumi.Output<string>; aws?: aws.Provider; dependsOn: pulumi.Input<pulumi.Resource>[] },
): OidcAccess | null {
  if (!spec.oidc) return null;
  const resources: pulumi.Resource[] = createObjects(ctx, oidcClusterRoleBindings(spec), args.dependsOn);
  const idp = eksIdentityProvider(spec);
  if (idp) {
    const clusterName = args.platform.addonInputs.eksClusterName;
    if (!clusterName || !args.aws) throw new Error("OIDC on EKS needs the platform's cluster name");
    const { identityProviderConfigName, ...oidc } = idp;
    resources.push(
      new (awsSdk().eks.IdentityProviderConfig)(
        `${ctx.prefix}-oidc`,
        { clusterName, oidc: { identityProviderConfigName, ...oidc }, tags: spec.tags },
        { parent: ctx.parent, provider: args.aws, dependsOn: args.dependsOn },
      ),
    );
  }
  const secret = args.clientSecret ?? pulumi.output<string | null>(null);
  const kubeconfig = pulumi
    .all([args.platform.apiServerUrl, args.platform.kubeconfig, secret])
    .apply(([server, admin, clientSecret]) => oidcKubeconfig(spec, server, clusterTlsFromKubeconfig(admin), clientSecret));
  return { resources, kubeconfig: pulumi.secret(kubeconfig) };
}
