/**
 * The AWS partition of a region. ARNs of AWS-managed policies differ per partition; deriving it
 * from the region keeps the plan free of lookups. Only the partitions the region rule accepts.
 */

export type Partition = "aws" | "aws-us-gov" | "aws-iso" | "aws-iso-b" | "aws-iso-e" | "aws-iso-f";

export function partitionOf(region: string): Partition {
  if (/^us-gov-/.test(region)) return "aws-us-gov";
  const iso = /^[a-z]+-iso([a-z]?)-/.exec(region);
  if (iso) return (iso[1] ? `aws-iso-${iso[1]}` : "aws-iso") as Partition;
  return "aws";
}

export function managedPolicyArn(partition: Partition, name: string): string {
  return `arn:${partition}:iam::aws:policy/${name}`;
}
