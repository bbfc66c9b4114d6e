/**
 * Runs the real program (index.ts) offline under mocks for one EKS example stack and asserts what
 * the EKS platform must always build: the resource graph, parents, secure defaults, the subnet
 * layout and IRSA trust. Each stack's test file calls `eksProgramSuite` once (one program per process).
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { before, describe, it } from "node:test";
import { parse } from "yaml";
import { runProgramOffline, type PlannedResource, type ProgramRun } from "../../cli/plan/run-program";
import { eksAddonVersions } from "../../core/render/eks/addon-versions";
import { contains, overlaps } from "../../core/resolve/cidr";
import type { ClusterSpec } from "../../core/spec";
import { loadFleet } from "../../core/load/project";
import { exampleRoot } from "./temp-project";

type Inputs = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Stack config as Pulumi hands it to the program: strings, structured values as JSON. */
function stackConfig(stack: string): Record<string, string> {
  const raw = parse(fs.readFileSync(path.join(exampleRoot(), "stacks", `Pulumi.${stack}.yaml`), "utf8")).config as Record<string, unknown>;
  return Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]));
}

const byType = (run: ProgramRun, type: string) => run.resources.filter((r) => r.type === type);
const one = (run: ProgramRun, type: string): PlannedResource => {
  const found = byType(run, type);
  assert.equal(found.length, 1, `exactly one ${type}`);
  return found[0];
};
const named = (run: ProgramRun, type: string, name: string): PlannedResource => {
  const r = run.resources.find((x) => x.type === type && x.name === name);
  assert.ok(r, `${type} ${name} exists`);
  return r;
};
const inputs = (r: PlannedResource) => r.inputs as Inputs;
const EKS_TYPE = "clusterkit:eks:EksCluster";

/** Types that take tags; every one of them must carry the cluster's tags. */
const taggable = [
  "aws:ec2/vpc:Vpc",
  "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup",
  "aws:ec2/internetGateway:InternetGateway",
  "aws:ec2/subnet:Subnet",
  "aws:ec2/routeTable:RouteTable",
  "aws:ec2/eip:Eip",
  "aws:ec2/natGateway:NatGateway",
  "aws:ec2/launchTemplate:LaunchTemplate",
  "aws:iam/role:Role",
  "aws:iam/openIdConnectProvider:OpenIdConnectProvider",
  "aws:kms/key:Key",
  "aws:cloudwatch/logGroup:LogGroup",
  "aws:eks/cluster:Cluster",
  "aws:eks/nodeGroup:NodeGroup",
  "aws:eks/addon:Addon",
];

export function eksProgramSuite(stack: string): void {
  describe(`EKS program under mocks: ${stack}`, () => {
    let all: ProgramRun;
    let run: ProgramRun;
    let spec: ClusterSpec;
    before(async () => {
      const fleet = loadFleet(exampleRoot(), [stack]);
      assert.deepEqual(fleet.issues, []);
      spec = fleet.resolved.get(stack)!.spec;
      process.chdir(exampleRoot());
      all = await runProgramOffline({ root: exampleRoot(), project: "clusterkit", stack, config: stackConfig(stack), secretKeys: [] });
      // The EKS platform's own subtree (plus the Cluster above it); add-ons installed later live beside it.
      run = { ...all, resources: all.resources.filter((r) => r.type === "clusterkit:index:Cluster" || r.type === EKS_TYPE || r.urn.includes(`${EKS_TYPE}$`)) };
    });

    it("builds the whole graph: VPC, subnets, NAT, roles, cluster, node groups, add-ons, OIDC provider", () => {
      const count = (t: string) => byType(run, t).length;
      const azs = spec.platform.kind === "eks" ? spec.platform.azs : [];
      assert.equal(count("aws:ec2/vpc:Vpc"), 1);
      assert.equal(count("aws:ec2/subnet:Subnet"), 2 * azs.length);
      assert.equal(count("aws:ec2/internetGateway:InternetGateway"), 1);
      assert.equal(count("aws:ec2/natGateway:NatGateway"), azs.length, "one NAT per AZ");
      assert.equal(count("aws:ec2/eip:Eip"), azs.length);
      assert.equal(count("aws:ec2/route:Route"), 1 + azs.length, "a public default route and one per private route table");
      assert.equal(count("aws:eks/cluster:Cluster"), 1);
      assert.equal(count("aws:iam/openIdConnectProvider:OpenIdConnectProvider"), 1);
      assert.equal(count("aws:kms/key:Key"), 1, "a customer key is created when none is given");
      assert.deepEqual(byType(run, "aws:iam/role:Role").map((r) => r.name).sort(), [`${spec.name}-cluster`, `${spec.name}-ebs-csi`, `${spec.name}-node`, `${spec.name}-vpc-cni`]);
      assert.deepEqual(byType(run, "aws:eks/nodeGroup:NodeGroup").map((r) => r.name), spec.nodePools.map((p) => `${spec.name}-${p.name}`));
      assert.equal(count("aws:ec2/launchTemplate:LaunchTemplate"), spec.nodePools.length);
      const pins = eksAddonVersions[spec.kubernetes.minor];
      const addons = Object.fromEntries(byType(run, "aws:eks/addon:Addon").map((r) => [inputs(r).addonName, inputs(r).addonVersion]));
      assert.deepEqual(addons, { "vpc-cni": pins["vpc-cni"], "kube-proxy": pins["kube-proxy"], coredns: pins.coredns, "aws-ebs-csi-driver": pins["aws-ebs-csi-driver"] });
      assert.equal(count("pulumi:providers:kubernetes"), 1);
    });

    it("parents every child to the EksCluster component, itself under the Cluster component", () => {
      const top = one(run, "clusterkit:index:Cluster");
      const eks = one(run, EKS_TYPE);
      assert.equal(eks.parent, top.urn);
      const byUrn = new Map(all.resources.map((r) => [r.urn, r]));
      for (const r of all.resources) {
        if (r === top || r === eks) continue;
        // Add-ons installed through the platform's provider hang elsewhere under the Cluster.
        if (r.urn.includes(`${EKS_TYPE}$`)) {
          assert.equal(r.parent, eks.urn, `${r.type} ${r.name} is a direct child of EksCluster`);
        }
        let cur: PlannedResource | undefined = r;
        while (cur && cur !== top) cur = cur.parent ? byUrn.get(cur.parent) : undefined;
        assert.equal(cur, top, `${r.name}'s parent chain reaches the Cluster component`);
      }
      const provider = one(run, "pulumi:providers:aws");
      assert.equal(inputs(provider).region, spec.region);
      assert.equal(named(run, "pulumi:providers:kubernetes", `${spec.name}-k8s`).parent, eks.urn);
    });

    it("tags every taggable resource with the cluster, stack and blueprint", () => {
      for (const type of taggable) {
        for (const r of byType(run, type)) {
          const tags = inputs(r).tags ?? {};
          for (const [k, v] of Object.entries(spec.tags)) assert.equal(tags[k], v, `${r.type} ${r.name} tag ${k}`);
        }
      }
      for (const lt of byType(run, "aws:ec2/launchTemplate:LaunchTemplate")) {
        const kinds = inputs(lt).tagSpecifications.map((t: Inputs) => t.resourceType).sort();
        assert.deepEqual(kinds, ["instance", "volume"], "instances and their disks carry the tags too");
        for (const t of inputs(lt).tagSpecifications) assert.equal(t.tags["clusterkit.dev/cluster"], spec.name);
      }
    });

    it("keeps the secure defaults: private endpoint, KMS envelope encryption, logs, access entries", () => {
      const cluster = inputs(one(run, "aws:eks/cluster:Cluster"));
      assert.equal(cluster.name, spec.name);
      assert.equal(cluster.version, spec.kubernetes.minor);
      assert.equal(cluster.vpcConfig.endpointPrivateAccess, true);
      assert.equal(cluster.vpcConfig.endpointPublicAccess, false);
      assert.equal(cluster.vpcConfig.publicAccessCidrs, undefined, "no public allow-list without a public endpoint");
      assert.equal(cluster.vpcConfig.subnetIds.length, spec.platform.kind === "eks" ? spec.platform.azs.length : -1, "control-plane ENIs in the private subnets");
      assert.deepEqual(cluster.encryptionConfig.resources, ["secrets"]);
      assert.match(cluster.encryptionConfig.provider.keyArn, new RegExp(`^arn:aws:kms:${spec.region}:\\d{12}:key/`));
      assert.deepEqual(cluster.enabledClusterLogTypes, ["api", "audit", "authenticator", "controllerManager", "scheduler"]);
      assert.equal(cluster.accessConfig.authenticationMode, "API_AND_CONFIG_MAP");
      assert.equal(cluster.bootstrapSelfManagedAddons, false);
      assert.equal(cluster.kubernetesNetworkConfig.serviceIpv4Cidr, spec.networking.serviceCidr);
      const key = inputs(one(run, "aws:kms/key:Key"));
      assert.equal(key.enableKeyRotation, true);
      const kmsPolicy = JSON.parse(inputs(named(run, "aws:iam/rolePolicy:RolePolicy", `${spec.name}-cluster-kms`)).policy);
      assert.deepEqual(kmsPolicy.Statement.map((s: Inputs) => s.Resource), [cluster.encryptionConfig.provider.keyArn], "the cluster role may use only its own key");
      const logs = inputs(one(run, "aws:cloudwatch/logGroup:LogGroup"));
      assert.equal(logs.name, `/aws/eks/${spec.name}/cluster`);
      assert.ok(logs.retentionInDays >= spec.security.auditLog.maxAgeDays);
    });

    it("requires IMDSv2 and encrypts every node volume", () => {
      const hop = spec.platform.kind === "eks" ? spec.platform.imdsHopLimit : -1;
      for (const lt of byType(run, "aws:ec2/launchTemplate:LaunchTemplate")) {
        const i = inputs(lt);
        assert.equal(i.metadataOptions.httpTokens, "required", `${lt.name}: IMDSv2 only`);
        assert.equal(i.metadataOptions.httpPutResponseHopLimit, hop);
        assert.ok(i.blockDeviceMappings.length >= 1);
        for (const b of i.blockDeviceMappings) {
          assert.equal(b.ebs.encrypted, "true", `${lt.name} ${b.deviceName} encrypted`);
          assert.equal(b.ebs.volumeType, "gp3");
        }
      }
      for (const pool of spec.nodePools) {
        const ng = inputs(named(run, "aws:eks/nodeGroup:NodeGroup", `${spec.name}-${pool.name}`));
        assert.deepEqual(ng.scalingConfig, { minSize: pool.min, maxSize: pool.max, desiredSize: pool.desired });
        assert.deepEqual(ng.labels, pool.labels);
        assert.deepEqual(ng.taints.map((t: Inputs) => t.key), pool.taints.map((t) => t.key));
        assert.match(ng.amiType, /^AL2023_x86_64_STANDARD$/);
        assert.equal(ng.subnetIds.length, spec.platform.kind === "eks" ? spec.platform.azs.length : -1);
        const lt = inputs(named(run, "aws:ec2/launchTemplate:LaunchTemplate", `${spec.name}-${pool.name}`));
        assert.equal(lt.blockDeviceMappings[0].ebs.volumeSize, pool.size.kind === "instance" ? pool.size.diskGiB : -1);
      }
    });

    it("lays subnets over every AZ, inside the VPC, without overlap, tagged for load balancers", () => {
      assert.equal(spec.platform.kind, "eks");
      if (spec.platform.kind !== "eks") return;
      const vpcCidr = inputs(one(run, "aws:ec2/vpc:Vpc")).cidrBlock;
      const subnets = byType(run, "aws:ec2/subnet:Subnet").map(inputs);
      for (const tier of ["elb", "internal-elb"]) {
        const ofTier = subnets.filter((s) => s.tags[`kubernetes.io/role/${tier}`] === "1");
        assert.deepEqual(ofTier.map((s) => s.availabilityZone).sort(), [...spec.platform.azs].sort(), `${tier} subnets cover every AZ once`);
      }
      for (const s of subnets) {
        assert.ok(contains(vpcCidr, s.cidrBlock), `${s.cidrBlock} inside ${vpcCidr}`);
        assert.equal(s.tags[`kubernetes.io/cluster/${spec.name}`], "shared");
        assert.equal(s.mapPublicIpOnLaunch, false);
      }
      for (let i = 0; i < subnets.length; i++) {
        for (let j = i + 1; j < subnets.length; j++) assert.ok(!overlaps(subnets[i].cidrBlock, subnets[j].cidrBlock), `${subnets[i].cidrBlock} and ${subnets[j].cidrBlock} overlap`);
      }
    });

    it("trusts exactly the right service account in each IRSA role", () => {
      const oidc = inputs(one(run, "aws:iam/openIdConnectProvider:OpenIdConnectProvider"));
      assert.deepEqual(oidc.clientIdLists, ["sts.amazonaws.com"]);
      const issuer = String(oidc.url).replace(/^https:\/\//, "");
      assert.match(issuer, new RegExp(`^oidc\\.eks\\.${spec.region}\\.amazonaws\\.com/id/`));
      const expected: Record<string, string> = { "ebs-csi": "system:serviceaccount:kube-system:ebs-csi-controller-sa", "vpc-cni": "system:serviceaccount:kube-system:aws-node" };
      for (const [key, sub] of Object.entries(expected)) {
        const role = named(run, "aws:iam/role:Role", `${spec.name}-${key}`);
        const doc = JSON.parse(inputs(role).assumeRolePolicy);
        assert.equal(doc.Statement.length, 1);
        const st = doc.Statement[0];
        assert.equal(st.Action, "sts:AssumeRoleWithWebIdentity");
        assert.match(st.Principal.Federated, new RegExp(`:oidc-provider/${issuer.replace(/[.]/g, "\\.")}$`));
        assert.deepEqual(st.Condition, { StringEquals: { [`${issuer}:sub`]: sub, [`${issuer}:aud`]: "sts.amazonaws.com" } });
      }
      const ebs = inputs(named(run, "aws:eks/addon:Addon", `${spec.name}-aws-ebs-csi-driver`));
      assert.match(ebs.serviceAccountRoleArn, new RegExp(`:role/${spec.name}-ebs-csi`));
      const nodePolicies = byType(run, "aws:iam/rolePolicyAttachment:RolePolicyAttachment").filter((a) => a.name.startsWith(`${spec.name}-node-`)).map((a) => inputs(a).policyArn);
      assert.ok(!nodePolicies.some((p) => /CNI/.test(p)), "the node role carries no CNI permissions; aws-node gets them via IRSA");
    });

    it("orders creation: networking add-ons before nodes, CoreDNS and EBS CSI after them", () => {
      const nodeGroups = byType(run, "aws:eks/nodeGroup:NodeGroup");
      const urnOf = (name: string) => named(run, "aws:eks/addon:Addon", `${spec.name}-${name}`).urn;
      for (const ng of nodeGroups) {
        assert.ok(ng.dependsOn.includes(urnOf("vpc-cni")) && ng.dependsOn.includes(urnOf("kube-proxy")), `${ng.name} waits for the networking add-ons`);
      }
      for (const name of ["coredns", "aws-ebs-csi-driver"]) {
        const addon = named(run, "aws:eks/addon:Addon", `${spec.name}-${name}`);
        for (const ng of nodeGroups) assert.ok(addon.dependsOn.includes(ng.urn), `${name} waits for ${ng.name}`);
      }
      const cluster = one(run, "aws:eks/cluster:Cluster");
      assert.ok(cluster.dependsOn.includes(one(run, "aws:cloudwatch/logGroup:LogGroup").urn), "the log group exists before EKS writes to it");
    });

    it("hands the kubeconfig to the Kubernetes provider as a secret", () => {
      const k8s = inputs(one(run, "pulumi:providers:kubernetes"));
      assert.equal(k8s.kubeconfig, "[secret]");
      assert.doesNotMatch(JSON.stringify(all.resources), /BEGIN CERTIFICATE|get-token/, "the kubeconfig never appears in plain inputs");
    });
  });
}
