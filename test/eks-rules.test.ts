/**
 * EKS validation rules, as a table of bad inputs on the eks-standard blueprint and the
 * prod-us-east-1 stack: each names the exact file and field path and a phrase of the message.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { eksSubnets } from "../core/resolve/rules/platform";
import { overlaps, contains } from "../core/resolve/cidr";
import { blueprintRaw, describeIssues, issuesOf, resolveRaw, stackConfigRaw, type Raw } from "./support/fixtures";

const BP = "blueprints/eks-standard.yaml";
const STACK = "stacks/Pulumi.prod-us-east-1.yaml";
const vars = (cfg: Raw) => cfg["clusterkit:variables"];
const existingVpc = (cfg: Raw, extra: Raw = {}) =>
  Object.assign(vars(cfg), { vpcId: "vpc-0abc12345def67890", privateSubnetIds: ["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002", "subnet-0a1b2c3d4e5f60003"], ...extra });

const cases: { name: string; mutate: (bp: Raw, cfg: Raw) => void; file: string; path: string; message: RegExp }[] = [
  { name: "AZ of another region", mutate: (_bp, cfg) => { vars(cfg).azs = ["us-east-1a", "eu-west-1b"]; }, file: STACK, path: "config.clusterkit:variables.azs[1]", message: /not an availability zone of region us-east-1/ },
  { name: "AZ listed twice", mutate: (_bp, cfg) => { vars(cfg).azs = ["us-east-1a", "us-east-1a"]; }, file: STACK, path: "config.clusterkit:variables.azs", message: /lists a zone twice/ },
  { name: "cluster name EKS refuses", mutate: (_bp, cfg) => { cfg["clusterkit:clusterName"] = "-bad.name"; }, file: STACK, path: "config.clusterkit:clusterName", message: /EKS cluster names/ },
  { name: "unsupported Kubernetes version", mutate: (bp) => { bp.kubernetesVersion = "1.40"; }, file: BP, path: "kubernetesVersion", message: /not a Kubernetes version EKS supports/ },
  { name: "patch version on EKS", mutate: (bp) => { bp.kubernetesVersion = "1.34.2"; }, file: BP, path: "kubernetesVersion", message: /minor version only/ },
  { name: "desired above max", mutate: (bp) => { bp.nodePools.system.desired = 5; }, file: BP, path: "nodePools.system.desired", message: /within min and max/ },
  { name: "min above max", mutate: (bp) => { bp.nodePools.system.min = 5; }, file: BP, path: "nodePools.system.min", message: /must not exceed max/ },
  { name: "max of zero", mutate: (bp) => { Object.assign(bp.nodePools.system, { min: 0, max: 0, desired: 0 }); }, file: BP, path: "nodePools.system.max", message: /max of at least 1/ },
  { name: "count of zero", mutate: (bp) => { bp.nodePools.system = { count: 0, size: bp.nodePools.system.size }; }, file: BP, path: "nodePools.system.count", message: /at least 1 node/ },
  // A size is a union (VM or instance shape), so a non-string instance type is reported at the size.
  { name: "instance type that is not a string", mutate: (bp) => { bp.nodePools.general.size.instanceTypes = ["m6i.xlarge", 42]; }, file: BP, path: "nodePools.general.size.instanceTypes[1]", message: /has the wrong type/ },
  { name: "malformed instance type", mutate: (bp) => { bp.nodePools.general.size.instanceTypes = ["large"]; }, file: BP, path: "nodePools.general.size.instanceTypes[0]", message: /EC2 instance type/ },
  { name: "Graviton and x86 in one pool", mutate: (bp) => { bp.nodePools.general.size.instanceTypes = ["m7g.xlarge", "m7i.xlarge"]; }, file: BP, path: "nodePools.general.size.instanceTypes", message: /mixes Graviton \(arm64\) and x86_64/ },
  { name: "disk smaller than the AMI", mutate: (bp) => { bp.nodePools.general.size.diskGiB = 8; }, file: BP, path: "nodePools.general.size.diskGiB", message: /outside what an EKS node can boot with/ },
  { name: "no VPC CIDR", mutate: (_bp, cfg) => { delete vars(cfg).vpcCidr; }, file: STACK, path: "config.clusterkit:variables.vpcCidr", message: /the VPC's CIDR is needed/ },
  { name: "VPC too small for its AZs", mutate: (_bp, cfg) => { vars(cfg).vpcCidr = "10.1.0.0/24"; }, file: STACK, path: "config.clusterkit:variables.vpcCidr", message: /too small for 3 availability zones.*\/29/ },
  { name: "subnet IDs without a VPC ID", mutate: (_bp, cfg) => { vars(cfg).privateSubnetIds = ["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002"]; }, file: STACK, path: "config.clusterkit:variables.privateSubnetIds", message: /only apply with an existing VPC/ },
  { name: "malformed VPC ID", mutate: (_bp, cfg) => existingVpc(cfg, { vpcId: "my-vpc" }), file: STACK, path: "config.clusterkit:variables.vpcId", message: /is not a VPC ID/ },
  { name: "malformed subnet ID", mutate: (_bp, cfg) => existingVpc(cfg, { privateSubnetIds: ["subnet-0a1b2c3d4e5f60001", "sub-2", "subnet-0a1b2c3d4e5f60003"] }), file: STACK, path: "config.clusterkit:variables.privateSubnetIds[1]", message: /not an AWS resource ID/ },
  { name: "fewer private subnets than AZs", mutate: (_bp, cfg) => existingVpc(cfg, { privateSubnetIds: ["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002"] }), file: STACK, path: "config.clusterkit:variables.privateSubnetIds", message: /one private subnet per availability zone/ },
  { name: "public subnets not one per AZ", mutate: (_bp, cfg) => existingVpc(cfg, { publicSubnetIds: ["subnet-0a1b2c3d4e5f60009"] }), file: STACK, path: "config.clusterkit:variables.publicSubnetIds", message: /one public subnet per availability zone, or none/ },
  { name: "public service range", mutate: (_bp, cfg) => { vars(cfg).serviceCidr = "100.64.0.0/20"; }, file: STACK, path: "config.clusterkit:variables.serviceCidr", message: /inside 10\.0\.0\.0\/8, 172\.16\.0\.0\/12 or 192\.168\.0\.0\/16/ },
  { name: "service range smaller than a /24", mutate: (_bp, cfg) => { vars(cfg).serviceCidr = "10.128.0.0/26"; }, file: STACK, path: "config.clusterkit:variables.serviceCidr", message: /at least a \/24/ },
  { name: "kube-proxy replacement chained on the VPC CNI", mutate: (bp) => { bp.cni.kubeProxyReplacement = true; }, file: BP, path: "cni.kubeProxyReplacement", message: /aws-node.*cannot reach the API server without kube-proxy/ },
  { name: "access entry that is not an IAM role or user", mutate: (bp) => { bp.platform.access = [{ principalArn: "arn:aws:sts::111122223333:assumed-role/ci/session", policy: "view" }]; }, file: BP, path: "platform.access[0].principalArn", message: /IAM role or user/ },
  { name: "access entry with an unknown policy", mutate: (bp) => { bp.platform.access = [{ principalArn: "arn:aws:iam::111122223333:role/ci", policy: "root" }]; }, file: BP, path: "platform.access[0].policy", message: /./ },
  { name: "access entry scoped to no namespace", mutate: (bp) => { bp.platform.access = [{ principalArn: "arn:aws:iam::111122223333:role/ci", policy: "edit", scope: { kind: "namespaces", namespaces: [] } }]; }, file: BP, path: "platform.access[0].scope.namespaces", message: /./ },
  { name: "access entry listed twice", mutate: (_bp, cfg) => { cfg["clusterkit:overrides"] = { platform: { access: [{ principalArn: "arn:aws:iam::111122223333:role/ci", policy: "view" }, { principalArn: "arn:aws:iam::111122223333:role/ci", policy: "cluster-admin" }] } }; }, file: STACK, path: "config.clusterkit:overrides.platform.access[1].principalArn", message: /one access entry per principal/ },
  { name: "access entry of another partition", mutate: (bp) => { bp.platform.access = [{ principalArn: "arn:aws-us-gov:iam::111122223333:role/ci", policy: "view" }]; }, file: BP, path: "platform.access[0].principalArn", message: /partition aws/ },
  { name: "API access CIDR that is not a CIDR", mutate: (_bp, cfg) => { vars(cfg).apiAccessCidrs = ["203.0.113.10/32", "my-office"]; }, file: STACK, path: "config.clusterkit:variables.apiAccessCidrs[1]", message: /not a CIDR/ },
  { name: "API access open to the internet", mutate: (_bp, cfg) => { vars(cfg).apiAccessCidrs = ["0.0.0.0/0"]; }, file: STACK, path: "config.clusterkit:variables.apiAccessCidrs[0]", message: /opens the API to the whole internet/ },
  { name: "API access CIDR of a private network", mutate: (_bp, cfg) => { vars(cfg).apiAccessCidrs = ["10.200.0.0/16"]; }, file: STACK, path: "config.clusterkit:variables.apiAccessCidrs[0]", message: /is a private network/ },
  { name: "API access CIDRs beside a public endpoint the blueprint opens", mutate: (bp, cfg) => { Object.assign(bp.controlPlane.endpoint, { publicAccess: true, publicAccessCidrs: ["198.51.100.0/24"] }); vars(cfg).apiAccessCidrs = ["203.0.113.10/32"]; }, file: STACK, path: "config.clusterkit:variables.apiAccessCidrs", message: /already opens the public endpoint/ },
  { name: "private API access CIDR that is not a CIDR", mutate: (_bp, cfg) => { vars(cfg).apiPrivateAccessCidrs = ["10.200.0.0/33"]; }, file: STACK, path: "config.clusterkit:variables.apiPrivateAccessCidrs[0]", message: /not a CIDR/ },
  { name: "private API access from everywhere", mutate: (_bp, cfg) => { vars(cfg).apiPrivateAccessCidrs = ["0.0.0.0/0"]; }, file: STACK, path: "config.clusterkit:variables.apiPrivateAccessCidrs[0]", message: /every address/ },
  { name: "KMS key of another region", mutate: (bp) => { bp.platform.kmsKeyArn = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"; }, file: BP, path: "platform.kmsKeyArn", message: /must be in the cluster's region us-east-1/ },
];

describe("EKS rules", () => {
  for (const c of cases) {
    it(c.name, () => {
      const bp = blueprintRaw("eks-standard");
      const cfg = stackConfigRaw("prod-us-east-1");
      c.mutate(bp, cfg);
      const issues = issuesOf(() => resolveRaw("eks-standard", bp, "prod-us-east-1", cfg));
      const hit = issues.find((i) => i.file === c.file && i.path === c.path && c.message.test(i.message));
      assert.ok(hit, `expected ${c.file}: ${c.path}: ${c.message}\ngot:\n${describeIssues(issues)}`);
    });
  }

  it("accepts an existing VPC with one private subnet per AZ and no public ones", () => {
    const bp = blueprintRaw("eks-standard");
    const cfg = stackConfigRaw("prod-us-east-1");
    existingVpc(cfg);
    const { spec } = resolveRaw("eks-standard", bp, "prod-us-east-1", cfg);
    assert.equal(spec.platform.kind === "eks" && spec.platform.vpc.kind, "existing");
  });

  it("accepts access entries, API access CIDRs and private access CIDRs", () => {
    const bp = blueprintRaw("eks-standard");
    const cfg = stackConfigRaw("prod-us-east-1");
    bp.platform.access = [
      { principalArn: "arn:aws:iam::111122223333:role/clusterkit-drift", policy: "admin-view" },
      { principalArn: "arn:aws:iam::111122223333:user/alice", policy: "edit", scope: { kind: "namespaces", namespaces: ["team-a"] } },
    ];
    Object.assign(vars(cfg), { apiAccessCidrs: ["203.0.113.10/32"], apiPrivateAccessCidrs: ["10.200.0.0/16"] });
    const { spec } = resolveRaw("eks-standard", bp, "prod-us-east-1", cfg);
    assert.equal(spec.platform.kind === "eks" && spec.platform.access.length, 2);
    assert.deepEqual(spec.controlPlane.endpoint, { kind: "eks-managed", privateAccess: true, publicAccess: true, publicAccessCidrs: ["203.0.113.10/32"], privateAccessCidrs: ["10.200.0.0/16"] });
  });

  it("accepts kube-proxy replacement when Cilium replaces the VPC CNI (ENI mode)", () => {
    const bp = blueprintRaw("eks-standard");
    Object.assign(bp.cni, { eksMode: "eni", kubeProxyReplacement: true });
    const { spec } = resolveRaw("eks-standard", bp, "prod-us-east-1", stackConfigRaw("prod-us-east-1"));
    assert.equal(spec.cni.kind === "cilium" && spec.cni.kubeProxyReplacement, true);
  });

  it("accepts a KMS key of the stack's region", () => {
    const bp = blueprintRaw("eks-standard");
    bp.platform.kmsKeyArn = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    const { spec } = resolveRaw("eks-standard", bp, "prod-us-east-1", stackConfigRaw("prod-us-east-1"));
    assert.equal(spec.platform.kind === "eks" && spec.platform.kmsKeyArn, bp.platform.kmsKeyArn);
  });
});

describe("eksSubnets", () => {
  for (const [cidr, n] of [["10.0.0.0/16", 2], ["10.0.0.0/16", 3], ["10.0.0.0/20", 4], ["172.20.0.0/22", 6], ["10.9.0.0/23", 3]] as const) {
    it(`${cidr} over ${n} AZs: one private and one public subnet per AZ, inside the VPC, disjoint`, () => {
      const azs = Array.from({ length: n }, (_, i) => `eu-west-1${"abcdef"[i]}`);
      const { privateSubnets, publicSubnets } = eksSubnets(cidr, azs);
      assert.deepEqual(privateSubnets.map((s) => s.az), azs);
      assert.deepEqual(publicSubnets.map((s) => s.az), azs);
      const all = [...privateSubnets, ...publicSubnets].map((s) => s.cidr);
      for (const s of all) assert.ok(contains(cidr, s), `${s} in ${cidr}`);
      for (let i = 0; i < all.length; i++) for (let j = i + 1; j < all.length; j++) assert.ok(!overlaps(all[i], all[j]), `${all[i]} overlaps ${all[j]}`);
      for (const s of all) assert.ok(Number(s.split("/")[1]) <= 28, `${s} is a subnet AWS accepts`);
    });
  }
});
