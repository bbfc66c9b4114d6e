/**
 * EksCluster: an EKS cluster built directly on @pulumi/aws, so every child is visible to plans
 * and tests. Its arguments mirror @pulumi/eks's user-facing settings; `buildEks` derives them from
 * the resolved spec (core/render/eks/args.ts) and plugs the cluster into the platform contract.
 */
import * as aws from "@pulumi/aws";
import type * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { managedAddons } from "../../core/render/eks/addons";
import { eksClusterArgs, type EksClusterArgs } from "../../core/render/eks/args";
import { partitionOf } from "../../core/render/eks/partition";
import type { PlatformBuilder } from "../platform";
import { createAccessEntries } from "./access";
import { createAddon } from "./addons";
import { createPrivateApiAccess } from "./api-access";
import { createControlPlane } from "./cluster";
import type { EksBuildContext } from "./context";
import { createRoles } from "./iam";
import { createIrsa } from "./irsa";
import { createSecretsKey } from "./kms";
import { kubeconfigOf, kubernetesProvider } from "./kubeconfig";
import { createNetwork } from "./network";
import { createNodeGroups } from "./nodegroups";

export type { EksClusterArgs, EksNodeGroupArgs, EksNetworkArgs } from "../../core/render/eks/args";

export class EksCluster extends pulumi.ComponentResource {
  static readonly type = "clusterkit:eks:EksCluster";
  readonly clusterName: pulumi.Output<string>;
  readonly clusterArn: pulumi.Output<string>;
  /** API server URL. */
  readonly endpoint: pulumi.Output<string>;
  /** Admin kubeconfig using `aws eks get-token`; a secret. */
  readonly kubeconfig: pulumi.Output<string>;
  readonly oidcProviderArn: pulumi.Output<string>;
  readonly oidcIssuerUrl: pulumi.Output<string>;
  readonly vpcId: pulumi.Output<string>;
  readonly privateSubnetIds: pulumi.Output<string[]>;
  readonly publicSubnetIds: pulumi.Output<string[]>;
  /** The security group EKS created for the control plane and nodes; allow your admin network here. */
  readonly clusterSecurityGroupId: pulumi.Output<string>;
  readonly nodeRoleArn: pulumi.Output<string>;
  readonly secretsKeyArn: pulumi.Output<string>;
  readonly provider: k8s.Provider;
  /** What in-cluster installs must wait for: control plane, API access, nodes and the networking add-ons. */
  readonly ready: pulumi.Resource[];
  /** ENI mode: the cilium-operator's IRSA role, for its service-account annotation. */
  readonly ciliumOperatorRoleArn: pulumi.Output<string> | undefined;
  /** Cilium ENI mode only: creates the node groups, after the given CNI resources (once; the Addons component calls it). */
  readonly nodesAfterCni: ((cni: pulumi.Resource[]) => pulumi.Resource[]) | undefined;

  constructor(name: string, args: EksClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    super(EksCluster.type, name, {}, opts);
    const awsProvider = new aws.Provider(`${name}-aws`, { region: args.region }, { parent: this });
    const ctx: EksBuildContext = { name, tags: args.tags, opts: (extra = {}) => ({ ...extra, parent: this, provider: awsProvider }) };
    const partition = partitionOf(args.region);

    const network = createNetwork(ctx, args.network);
    const roles = createRoles(ctx, partition);
    const key = createSecretsKey(ctx, args.encryptionConfigKeyArn, roles.cluster.role);
    const cluster = createControlPlane(ctx, args, {
      roleArn: roles.cluster.role.arn,
      subnetIds: network.privateSubnetIds,
      keyArn: key.keyArn,
      dependsOn: [...roles.cluster.attachments, key.grant],
    });
    const irsa = createIrsa(ctx, cluster, partition, { vpcCni: args.addons.vpcCni, ciliumEni: args.ciliumEni });
    createAccessEntries(ctx, cluster, args.accessEntries);
    const apiAccess = createPrivateApiAccess(ctx, cluster, args.privateAccessCidrs);

    const plans = managedAddons(args);
    const beforeNodes = plans.filter((p) => p.phase === "before-nodes").map((p) => createAddon(ctx, cluster, p, irsa, []));
    const createNodes = (cni: pulumi.Resource[]): pulumi.Resource[] => {
      const nodeGroups = createNodeGroups(ctx, args, {
        cluster,
        nodeRoleArn: roles.node.role.arn,
        subnetIds: network.privateSubnetIds,
        dependsOn: [...roles.node.attachments, ...network.egress, ...beforeNodes, ...cni],
      });
      plans.filter((p) => p.phase === "after-nodes").forEach((p) => createAddon(ctx, cluster, p, irsa, nodeGroups));
      return nodeGroups;
    };
    const operator = irsa.roles["cilium-operator"];
    // With the VPC CNI, nodes become Ready on their own and everything in-cluster waits for them.
    // With Cilium in ENI mode nothing networks a node until Cilium runs on it, so the CNI is
    // installed first (into a cluster with no nodes yet) and the caller creates the nodes after it.
    const nodeGroups = args.ciliumEni ? [] : createNodes([]);
    let created = false;
    this.nodesAfterCni = args.ciliumEni
      ? (cni) => {
          if (created) throw new Error(`EksCluster ${name}: node groups were already created`);
          created = true;
          return createNodes(cni);
        }
      : undefined;
    this.ciliumOperatorRoleArn = operator?.role.arn;

    this.clusterName = cluster.name;
    this.clusterArn = cluster.arn;
    this.endpoint = cluster.endpoint;
    this.kubeconfig = kubeconfigOf(cluster, args.region);
    this.oidcProviderArn = irsa.provider.arn;
    this.oidcIssuerUrl = irsa.issuerUrl;
    this.vpcId = network.vpcId;
    this.privateSubnetIds = pulumi.all(network.privateSubnetIds);
    this.publicSubnetIds = pulumi.all(network.publicSubnetIds);
    this.clusterSecurityGroupId = cluster.vpcConfig.apply((v) => v.clusterSecurityGroupId ?? "");
    this.nodeRoleArn = roles.node.role.arn;
    this.secretsKeyArn = key.keyArn;
    this.provider = kubernetesProvider(name, this.kubeconfig, this);
    this.ready = [cluster, ...apiAccess, ...nodeGroups, ...beforeNodes, ...(operator?.attachments ?? [])];
    this.registerOutputs({
      clusterName: this.clusterName,
      clusterArn: this.clusterArn,
      endpoint: this.endpoint,
      kubeconfig: this.kubeconfig,
      oidcProviderArn: this.oidcProviderArn,
      oidcIssuerUrl: this.oidcIssuerUrl,
      vpcId: this.vpcId,
      privateSubnetIds: this.privateSubnetIds,
      publicSubnetIds: this.publicSubnetIds,
      clusterSecurityGroupId: this.clusterSecurityGroupId,
      nodeRoleArn: this.nodeRoleArn,
      secretsKeyArn: this.secretsKeyArn,
    });
  }
}

/** The EKS platform: the spec becomes EksCluster arguments, the cluster becomes a PlatformResult. */
export const buildEks: PlatformBuilder = (spec, _secrets, parent) => {
  const eks = new EksCluster(spec.name, eksClusterArgs(spec), { parent });
  return {
    kubeconfig: eks.kubeconfig,
    provider: eks.provider,
    apiServerUrl: eks.endpoint,
    ready: eks.ready,
    component: eks,
    nodesAfterCni: eks.nodesAfterCni,
    addonInputs: {
      eksOidcProviderArn: eks.oidcProviderArn,
      eksOidcProviderUrl: eks.oidcIssuerUrl,
      eksClusterName: eks.clusterName,
      ...(eks.ciliumOperatorRoleArn ? { eksCiliumOperatorRoleArn: eks.ciliumOperatorRoleArn } : {}),
    },
  };
};
