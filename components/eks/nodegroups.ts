/**
 * One managed node group per pool, each with its own launch template: IMDSv2 required with the
 * spec's hop limit, encrypted gp3 volumes, the cluster tags on instances and disks. Nodes live in
 * the private subnets and follow the control plane's Kubernetes version.
 */
import * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";
import type { EksClusterArgs, EksNodeGroupArgs } from "../../core/render/eks/args";
import { amiType, blockDevices, eksTaints, launchTagResourceTypes, metadataOptions } from "../../core/render/eks/nodegroup";
import { named, type EksBuildContext } from "./context";

export interface NodeGroupInputs {
  cluster: aws.eks.Cluster;
  nodeRoleArn: pulumi.Output<string>;
  subnetIds: pulumi.Output<string>[];
  /** Node-role policies, NAT routes and the networking add-ons: nodes cannot join without them. */
  dependsOn: pulumi.Resource[];
}

function launchTemplate(ctx: EksBuildContext, args: EksClusterArgs, group: EksNodeGroupArgs): aws.ec2.LaunchTemplate {
  const name = `${ctx.name}-${group.name}`;
  return new aws.ec2.LaunchTemplate(
    name,
    {
      description: `Nodes of pool ${group.name} in EKS cluster ${args.clusterName}`,
      metadataOptions: metadataOptions(args.imdsHopLimit),
      blockDeviceMappings: blockDevices(group),
      tagSpecifications: launchTagResourceTypes.map((resourceType) => ({ resourceType, tags: named(ctx, name) })),
      updateDefaultVersion: true,
      tags: named(ctx, name),
    },
    ctx.opts(),
  );
}

export function createNodeGroups(ctx: EksBuildContext, args: EksClusterArgs, inputs: NodeGroupInputs): aws.eks.NodeGroup[] {
  return args.nodeGroups.map((group) => {
    const lt = launchTemplate(ctx, args, group);
    const name = `${ctx.name}-${group.name}`;
    return new aws.eks.NodeGroup(
      name,
      {
        clusterName: inputs.cluster.name,
        version: inputs.cluster.version,
        nodeRoleArn: inputs.nodeRoleArn,
        subnetIds: inputs.subnetIds,
        instanceTypes: group.instanceTypes,
        capacityType: group.capacityType,
        amiType: amiType(group),
        scalingConfig: { minSize: group.minSize, maxSize: group.maxSize, desiredSize: group.desiredSize },
        updateConfig: { maxUnavailable: 1 },
        labels: group.labels,
        taints: eksTaints(group.taints),
        launchTemplate: { id: lt.id, version: lt.latestVersion.apply(String) },
        tags: named(ctx, name),
      },
      // An autoscaler owns the desired size once the group exists; min and max stay ours.
      ctx.opts({ dependsOn: inputs.dependsOn, ignoreChanges: ["scalingConfig.desiredSize"] }),
    );
  });
}
