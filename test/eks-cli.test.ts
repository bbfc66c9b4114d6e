/**
 * Invalid EKS stacks through the real CLI (`node cli/bin.js` in a throwaway copy of the project):
 * each exits 2 and names the file and field path, for `validate` and for `plan`.
 */
import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { parse, stringify } from "yaml";
import { clusterkit } from "./support/cli";
import { tempProject } from "./support/temp-project";

type Project = ReturnType<typeof tempProject>;

function editYaml(p: Project, rel: string, fn: (doc: Record<string, any>) => void): void { // eslint-disable-line @typescript-eslint/no-explicit-any
  const doc = parse(p.read(rel));
  fn(doc);
  p.write(rel, stringify(doc));
}

const STACK = "stacks/Pulumi.prod-us-east-1.yaml";
const BP = "blueprints/eks-standard.yaml";

const bad: { name: string; edit: (p: Project) => void; line: RegExp }[] = [
  {
    name: "an availability zone of another region",
    edit: (p) => editYaml(p, STACK, (d) => { d.config["clusterkit:variables"].azs = ["us-east-1a", "us-west-2b", "us-east-1c"]; }),
    line: /^stacks\/Pulumi\.prod-us-east-1\.yaml: config\.clusterkit:variables\.azs\[1\]: is not an availability zone of region us-east-1 \(expected us-east-1a, us-east-1b, …, found "us-west-2b"\)$/m,
  },
  {
    name: "a desired size above max",
    edit: (p) => editYaml(p, BP, (d) => { d.nodePools.general.desired = 12; }),
    line: /^blueprints\/eks-standard\.yaml: nodePools\.general\.desired: must lie within min and max \(expected 2\.\.10, found 12\)$/m,
  },
  {
    name: "a Kubernetes version EKS does not support",
    edit: (p) => editYaml(p, BP, (d) => { d.kubernetesVersion = "1.28"; }),
    line: /^blueprints\/eks-standard\.yaml: kubernetesVersion: is not a Kubernetes version EKS supports \(expected 1\.32 \| 1\.33 \| 1\.34 \| 1\.35, found "1\.28"\)$/m,
  },
  {
    name: "a desired size above max set by a stack override",
    edit: (p) => editYaml(p, STACK, (d) => { d.config["clusterkit:overrides"] = { nodePools: { system: { desired: 9 } } }; }),
    line: /^stacks\/Pulumi\.prod-us-east-1\.yaml: config\.clusterkit:overrides\.nodePools\.system\.desired: must lie within min and max \(expected 2\.\.4, found 9\)$/m,
  },
];

describe("invalid EKS stacks exit 2 with the field path", () => {
  const projects: Project[] = [];
  after(() => projects.forEach((p) => p.cleanup()));
  for (const b of bad) {
    for (const command of [["validate", "--stack", "prod-us-east-1"], ["plan", "--stack", "prod-us-east-1"]]) {
      it(`${command[0]}: ${b.name}`, () => {
        const p = tempProject("clusterkit-eks-");
        projects.push(p);
        b.edit(p);
        const r = clusterkit(command, p.root);
        assert.equal(r.code, 2, `stdout:\n${r.stdout}\nstderr:\n${r.stderr}`);
        assert.match(r.stderr, b.line);
        assert.doesNotMatch(r.stderr + r.stdout, /\n\s+at .+\(.+:\d+:\d+\)|ZodError|TypeError/, "no stack trace");
      });
    }
  }

  it("the untouched EKS stacks plan with exit 0", () => {
    for (const stack of ["prod-us-east-1", "prod-eu-west-1"]) {
      const r = clusterkit(["plan", "--stack", stack]);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /\+ clusterkit:eks:EksCluster {2}prod-/);
    }
  });
});

describe("the EKS plan a reviewer reads", () => {
  const projects: Project[] = [];
  after(() => projects.forEach((p) => p.cleanup()));
  const publicEndpoint = () => {
    const p = tempProject("clusterkit-eks-plan-");
    projects.push(p);
    editYaml(p, STACK, (d) => { d.config["clusterkit:overrides"] = { controlPlane: { endpoint: { publicAccess: true, publicAccessCidrs: ["203.0.113.10/32", "198.51.100.0/24"] } } }; });
    return p;
  };
  /** The lines of one input of the aws:eks/cluster:Cluster resource, up to the next input. */
  const clusterInput = (text: string, key: string) => {
    const lines = text.split("\n");
    const start = lines.findIndex((l) => /\+ aws:eks\/cluster:Cluster /.test(l));
    const from = lines.findIndex((l, i) => i >= start && l.trimStart().startsWith(`${key}:`));
    const indent = lines[from].length - lines[from].trimStart().length;
    let to = from + 1;
    while (to < lines.length && lines[to].length - lines[to].trimStart().length > indent) to++;
    return lines.slice(from, to).join("\n");
  };

  it("shows the endpoint flags in full, one per line", () => {
    const p = publicEndpoint();
    const r = clusterkit(["plan", "--stack", "prod-us-east-1"], p.root);
    assert.equal(r.code, 0, r.stderr);
    const vpc = clusterInput(r.stdout, "vpcConfig");
    assert.match(vpc, /^ +endpointPrivateAccess: true$/m);
    assert.match(vpc, /^ +endpointPublicAccess: true$/m);
    assert.match(vpc, /^ +publicAccessCidrs: \["203\.0\.113\.10\/32", "198\.51\.100\.0\/24"\]$/m);
    assert.deepEqual(r.stdout.split("\n").filter((l) => l.includes("…")), [], "no value is cut");
  });

  it("shows what exists only after deploy as (known after apply), in the text and as [unknown] in JSON", () => {
    const text = clusterkit(["plan", "--stack", "prod-us-east-1"]);
    assert.equal(text.code, 0, text.stderr);
    assert.match(clusterInput(text.stdout, "roleArn"), /^ +roleArn: \(known after apply\)$/);
    assert.match(text.stdout, /^ {4}apiServerUrl: \(known after apply\)$/m);
    assert.match(text.stdout, /^ +Federated: \(known after apply\)$/m, "the IRSA trust policy names the OIDC provider it cannot know yet");
    assert.match(text.stdout, /^ +\(known after apply\):sub: "system:serviceaccount:kube-system:ebs-csi-controller-sa"$/m);
    assert.doesNotMatch(text.stdout, /123456789012|\[unknown\]/);

    const json = clusterkit(["plan", "--stack", "prod-us-east-1", "--json"]);
    assert.equal(json.code, 0, json.stderr);
    const plan = JSON.parse(json.stdout);
    const cluster = plan.resources.find((x: { type: string }) => x.type === "aws:eks/cluster:Cluster");
    assert.equal(cluster.inputs.roleArn, "[unknown]");
    assert.deepEqual(cluster.inputs.vpcConfig.subnetIds, ["[unknown]", "[unknown]", "[unknown]"]);
    assert.equal(cluster.inputs.encryptionConfig.provider.keyArn, "[unknown]");
    assert.equal(plan.outputs.apiServerUrl, "[unknown]");
    assert.equal(plan.outputs.kubeconfig, "[secret]");
    assert.doesNotMatch(json.stdout, /123456789012/);
  });

  it("--wide prints every input on one line, in full", () => {
    const p = publicEndpoint();
    const r = clusterkit(["plan", "--stack", "prod-us-east-1", "--wide"], p.root);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^ +vpcConfig: \{"subnetIds":\["\(known after apply\)","\(known after apply\)","\(known after apply\)"\],"endpointPrivateAccess":true,"endpointPublicAccess":true,"publicAccessCidrs":\["203\.0\.113\.10\/32","198\.51\.100\.0\/24"\]\}$/m);
    assert.deepEqual(r.stdout.split("\n").filter((l) => l.includes("…")), [], "no value is cut");
  });
});
