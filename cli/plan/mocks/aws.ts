/**
 * Mock outputs for @pulumi/aws resources the EKS platform reads: ARNs, IDs, the cluster's
 * endpoint, CA and OIDC issuer. Values are derived from the resource name so plans are stable;
 * all of them exist only after deploy, so each is recorded with `afterApply`.
 */
import { createHash } from "node:crypto";
import { afterApply } from "../known-after-apply";
import { registerComputedOutputs } from "../mocks";

type State = Record<string, unknown>;

const account = "123456789012";
const hex = (seed: string, len: number) => createHash("sha256").update(seed).digest("hex").slice(0, len);

/** Region of the most recent explicit AWS provider: each program run builds one per cluster. */
let region = "us-east-1";

registerComputedOutputs("pulumi:providers:aws", (_name, inputs) => {
  if (typeof inputs.region === "string") region = inputs.region;
  return {};
});

/** Pulumi's auto-naming is the provider's job; under mocks we imitate it (its random suffix is unknown until deploy). */
const autoName = (name: string, inputs: State) => (typeof inputs.name === "string" ? inputs.name : afterApply(`${name}-${hex(name, 7)}`));

const arn = (service: string, resource: string, regional = true) => afterApply(`arn:aws:${service}:${regional ? region : ""}:${account}:${resource}`);
/** An id as AWS forms them, e.g. sg-0123…; known only after deploy. */
const awsId = (prefix: string, seed: string) => afterApply(`${prefix}-${hex(seed, 17)}`);

registerComputedOutputs("aws:ec2/vpc:Vpc", (name) => ({ arn: arn("ec2", `vpc/vpc-${hex(name, 17)}`), defaultSecurityGroupId: awsId("sg", `${name}-default`) }));
registerComputedOutputs("aws:ec2/subnet:Subnet", (name) => ({ arn: arn("ec2", `subnet/subnet-${hex(name, 17)}`) }));
registerComputedOutputs("aws:ec2/eip:Eip", (name) => ({ allocationId: awsId("eipalloc", name), publicIp: afterApply(`198.51.100.${parseInt(hex(name, 2), 16) % 250}`) }));
registerComputedOutputs("aws:ec2/launchTemplate:LaunchTemplate", (name, inputs) => ({ name: autoName(name, inputs), latestVersion: 1, arn: arn("ec2", `launch-template/lt-${hex(name, 17)}`) }));

registerComputedOutputs("aws:iam/role:Role", (name, inputs) => {
  const roleName = autoName(name, inputs);
  return { name: roleName, arn: arn("iam", `role/${roleName}`, false), uniqueId: afterApply(`AROA${hex(name, 17).toUpperCase()}`) };
});
registerComputedOutputs("aws:iam/openIdConnectProvider:OpenIdConnectProvider", (_name, inputs) => ({
  arn: arn("iam", `oidc-provider/${String(inputs.url ?? "").replace(/^https:\/\//, "")}`, false),
}));
registerComputedOutputs("aws:kms/key:Key", (name) => {
  const keyId = afterApply(`${hex(name, 8)}-${hex(name + 1, 4)}-${hex(name + 2, 4)}-${hex(name + 3, 4)}-${hex(name + 4, 12)}`);
  return { keyId, arn: arn("kms", `key/${keyId}`) };
});
registerComputedOutputs("aws:cloudwatch/logGroup:LogGroup", (name, inputs) => ({ arn: arn("logs", `log-group:${autoName(name, inputs)}`) }));

registerComputedOutputs("aws:eks/cluster:Cluster", (name, inputs) => {
  const clusterName = autoName(name, inputs);
  // The endpoint and the OIDC issuer share one id that EKS picks; the program strips the scheme of
  // both, so each form is recorded, the bare id last for anything else built from it.
  const id = hex(`${clusterName}-${region}`, 32).toUpperCase();
  const host = afterApply(`${id}.gr7.${region}.eks.amazonaws.com`);
  const issuerHost = afterApply(`oidc.eks.${region}.amazonaws.com/id/${id}`);
  for (const known of [id, id.toLowerCase(), host.toLowerCase()]) afterApply(known);
  const vpcConfig = (inputs.vpcConfig ?? {}) as State;
  return {
    name: clusterName,
    arn: arn("eks", `cluster/${clusterName}`),
    endpoint: afterApply(`https://${host}`),
    certificateAuthority: { data: afterApply(Buffer.from(`-----BEGIN CERTIFICATE-----\nMOCK-CA-${id}\n-----END CERTIFICATE-----\n`).toString("base64")) },
    identities: [{ oidcs: [{ issuer: afterApply(`https://${issuerHost}`) }] }],
    vpcConfig: { ...vpcConfig, clusterSecurityGroupId: awsId("sg", `${clusterName}-cluster`), vpcId: awsId("vpc", clusterName) },
    platformVersion: "eks.1",
    status: "ACTIVE",
  };
});
registerComputedOutputs("aws:eks/nodeGroup:NodeGroup", (name, inputs) => ({ arn: arn("eks", `nodegroup/${String(inputs.clusterName)}/${autoName(name, inputs)}`), status: "ACTIVE" }));
registerComputedOutputs("aws:eks/addon:Addon", (name, inputs) => ({ arn: arn("eks", `addon/${String(inputs.clusterName)}/${String(inputs.addonName ?? name)}`) }));
