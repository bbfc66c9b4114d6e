/**
 * Storage drivers and classes (core/render/addons/storage.ts decides which). Credentials Secrets
 * are built from Pulumi secrets and created before the drivers; on EKS, EFS classes bring the EFS
 * CSI managed add-on with its IRSA role.
 */
import type * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { csiTrustPolicy, eksCsiAddons } from "../../core/render/addons/eks-storage";
import { storageInstalls, storageSecretKeys, storageSecrets, type StorageSecretValues } from "../../core/render/addons/storage";
import type { ClusterSpec } from "../../core/spec";
import { awsSdk } from "../aws-sdk";
import type { PlatformAddonInputs } from "../platform";
import { createInstall, createObjects, resourceName, type AddonContext } from "./resources";

export interface StorageSecrets {
  vspherePassword?: pulumi.Output<string>;
  cephUserKey?: pulumi.Output<string>;
}

const purposes: Record<keyof StorageSecretValues, string> = {
  vspherePassword: "vCenter password for the vSphere CPI and CSI driver",
  cephUserKey: "key of the Ceph client the ceph-rbd classes use",
};

function requiredSecrets(spec: ClusterSpec, secrets: StorageSecrets): pulumi.Output<StorageSecretValues> {
  const missing = storageSecretKeys(spec).filter((k) => !secrets[k]);
  if (missing.length) {
    const lines = missing.map((k) => `  pulumi config set --secret clusterkit:${k} --stack ${spec.stack}    # ${purposes[k]}`);
    throw new pulumi.RunError(`clusterkit: stack ${spec.stack} needs these secrets for its storage:\n${lines.join("\n")}`);
  }
  const none = pulumi.output("");
  return pulumi.secret(pulumi.all([secrets.vspherePassword ?? none, secrets.cephUserKey ?? none]).apply(([vspherePassword, cephUserKey]) => ({ vspherePassword, cephUserKey })));
}

function createSecrets(ctx: AddonContext, spec: ClusterSpec, secrets: StorageSecrets, dependsOn: pulumi.Input<pulumi.Resource>[]): k8s.core.v1.Secret[] {
  const shapes = storageSecrets(spec, { vspherePassword: "", cephUserKey: "" });
  if (!shapes.length) return [];
  const values = requiredSecrets(spec, secrets);
  return shapes.map(
    (shape, i) =>
      new k8s.core.v1.Secret(
        resourceName(ctx, shape),
        { metadata: shape.metadata, type: shape.type as string, stringData: values.apply((v) => storageSecrets(spec, v)[i].stringData as Record<string, string>) },
        { parent: ctx.parent, provider: ctx.provider, dependsOn, additionalSecretOutputs: ["stringData", "data"] },
      ),
  );
}

function createEksCsiAddons(ctx: AddonContext, spec: ClusterSpec, inputs: PlatformAddonInputs, aws_: aws.Provider | undefined, dependsOn: pulumi.Input<pulumi.Resource>[]): pulumi.Resource[] {
  const addons = eksCsiAddons(spec);
  if (!addons.length) return [];
  const { eksOidcProviderArn: arn, eksOidcProviderUrl: url, eksClusterName: clusterName } = inputs;
  if (!arn || !url || !clusterName || !aws_) throw new Error("EFS classes need the EKS platform's OIDC provider and cluster name");
  const opts = { parent: ctx.parent, provider: aws_ };
  const sdk = awsSdk();
  return addons.flatMap((a) => {
    const id = `${ctx.prefix}-${a.addonName}`;
    const role = new sdk.iam.Role(
      `${id}-irsa`,
      { assumeRolePolicy: pulumi.all([arn, url]).apply(([p, u]) => JSON.stringify(csiTrustPolicy(a, p, u))), description: `${a.addonName} controller (IRSA)`, tags: spec.tags },
      opts,
    );
    const attachment = new sdk.iam.RolePolicyAttachment(`${id}-irsa`, { role: role.name, policyArn: a.policyArn }, opts);
    const addon = new sdk.eks.Addon(
      id,
      { clusterName, addonName: a.addonName, serviceAccountRoleArn: role.arn, resolveConflictsOnCreate: "OVERWRITE", resolveConflictsOnUpdate: "PRESERVE", tags: spec.tags },
      { ...opts, dependsOn: [...dependsOn, attachment] },
    );
    return [role, attachment, addon];
  });
}

export function installStorage(
  ctx: AddonContext,
  spec: ClusterSpec,
  args: { secrets: StorageSecrets; inputs: PlatformAddonInputs; aws?: aws.Provider; dependsOn: pulumi.Input<pulumi.Resource>[] },
): pulumi.Resource[] {
  const [drivers, classes] = storageInstalls(spec);
  const namespaces = createObjects(ctx, drivers.namespaces, args.dependsOn);
  const secrets = createSecrets(ctx, spec, args.secrets, [...args.dependsOn, ...namespaces]);
  const managed = createEksCsiAddons(ctx, spec, args.inputs, args.aws, args.dependsOn);
  const installed = createInstall(ctx, { ...drivers, namespaces: [] }, [...args.dependsOn, ...namespaces, ...secrets, ...managed]);
  const all = [...namespaces, ...secrets, ...managed, ...installed];
  return [...all, ...createInstall(ctx, classes, [...args.dependsOn, ...all])];
}
