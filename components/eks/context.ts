/** What every EKS child-resource builder gets: a name prefix, the tags, and options that parent it. */
import type * as pulumi from "@pulumi/pulumi";

export interface EksBuildContext {
  /** Prefix of every resource name (the cluster name). */
  name: string;
  tags: Record<string, string>;
  /** Parent (the EksCluster component) and the explicit AWS provider, plus any extras. */
  opts(extra?: pulumi.CustomResourceOptions): pulumi.CustomResourceOptions;
}

/** The common tags plus a Name, which the AWS console shows. */
export function named(ctx: EksBuildContext, name: string): Record<string, string> {
  return { ...ctx.tags, Name: name };
}
