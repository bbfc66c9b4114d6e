/**
 * One managed node group per pool, each with its own launch template: IMDSv2 required with the
 * spec's hop limit, encrypted gp3 volumes, the cluster tags on instances and disks. Nodes live in
 * the private subnets and run the blueprint's Kubernetes minor on the EKS-optimized AMI of their
 * amiType: the launch template names no image, so an upgrade changes the group's `version` and
 * EKS rolls the nodes `maxUnavailable` at a time, after the control plane (both depend on it).
 */
import * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";
import type { EksClusterArgs, EksNodeGroupArgs } from "../../core/render/eks/args";
import { amiType, blockDevices, eksTaints, launchTagResourceTypes, metadataOptions } from "../../core/render/eks/nodegroup";
import { nodeGroupTimeouts } from "../../core/render/eks/timeouts";
import { named, type EksBuildContext } from "./context";

export interface NodeGroupInputs {
  cluster: aws.eks.Cluster;
  nodeRoleArn: pulumi.Output<string>;
  subnetIds: pulumi.Output<string>[];
  /** Node-role policies, NAT routes and the networking add-ons: nodes cannot join without them. */
  dependsOn: pulumi.Resource[];
}

function launchTemplate(ctx: EksBuildContext, args: EksClusterArgs, group: EksNodeGroupArgs, cluster: aws.eks.Cluster): aws.ec2.LaunchTemplate {
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
    // A new template version changes no node by itself, but it too waits for the control plane.
    ctx.opts({ dependsOn: [cluster] }),
  );
}

export function createNodeGroups(ctx: EksBuildContext, args: EksClusterArgs, inputs: NodeGroupInputs): aws.eks.NodeGroup[] {
  return args.nodeGroups.map((group) => {
    const lt = launchTemplate(ctx, args, group, inputs.cluster);
    const name = `${ctx.name}-${group.name}`;
    return new aws.eks.NodeGroup(
      name,
      {
        clusterName: inputs.cluster.name,
        // The pinned minor, not the cluster's output: the preview shows the step, and a control
        // plane AWS moved on its own (STANDARD policy) does not drag the nodes along unasked.
        version: args.version,
        nodeRoleArn: inputs.nodeRoleArn,
        subnetIds: inputs.subnetIds,
        instanceTypes: group.instanceTypes,
        capacityType: group.capacityType,
        amiType: amiType(group),
        scalingConfig: { minSize: group.minSize, maxSize: group.maxSize, desiredSize: group.desiredSize },
        updateConfig: { maxUnavailable: group.maxUnavailable },
        labels: group.labels,
        taints: eksTaints(group.taints),
        launchTemplate: { id: lt.id, version: lt.latestVersion.apply(String) },
        tags: named(ctx, name),
      },
      // An autoscaler owns the desired size once the group exists; min and max stay ours.
      ctx.opts({ dependsOn: [inputs.cluster, ...inputs.dependsOn], ignoreChanges: ["scalingConfig.desiredSize"], customTimeouts: nodeGroupTimeouts(group) }),
    );
  });
}
