/**
 * The customer KMS key that envelope-encrypts Kubernetes secrets: created here (rotated yearly),
 * or an existing one given by ARN. Either way the cluster role may use only that key.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { clusterKmsPolicy } from "../../core/render/eks/iam";
import { named, type EksBuildContext } from "./context";

export interface SecretsKey {
  keyArn: pulumi.Output<string>;
  /** The cluster role's permission on the key; the cluster must wait for it. */
  grant: aws.iam.RolePolicy;
}

export function createSecretsKey(ctx: EksBuildContext, givenArn: string | null, clusterRole: aws.iam.Role): SecretsKey {
  let keyArn: pulumi.Output<string>;
  if (givenArn) {
    keyArn = pulumi.output(givenArn);
  } else {
    const key = new aws.kms.Key(
      `${ctx.name}-secrets`,
      {
        description: `Envelope encryption of Kubernetes secrets in EKS cluster ${ctx.name}`,
        enableKeyRotation: true,
        deletionWindowInDays: 30,
        tags: named(ctx, `${ctx.name}-secrets`),
      },
      ctx.opts(),
    );
    new aws.kms.Alias(`${ctx.name}-secrets`, { name: `alias/clusterkit/${ctx.name}/secrets`, targetKeyId: key.keyId }, ctx.opts());
    keyArn = key.arn;
  }
  const grant = new aws.iam.RolePolicy(
    `${ctx.name}-cluster-kms`,
    { role: clusterRole.name, policy: keyArn.apply((arn) => JSON.stringify(clusterKmsPolicy(arn))) },
    ctx.opts(),
  );
  return { keyArn, grant };
}
