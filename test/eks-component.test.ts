/**
 * The EksCluster component on its own under the SDK's mocks, for the variants the example stacks
 * do not cover: a single NAT, an existing VPC, Cilium ENI mode, a public endpoint, a given KMS key,
 * Graviton Bottlerocket nodes with hop limit 2. Inputs are recorded as the mock engine receives them.
 */
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { planMocks } from "../cli/plan/mocks";
import { eksClusterArgs, type EksClusterArgs } from "../core/render/eks/args";
import { blueprintRaw, resolveRaw, stackConfigRaw, type Raw } from "./support/fixtures";

type Inputs = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
interface Registered {
  type: string;
  name: string;
  inputs: Inputs;
}

const registered: Registered[] = [];
/** Node groups each ENI-mode variant had registered before its nodes were asked for. */
const beforeCni: Record<string, number> = {};
/** Types of what each variant's in-cluster installs wait for (EksCluster.ready). */
const readyTypes: Record<string, string[]> = {};
const typeOf = new Map<pulumi.Resource, string>();

function argsFor(name: string, mutate: (bp: Raw, cfg: Raw) => void): EksClusterArgs {
  const bp = blueprintRaw("eks-standard");
  const cfg = stackConfigRaw("prod-us-east-1");
  cfg["clusterkit:clusterName"] = name;
  mutate(bp, cfg);
  return eksClusterArgs(resolveRaw("eks-standard", bp, "prod-us-east-1", cfg).spec);
}

const variants: Record<string, (bp: Raw, cfg: Raw) => void> = {
  "single-nat": (bp) => { bp.platform.natGateways = "single"; },
  "existing-vpc": (_bp, cfg) => {
    Object.assign(cfg["clusterkit:variables"], {
      vpcId: "vpc-0abc12345def67890",
      privateSubnetIds: ["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002", "subnet-0a1b2c3d4e5f60003"],
      publicSubnetIds: ["subnet-0a1b2c3d4e5f60004", "subnet-0a1b2c3d4e5f60005", "subnet-0a1b2c3d4e5f60006"],
    });
  },
  "cilium-eni": (bp) => { Object.assign(bp.cni, { eksMode: "eni", kubeProxyReplacement: true }); },
  "public-endpoint": (bp) => { Object.assign(bp.controlPlane.endpoint, { publicAccess: true, publicAccessCidrs: ["203.0.113.0/24"] }); },
  "api-access": (bp, cfg) => {
    bp.platform.access = [
      { principalArn: "arn:aws:iam::111122223333:role/clusterkit-drift", policy: "admin-view" },
      { principalArn: "arn:aws:iam::111122223333:user/alice", policy: "edit", scope: { kind: "namespaces", namespaces: ["team-a"] } },
    ];
    Object.assign(cfg["clusterkit:variables"], { apiAccessCidrs: ["203.0.113.10/32"], apiPrivateAccessCidrs: ["10.200.0.0/16", "10.201.0.0/24"] });
  },
  "given-key": (bp) => { bp.platform.kmsKeyArn = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"; },
  "graviton-bottlerocket": (bp) => {
    bp.platform.imdsHopLimit = 2;
    Object.assign(bp.nodePools.general.size, { instanceTypes: ["m7g.xlarge", "c7g.xlarge"], amiType: "bottlerocket", diskGiB: 120 });
  },
};

const of = (variant: string, type: string) => registered.filter((r) => r.type === type && r.name.startsWith(`${variant}`));
const named = (type: string, name: string) => {
  const r = registered.find((x) => x.type === type && x.name === name);
  assert.ok(r, `${type} ${name} was registered`);
  return r.inputs;
};

describe("EksCluster variants under mocks", () => {
  before(async () => {
    await pulumi.runtime.setMocks(
      {
        newResource: async (args) => {
          registered.push({ type: args.type, name: args.name, inputs: args.inputs });
          const result = await planMocks.newResource(args);
          // The engine passes an empty ID for new resources; a known one lets us follow references by ID.
          return { ...result, id: result.id || `${args.name}-id` };
        },
        call: (args) => planMocks.call(args),
      },
      "clusterkit",
      "eks-component-test",
      false,
    );
    // Loaded after the mocks are set, as the SDK requires; the stack run waits for every registration.
    // require(), not import(): the program is CommonJS and must share this file's SDK instance.
    const { EksCluster } = require("../components/eks") as typeof import("../components/eks");
    const created: pulumi.Resource[] = [];
    await pulumi.runtime.runInPulumiStack(async () => {
      pulumi.runtime.registerStackTransformation((a) => {
        created.push(a.resource);
        typeOf.set(a.resource, a.type);
        return undefined;
      });
      for (const [name, mutate] of Object.entries(variants)) {
        const eks = new EksCluster(name, argsFor(name, mutate));
        readyTypes[name] = eks.ready.map((r) => typeOf.get(r) ?? "");
        // ENI mode leaves the nodes to whoever installs the CNI (the Addons component, in the program).
        if (eks.nodesAfterCni) {
          beforeCni[name] = registered.filter((r) => r.name.startsWith(name) && r.type === "aws:eks/nodeGroup:NodeGroup").length;
          eks.nodesAfterCni([]);
        }
      }
      return {};
    });
    // The stack run returns before the mock engine has seen every child; their URNs resolve once it has.
    await Promise.all(created.map((r) => new Promise((resolve) => r.urn.apply(resolve))));
  });

  it("single NAT: one gateway, every private route table through it", () => {
    assert.equal(of("single-nat", "aws:ec2/natGateway:NatGateway").length, 1);
    assert.equal(of("single-nat", "aws:ec2/eip:Eip").length, 1);
    const routes = of("single-nat", "aws:ec2/route:Route").filter((r) => r.name.includes("-private-"));
    assert.equal(routes.length, 3);
    for (const r of routes) assert.equal(r.inputs.natGatewayId, "single-nat-nat-us-east-1a-id", `${r.name} goes through the one NAT`);
  });

  it("one NAT per AZ: each private route table through its own AZ's gateway", () => {
    const routes = of("public-endpoint", "aws:ec2/route:Route").filter((r) => r.name.includes("-private-"));
    assert.equal(new Set(routes.map((r) => r.inputs.natGatewayId)).size, 3);
    for (const az of ["us-east-1a", "us-east-1b", "us-east-1c"]) {
      assert.equal(named("aws:ec2/route:Route", `public-endpoint-private-${az}-default`).natGatewayId, `public-endpoint-nat-${az}-id`);
    }
  });

  it("existing VPC: creates no network, puts the cluster and nodes in the given private subnets", () => {
    for (const t of ["aws:ec2/vpc:Vpc", "aws:ec2/subnet:Subnet", "aws:ec2/natGateway:NatGateway", "aws:ec2/internetGateway:InternetGateway"]) assert.equal(of("existing-vpc", t).length, 0, t);
    const priv = ["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002", "subnet-0a1b2c3d4e5f60003"];
    assert.deepEqual(named("aws:eks/cluster:Cluster", "existing-vpc").vpcConfig.subnetIds, priv);
    for (const ng of of("existing-vpc", "aws:eks/nodeGroup:NodeGroup")) assert.deepEqual(ng.inputs.subnetIds, priv);
  });

  it("Cilium ENI mode with kube-proxy replacement: no VPC CNI, no kube-proxy, nodes tainted until Cilium runs", () => {
    const addons = of("cilium-eni", "aws:eks/addon:Addon").map((a) => a.inputs.addonName).sort();
    assert.deepEqual(addons, ["aws-ebs-csi-driver", "coredns"]);
    assert.equal(of("cilium-eni", "aws:iam/role:Role").filter((r) => r.name.endsWith("-vpc-cni")).length, 0, "no IRSA role for a CNI that does not run");
    for (const ng of of("cilium-eni", "aws:eks/nodeGroup:NodeGroup")) {
      assert.ok(ng.inputs.taints.some((t: Inputs) => t.key === "node.cilium.io/agent-not-ready" && t.effect === "NO_EXECUTE"), ng.name);
    }
    assert.equal(named("aws:eks/cluster:Cluster", "cilium-eni").bootstrapSelfManagedAddons, false, "EKS installs no aws-node or kube-proxy of its own");
    assert.equal(of("cilium-eni", "aws:eks/nodeGroup:NodeGroup").length, 2, "node groups once the CNI is there");
    assert.deepEqual(Object.keys(beforeCni), ["cilium-eni"], "only ENI mode defers its nodes");
  });

  it("access entries: one entry and one policy association per principal, named after it", () => {
    const entries = of("api-access", "aws:eks/accessEntry:AccessEntry").map((r) => r.inputs);
    assert.deepEqual(entries.map((e) => [e.principalArn, e.type]), [["arn:aws:iam::111122223333:role/clusterkit-drift", "STANDARD"], ["arn:aws:iam::111122223333:user/alice", "STANDARD"]]);
    for (const e of entries) assert.equal(e.clusterName, "api-access");
    const assoc = of("api-access", "aws:eks/accessPolicyAssociation:AccessPolicyAssociation");
    assert.deepEqual(assoc.map((a) => [a.inputs.principalArn, a.inputs.policyArn.split("/").pop(), a.inputs.accessScope]), [
      ["arn:aws:iam::111122223333:role/clusterkit-drift", "AmazonEKSAdminViewPolicy", { type: "cluster" }],
      ["arn:aws:iam::111122223333:user/alice", "AmazonEKSEditPolicy", { type: "namespace", namespaces: ["team-a"] }],
    ]);
    assert.ok(assoc.every((a) => /^api-access-access-(role-clusterkit-drift|user-alice)-[0-9a-f]{6}$/.test(a.name)), assoc.map((a) => a.name).join(", "));
    assert.equal(of("single-nat", "aws:eks/accessEntry:AccessEntry").length, 0, "none by default: the creator is admin through EKS");
    assert.equal(named("aws:eks/cluster:Cluster", "single-nat").accessConfig.bootstrapClusterCreatorAdminPermissions, true);
  });

  it("API access variables: public endpoint for apiAccessCidrs, port 443 on the cluster security group for apiPrivateAccessCidrs", () => {
    const vpc = named("aws:eks/cluster:Cluster", "api-access").vpcConfig;
    assert.deepEqual([vpc.endpointPrivateAccess, vpc.endpointPublicAccess, vpc.publicAccessCidrs], [true, true, ["203.0.113.10/32"]]);
    const rules = of("api-access", "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule").map((r) => r.inputs);
    assert.deepEqual(rules.map((r) => [r.cidrIpv4, r.ipProtocol, r.fromPort, r.toPort]), [["10.200.0.0/16", "tcp", 443, 443], ["10.201.0.0/24", "tcp", 443, 443]]);
    for (const r of rules) assert.match(r.securityGroupId, /^sg-/);
    assert.equal(of("single-nat", "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule").length, 0);
    assert.equal(readyTypes["api-access"].filter((t) => t === "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule").length, 2, "in-cluster installs wait for the rules");
  });

  it("public endpoint: open only to its allow-list, private access kept", () => {
    const vpc = named("aws:eks/cluster:Cluster", "public-endpoint").vpcConfig;
    assert.deepEqual([vpc.endpointPrivateAccess, vpc.endpointPublicAccess, vpc.publicAccessCidrs], [true, true, ["203.0.113.0/24"]]);
  });

  it("given KMS key: none created, the cluster and the role's grant use the given one", () => {
    const arn = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    assert.equal(of("given-key", "aws:kms/key:Key").length, 0);
    assert.equal(named("aws:eks/cluster:Cluster", "given-key").encryptionConfig.provider.keyArn, arn);
    assert.equal(JSON.parse(named("aws:iam/rolePolicy:RolePolicy", "given-key-cluster-kms").policy).Statement[0].Resource, arn);
  });

  it("Graviton Bottlerocket pool: ARM AMI, data volume on xvdb, hop limit 2", () => {
    assert.equal(named("aws:eks/nodeGroup:NodeGroup", "graviton-bottlerocket-general").amiType, "BOTTLEROCKET_ARM_64");
    assert.equal(named("aws:eks/nodeGroup:NodeGroup", "graviton-bottlerocket-system").amiType, "AL2023_x86_64_STANDARD");
    const lt = named("aws:ec2/launchTemplate:LaunchTemplate", "graviton-bottlerocket-general");
    assert.deepEqual(lt.blockDeviceMappings.map((b: Inputs) => [b.deviceName, b.ebs.volumeSize, b.ebs.encrypted]), [["/dev/xvda", undefined, "true"], ["/dev/xvdb", 120, "true"]]);
    assert.equal(lt.metadataOptions.httpPutResponseHopLimit, 2);
    assert.equal(lt.metadataOptions.httpTokens, "required");
  });

  it("every variant parents its AWS resources to the component through one explicit provider", () => {
    const providers = registered.filter((r) => r.type === "pulumi:providers:aws");
    assert.deepEqual(providers.map((p) => p.name).sort(), Object.keys(variants).map((v) => `${v}-aws`).sort());
    for (const p of providers) assert.equal(p.inputs.region, "us-east-1");
  });
});
