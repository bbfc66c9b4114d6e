/**
 * The EKS control plane: private endpoint unless a public one is opted into with an allow-list,
 * secrets envelope-encrypted with the customer key, control-plane logs kept for a bounded time,
 * access entries alongside the aws-auth ConfigMap, and no self-managed add-ons (we install the
 * managed, pinned ones instead). Its version changes only by steps EKS takes, checked by the version
 * guard in the preview.
 */
import * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";
import type { EksClusterArgs } from "../../core/render/eks/args";
import { controlPlaneTimeouts } from "../../core/render/eks/timeouts";
import { EksVersionGuard } from "../../providers/eks-version/resources";
import { named, type EksBuildContext } from "./context";

export interface ControlPlaneInputs {
  roleArn: pulumi.Output<string>;
  subnetIds: pulumi.Output<string>[];
  keyArn: pulumi.Output<string>;
  /** IAM attachments and the KMS grant: deleting the cluster needs them too, so they must outlive it. */
  dependsOn: pulumi.Resource[];
}

/**
 * Remembers the minor of the last `pulumi up`; its diff refuses a version change EKS cannot take
 * (see core/eks/version-step.ts) before the cluster, which depends on it, changes.
 */
function versionGuard(ctx: EksBuildContext, args: EksClusterArgs): EksVersionGuard {
  const opts = ctx.opts();
  return new EksVersionGuard(
    `${ctx.name}-version`,
    { ...args.versionGuard, clusterName: args.clusterName, version: args.version },
    // clusterkit's own resource: no AWS provider.
    { parent: opts.parent },
  );
}

export function createControlPlane(ctx: EksBuildContext, args: EksClusterArgs, inputs: ControlPlaneInputs): aws.eks.Cluster {
  // EKS writes to this group by name; creating it first gives it a retention and our tags.
  const logGroup = new aws.cloudwatch.LogGroup(
    `${ctx.name}-control-plane`,
    { name: `/aws/eks/${args.clusterName}/cluster`, retentionInDays: args.clusterLogRetentionDays, tags: named(ctx, `${ctx.name}-control-plane`) },
    ctx.opts(),
  );
  return new aws.eks.Cluster(
    ctx.name,
    {
      name: args.clusterName,
      version: args.version,
      roleArn: inputs.roleArn,
      vpcConfig: {
        subnetIds: inputs.subnetIds,
        endpointPrivateAccess: args.endpointPrivateAccess,
        endpointPublicAccess: args.endpointPublicAccess,
        ...(args.endpointPublicAccess ? { publicAccessCidrs: args.publicAccessCidrs } : {}),
      },
      encryptionConfig: { provider: { keyArn: inputs.keyArn }, resources: ["secrets"] },
      enabledClusterLogTypes: args.enabledClusterLogTypes,
      accessConfig: { authenticationMode: args.authenticationMode, bootstrapClusterCreatorAdminPermissions: true },
      kubernetesNetworkConfig: { ipFamily: "ipv4", serviceIpv4Cidr: args.serviceIpv4Cidr },
      bootstrapSelfManagedAddons: false,
      upgradePolicy: args.upgradePolicy,
      tags: named(ctx, args.clusterName),
    },
    ctx.opts({ dependsOn: [versionGuard(ctx, args), logGroup, ...inputs.dependsOn], customTimeouts: controlPlaneTimeouts }),
  );
}
