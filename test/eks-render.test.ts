/** The pure EKS layer: spec → component arguments, IAM and IRSA documents, node settings, pins, kubeconfig. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parse } from "yaml";
import { managedAddons } from "../core/render/eks/addons";
import { eksAddonVersions } from "../core/render/eks/addon-versions";
import { ciliumAgentNotReadyTaint, eksClusterArgs, logRetentionDays } from "../core/render/eks/args";
import { clusterKmsPolicy, nodeRolePolicies } from "../core/render/eks/iam";
import { architectureOf } from "../core/render/eks/instance-types";
import { irsaRoles, irsaTrustPolicy } from "../core/render/eks/irsa";
import { renderKubeconfig } from "../core/render/eks/kubeconfig";
import { natPlan, subnetPlan, subnetTags } from "../core/render/eks/network";
import { amiType, blockDevices, eksTaints, metadataOptions } from "../core/render/eks/nodegroup";
import { managedPolicyArn, partitionOf } from "../core/render/eks/partition";
import { eksKubernetes } from "../core/versions";
import { blueprintRaw, resolveRaw, stackConfigRaw, type Raw } from "./support/fixtures";

function argsWith(mutate: (bp: Raw, cfg: Raw) => void = () => {}) {
  const bp = blueprintRaw("eks-standard");
  const cfg = stackConfigRaw("prod-us-east-1");
  mutate(bp, cfg);
  return eksClusterArgs(resolveRaw("eks-standard", bp, "prod-us-east-1", cfg).spec);
}

describe("eksClusterArgs", () => {
  it("maps the example stack to private, encrypted, fully logged settings", () => {
    const a = argsWith();
    assert.equal(a.clusterName, "prod-us-east-1");
    assert.equal(a.version, "1.34");
    assert.equal(a.endpointPrivateAccess, true);
    assert.equal(a.endpointPublicAccess, false);
    assert.deepEqual(a.publicAccessCidrs, []);
    assert.equal(a.encryptionConfigKeyArn, null);
    assert.equal(a.authenticationMode, "API_AND_CONFIG_MAP");
    assert.equal(a.imdsHopLimit, 1);
    assert.equal(a.serviceIpv4Cidr, "10.128.0.0/20");
    assert.deepEqual(a.addons, { vpcCni: true, kubeProxy: true });
    assert.equal(a.network.kind, "new");
    assert.deepEqual(a.nodeGroups.map((g) => [g.name, g.minSize, g.desiredSize, g.maxSize]), [["system", 2, 2, 4], ["general", 2, 3, 10]]);
  });

  it("opens the public endpoint only with its allow-list", () => {
    const a = argsWith((bp) => Object.assign(bp.controlPlane.endpoint, { publicAccess: true, publicAccessCidrs: ["203.0.113.0/24"] }));
    assert.equal(a.endpointPublicAccess, true);
    assert.deepEqual(a.publicAccessCidrs, ["203.0.113.0/24"]);
  });

  it("drops the VPC CNI and taints nodes until Cilium runs in ENI mode", () => {
    const a = argsWith((bp) => { bp.cni.eksMode = "eni"; });
    assert.deepEqual(a.addons, { vpcCni: false, kubeProxy: true });
    for (const g of a.nodeGroups) assert.deepEqual(g.taints.at(-1), ciliumAgentNotReadyTaint);
    assert.deepEqual(managedAddons(a).map((p) => p.name), ["kube-proxy", "coredns", "aws-ebs-csi-driver"]);
    assert.deepEqual(irsaRoles("aws", a.addons).map((r) => r.key), ["ebs-csi"]);
  });

  it("drops kube-proxy when Cilium replaces it (ENI mode; chaining refuses it)", () => {
    const a = argsWith((bp) => { Object.assign(bp.cni, { eksMode: "eni", kubeProxyReplacement: true }); });
    assert.deepEqual(managedAddons(a).map((p) => p.name), ["coredns", "aws-ebs-csi-driver"]);
    assert.equal(a.ciliumEni, true);
    assert.deepEqual(irsaRoles("aws", { ...a.addons, ciliumEni: a.ciliumEni }).map((r) => r.key), ["ebs-csi", "cilium-operator"]);
  });

  it("maps access entries to EKS access policies in the cluster's partition, scoped as written", () => {
    const a = argsWith((bp) => {
      bp.platform.access = [
        { principalArn: "arn:aws:iam::111122223333:role/clusterkit-drift", policy: "admin-view" },
        { principalArn: "arn:aws:iam::111122223333:user/alice", policy: "edit", scope: { kind: "namespaces", namespaces: ["team-a", "team-b"] } },
        { principalArn: "arn:aws:iam::111122223333:role/platform-admins", policy: "cluster-admin" },
      ];
    });
    assert.deepEqual(a.accessEntries, [
      { principalArn: "arn:aws:iam::111122223333:role/clusterkit-drift", policyArn: "arn:aws:eks::aws:cluster-access-policy/AmazonEKSAdminViewPolicy", scope: { type: "cluster" } },
      { principalArn: "arn:aws:iam::111122223333:user/alice", policyArn: "arn:aws:eks::aws:cluster-access-policy/AmazonEKSEditPolicy", scope: { type: "namespace", namespaces: ["team-a", "team-b"] } },
      { principalArn: "arn:aws:iam::111122223333:role/platform-admins", policyArn: "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy", scope: { type: "cluster" } },
    ]);
    assert.deepEqual(argsWith().accessEntries, [], "no entries beyond the creator's by default");
  });

  it("opens the public endpoint to apiAccessCidrs only and passes apiPrivateAccessCidrs on", () => {
    const a = argsWith((_bp, cfg) => { Object.assign(cfg["clusterkit:variables"], { apiAccessCidrs: ["203.0.113.10/32"], apiPrivateAccessCidrs: ["10.200.0.0/16"] }); });
    assert.deepEqual([a.endpointPrivateAccess, a.endpointPublicAccess, a.publicAccessCidrs, a.privateAccessCidrs], [true, true, ["203.0.113.10/32"], ["10.200.0.0/16"]]);
  });

  it("passes an existing VPC and a given key through", () => {
    const a = argsWith((bp, cfg) => {
      bp.platform.kmsKeyArn = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
      Object.assign(cfg["clusterkit:variables"], { vpcId: "vpc-0abc12345def67890", privateSubnetIds: ["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002", "subnet-0a1b2c3d4e5f60003"] });
    });
    assert.deepEqual(a.network, { kind: "existing", vpcId: "vpc-0abc12345def67890", privateSubnetIds: ["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002", "subnet-0a1b2c3d4e5f60003"], publicSubnetIds: [] });
    assert.match(a.encryptionConfigKeyArn ?? "", /^arn:aws:kms:us-east-1:/);
  });
});

describe("add-on pins", () => {
  it("pin every add-on for every EKS version clusterkit accepts", () => {
    for (const minor of eksKubernetes) {
      const pins = eksAddonVersions[minor];
      assert.ok(pins, `pins for ${minor}`);
      for (const [name, version] of Object.entries(pins)) assert.match(version, /^v\d+\.\d+\.\d+-eksbuild\.\d+$/, `${minor} ${name}`);
      assert.ok(pins["kube-proxy"].startsWith(`v${minor}.`), `kube-proxy follows the control plane minor ${minor}`);
    }
  });
  it("put the networking add-ons before the nodes", () => {
    const plan = managedAddons({ version: "1.34", addons: { vpcCni: true, kubeProxy: true } });
    assert.deepEqual(plan.map((p) => [p.name, p.phase, p.irsa]), [
      ["vpc-cni", "before-nodes", "vpc-cni"],
      ["kube-proxy", "before-nodes", null],
      ["coredns", "after-nodes", null],
      ["aws-ebs-csi-driver", "after-nodes", "ebs-csi"],
    ]);
  });
});

describe("IAM and IRSA documents", () => {
  it("IRSA trust names the exact service account and the STS audience", () => {
    const doc = irsaTrustPolicy("arn:aws:iam::1:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABC", "https://oidc.eks.eu-west-1.amazonaws.com/id/ABC", { namespace: "kube-system", name: "ebs-csi-controller-sa" });
    assert.deepEqual(doc.Statement, [
      {
        Effect: "Allow",
        Principal: { Federated: "arn:aws:iam::1:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABC" },
        Action: "sts:AssumeRoleWithWebIdentity",
        Condition: { StringEquals: { "oidc.eks.eu-west-1.amazonaws.com/id/ABC:sub": "system:serviceaccount:kube-system:ebs-csi-controller-sa", "oidc.eks.eu-west-1.amazonaws.com/id/ABC:aud": "sts.amazonaws.com" } },
      },
    ]);
  });
  it("keeps the node role to kubelet and ECR pull permissions", () => {
    assert.deepEqual(nodeRolePolicies("aws"), ["arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy", "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryPullOnly"]);
  });
  it("scopes the cluster role's KMS permissions to one key", () => {
    const st = clusterKmsPolicy("arn:aws:kms:us-east-1:1:key/k").Statement;
    assert.equal(st.length, 1);
    assert.equal(st[0].Resource, "arn:aws:kms:us-east-1:1:key/k");
    assert.ok(!(st[0].Action as string[]).some((a) => a === "kms:*" || a.startsWith("kms:Delete") || a.startsWith("kms:Put")));
  });
  it("derives the partition from the region", () => {
    assert.equal(partitionOf("eu-west-1"), "aws");
    assert.equal(partitionOf("us-gov-west-1"), "aws-us-gov");
    assert.equal(partitionOf("us-isob-east-1"), "aws-iso-b");
    assert.equal(managedPolicyArn(partitionOf("us-gov-east-1"), "AmazonEKSClusterPolicy"), "arn:aws-us-gov:iam::aws:policy/AmazonEKSClusterPolicy");
  });
});

describe("node settings", () => {
  it("picks the AMI type for the family and architecture", () => {
    assert.equal(amiType({ amiFamily: "al2023", instanceTypes: ["m6i.large", "m6a.large"] }), "AL2023_x86_64_STANDARD");
    assert.equal(amiType({ amiFamily: "al2023", instanceTypes: ["m7g.large", "c6gn.xlarge"] }), "AL2023_ARM_64_STANDARD");
    assert.equal(amiType({ amiFamily: "bottlerocket", instanceTypes: ["r8gd.large"] }), "BOTTLEROCKET_ARM_64");
    assert.equal(amiType({ amiFamily: "bottlerocket", instanceTypes: ["c7i.large"] }), "BOTTLEROCKET_x86_64");
    assert.throws(() => amiType({ amiFamily: "al2023", instanceTypes: ["m7g.large", "m7i.large"] }), /mixes architectures/);
  });
  it("tells Graviton from x86_64 by family", () => {
    for (const t of ["a1.large", "t4g.small", "m6gd.large", "im4gn.large", "is4gen.large", "g5g.xlarge", "x2gd.large"]) assert.equal(architectureOf(t), "arm64", t);
    for (const t of ["m6i.large", "g5.xlarge", "m7i-flex.large", "p5en.48xlarge", "gr6.4xlarge", "c5n.large"]) assert.equal(architectureOf(t), "x86_64", t);
  });
  it("requires IMDSv2 with the given hop limit", () => {
    assert.deepEqual(metadataOptions(2), { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 2, instanceMetadataTags: "disabled" });
  });
  it("puts the disk where each OS keeps images, always encrypted gp3", () => {
    assert.deepEqual(blockDevices({ amiFamily: "al2023", diskGiB: 80 }).map((b) => [b.deviceName, b.ebs.volumeSize]), [["/dev/xvda", 80]]);
    const br = blockDevices({ amiFamily: "bottlerocket", diskGiB: 80 });
    assert.deepEqual(br.map((b) => [b.deviceName, b.ebs.volumeSize]), [["/dev/xvda", undefined], ["/dev/xvdb", 80]]);
    for (const b of br) assert.deepEqual([b.ebs.encrypted, b.ebs.volumeType], ["true", "gp3"]);
  });
  it("spells taint effects the way the EKS API does", () => {
    assert.deepEqual(eksTaints([{ key: "a", effect: "NoSchedule" }, { key: "b", value: "x", effect: "NoExecute" }, { key: "c", effect: "PreferNoSchedule" }]), [
      { key: "a", effect: "NO_SCHEDULE" },
      { key: "b", value: "x", effect: "NO_EXECUTE" },
      { key: "c", effect: "PREFER_NO_SCHEDULE" },
    ]);
  });
});

describe("network layout", () => {
  it("tags subnets for internet-facing and internal load balancers", () => {
    assert.deepEqual(subnetTags("c1", "public"), { "kubernetes.io/cluster/c1": "shared", "kubernetes.io/role/elb": "1" });
    assert.deepEqual(subnetTags("c1", "private"), { "kubernetes.io/cluster/c1": "shared", "kubernetes.io/role/internal-elb": "1" });
    const plan = subnetPlan("c1", [{ az: "eu-west-1a", cidr: "10.0.128.0/21" }], [{ az: "eu-west-1a", cidr: "10.0.0.0/19" }]);
    assert.deepEqual(plan.map((s) => [s.name, s.tier]), [["c1-public-eu-west-1a", "public"], ["c1-private-eu-west-1a", "private"]]);
  });
  it("routes each AZ through its own NAT, or all through one", () => {
    const azs = ["us-east-1a", "us-east-1b", "us-east-1c"];
    assert.deepEqual(natPlan(azs, "one-per-az"), { natAzs: azs, routeVia: { "us-east-1a": "us-east-1a", "us-east-1b": "us-east-1b", "us-east-1c": "us-east-1c" } });
    assert.deepEqual(natPlan(azs, "single"), { natAzs: ["us-east-1a"], routeVia: { "us-east-1a": "us-east-1a", "us-east-1b": "us-east-1a", "us-east-1c": "us-east-1a" } });
  });
  it("rounds log retention up to a value CloudWatch accepts", () => {
    assert.equal(logRetentionDays(30), 30);
    assert.equal(logRetentionDays(31), 60);
    assert.equal(logRetentionDays(365), 365);
  });
});

describe("kubeconfig", () => {
  it("authenticates through aws eks get-token and carries no credential", () => {
    const text = renderKubeconfig({ clusterName: "c1", region: "eu-west-1", endpoint: "https://X.gr7.eu-west-1.eks.amazonaws.com", certificateAuthorityData: "Q0E=" });
    const k = parse(text);
    assert.equal(k["current-context"], "c1");
    assert.equal(k.clusters[0].cluster.server, "https://X.gr7.eu-west-1.eks.amazonaws.com");
    assert.equal(k.clusters[0].cluster["certificate-authority-data"], "Q0E=");
    assert.deepEqual(k.users[0].user.exec, {
      apiVersion: "client.authentication.k8s.io/v1beta1",
      command: "aws",
      args: ["--region", "eu-west-1", "eks", "get-token", "--cluster-name", "c1", "--output", "json"],
      interactiveMode: "Never",
    });
    assert.doesNotMatch(text, /token:|password:|client-key-data/);
  });
});
