/**
 * What the cilium-operator needs from AWS in ENI mode. The operator is the one Cilium component
 * that calls the EC2 API: it creates and attaches ENIs and assigns their secondary addresses to
 * pods. The actions are those Cilium's documentation lists under "AWS ENI → Required Privileges"
 * (docs.cilium.io, network/concepts/ipam/eni) for the defaults clusterkit keeps: ENI garbage
 * collection on (DescribeTags), excess-IP release off (no UnassignPrivateIpAddresses), no IPv6
 * (no AssignIpv6Addresses), no instance-tags filter (no DescribeInstances). Tagging is limited to
 * network interfaces. AmazonEKS_CNI_Policy would not do: it lacks DescribeVpcs, DescribeRouteTables,
 * DescribeSecurityGroups and the prefix-list reads.
 */
import type { PolicyDocument } from "./iam";
import type { ServiceAccountRef } from "./irsa";
import type { Partition } from "./partition";

export const ciliumOperatorServiceAccount: ServiceAccountRef = { namespace: "kube-system", name: "cilium-operator" };

export function ciliumOperatorEniPolicy(partition: Partition): PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "CiliumEniIpam",
        Effect: "Allow",
        Action: [
          "ec2:DescribeNetworkInterfaces",
          "ec2:DescribeSubnets",
          "ec2:DescribeVpcs",
          "ec2:DescribeRouteTables",
          "ec2:DescribeSecurityGroups",
          "ec2:DescribeInstanceTypes",
          "ec2:DescribeTags",
          "ec2:DescribeManagedPrefixLists",
          "ec2:GetManagedPrefixListEntries",
          "ec2:CreateNetworkInterface",
          "ec2:AttachNetworkInterface",
          "ec2:ModifyNetworkInterfaceAttribute",
          "ec2:AssignPrivateIpAddresses",
          "ec2:DeleteNetworkInterface",
        ],
        Resource: "*",
      },
      { Sid: "CiliumEniTags", Effect: "Allow", Action: "ec2:CreateTags", Resource: `arn:${partition}:ec2:*:*:network-interface/*` },
    ],
  };
}
