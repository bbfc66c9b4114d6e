/**
 * The real program (index.ts) under mocks for prod-us-east-1 switched to Cilium in ENI mode (a
 * stack override, as a user would write it). In ENI mode nothing but Cilium gives nodes a network,
 * so the resource graph must install Cilium before the node groups exist, without waiting for
 * pods that need those nodes, and give the cilium-operator its EC2 permissions through IRSA.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { before, describe, it } from "node:test";
import { parse } from "yaml";
import { runProgramOffline, type PlannedResource, type ProgramRun } from "../cli/plan/run-program";
import { exampleRoot } from "./support/temp-project";

type Inputs = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const STACK = "prod-us-east-1";

function eniConfig(): Record<string, string> {
  const raw = parse(fs.readFileSync(path.join(exampleRoot(), "stacks", `Pulumi.${STACK}.yaml`), "utf8")).config as Record<string, unknown>;
  raw["clusterkit:overrides"] = { cni: { kind: "cilium", eksMode: "eni", hubble: { enabled: true } } };
  return Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]));
}

describe("EKS with Cilium in ENI mode, under mocks", () => {
  let run: ProgramRun;
  const of = (type: string) => run.resources.filter((r) => r.type === type);
  const named = (type: string, name: string): PlannedResource => {
    const r = run.resources.find((x) => x.type === type && x.name === name);
    assert.ok(r, `${type} ${name} exists`);
    return r;
  };
  const inputs = (r: PlannedResource) => r.inputs as Inputs;

  before(async () => {
    process.chdir(exampleRoot());
    run = await runProgramOffline({ root: exampleRoot(), project: "clusterkit", stack: STACK, config: eniConfig(), secretKeys: [] });
  });

  it("creates every node group after the Cilium release", () => {
    const cilium = named("kubernetes:helm.sh/v3:Release", `${STACK}-cilium`);
    const groups = of("aws:eks/nodeGroup:NodeGroup");
    assert.equal(groups.length, 2);
    for (const ng of groups) assert.ok(ng.dependsOn.includes(cilium.urn), `${ng.name} depends on the Cilium release`);
    assert.ok(!cilium.dependsOn.some((u) => groups.some((g) => g.urn === u)), "the Cilium release does not wait for the node groups");
    // …but for what the operator and the agent need from the start: its IAM permissions, kube-proxy.
    assert.ok(cilium.dependsOn.includes(named("aws:iam/rolePolicy:RolePolicy", `${STACK}-cilium-operator-eni`).urn), "the operator's policy exists first");
    assert.ok(cilium.dependsOn.includes(named("aws:eks/addon:Addon", `${STACK}-kube-proxy`).urn), "kube-proxy runs on the nodes from the start");
  });

  it("does not wait for Cilium's pods, which can only run once the nodes exist", () => {
    const cilium = inputs(named("kubernetes:helm.sh/v3:Release", `${STACK}-cilium`));
    assert.equal(cilium.skipAwait, true);
    assert.equal(cilium.atomic, false, "atomic makes Helm wait for every pod");
  });

  it("keeps CoreDNS, the EBS CSI driver and the in-cluster add-ons behind the node groups", () => {
    const groups = of("aws:eks/nodeGroup:NodeGroup").map((g) => g.urn);
    for (const name of ["coredns", "aws-ebs-csi-driver"]) {
      const addon = named("aws:eks/addon:Addon", `${STACK}-${name}`);
      for (const g of groups) assert.ok(addon.dependsOn.includes(g), `${name} waits for ${g}`);
    }
    const ingress = named("kubernetes:helm.sh/v3:Release", `${STACK}-ingress-nginx`);
    for (const g of groups) assert.ok(ingress.dependsOn.includes(g), `ingress-nginx waits for ${g}`);
  });

  it("gives the cilium-operator an IRSA role with Cilium's documented ENI permissions and nothing else", () => {
    const role = inputs(named("aws:iam/role:Role", `${STACK}-cilium-operator`));
    const trust = JSON.parse(role.assumeRolePolicy);
    const cond = trust.Statement[0].Condition.StringEquals;
    assert.deepEqual(
      Object.entries(cond).filter(([k]) => k.endsWith(":sub")).map(([, v]) => v),
      ["system:serviceaccount:kube-system:cilium-operator"],
    );
    const policy = JSON.parse(inputs(named("aws:iam/rolePolicy:RolePolicy", `${STACK}-cilium-operator-eni`)).policy);
    const actions = policy.Statement.flatMap((s: Inputs) => s.Action).sort();
    for (const a of ["ec2:CreateNetworkInterface", "ec2:AttachNetworkInterface", "ec2:AssignPrivateIpAddresses", "ec2:DescribeSubnets", "ec2:DescribeVpcs", "ec2:DescribeSecurityGroups", "ec2:DescribeRouteTables", "ec2:DeleteNetworkInterface"]) {
      assert.ok(actions.includes(a), `${a} allowed`);
    }
    assert.ok(!actions.some((a: string) => a.endsWith("*")), "no wildcard actions");
    const tagging = policy.Statement.find((s: Inputs) => [s.Action].flat().includes("ec2:CreateTags"));
    assert.match(String(tagging.Resource), /^arn:aws:ec2:\*:\*:network-interface\/\*$/, "tags only network interfaces");
    const nodePolicies = of("aws:iam/rolePolicyAttachment:RolePolicyAttachment").filter((a) => a.name.startsWith(`${STACK}-node-`)).map((a) => inputs(a).policyArn);
    assert.ok(!nodePolicies.some((p) => /CNI/.test(p)), "the node role still carries no CNI permissions");
  });

  it("annotates the operator's service account with that role", () => {
    const values = inputs(named("kubernetes:helm.sh/v3:Release", `${STACK}-cilium`)).values;
    assert.equal(values.serviceAccounts.operator.name, "cilium-operator");
    assert.match(values.serviceAccounts.operator.annotations["eks.amazonaws.com/role-arn"], new RegExp(`^arn:aws:iam::\\d{12}:role/${STACK}-cilium-operator`));
    assert.deepEqual([values.eni.enabled, values.ipam.mode], [true, "eni"]);
  });

  it("installs no VPC CNI and no role for it", () => {
    assert.ok(!of("aws:eks/addon:Addon").some((a) => inputs(a).addonName === "vpc-cni"));
    assert.equal(of("aws:iam/role:Role").filter((r) => r.name.endsWith("-vpc-cni")).length, 0);
  });
});
