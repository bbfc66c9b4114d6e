/**
 * `clusterkit clone-region` as a new user runs it, in throwaway copies of the project: a clone of
 * prod-us-east-1 validates as it is, a second clone never overlaps the first, placeholders are
 * listed exactly, secrets are never copied, and bad input or an existing stack writes nothing.
 */
import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { parse } from "yaml";
import { overlaps } from "../core/resolve/cidr";
import { clusterkit } from "./support/cli";
import { listFiles, tempProject } from "./support/temp-project";

const projects: ReturnType<typeof tempProject>[] = [];
function project() {
  const p = tempProject("clusterkit-clone-");
  projects.push(p);
  return p;
}
after(() => projects.forEach((p) => p.cleanup()));

function ranges(p: ReturnType<typeof tempProject>, stack: string): string[] {
  const v = parse(p.read(`stacks/Pulumi.${stack}.yaml`)).config["clusterkit:variables"];
  return [v.vpcCidr, v.nodeCidr, v.podCidr, v.serviceCidr].filter(Boolean);
}

describe("clusterkit clone-region", () => {
  it("clones prod-us-east-1 to a new region into a stack validate accepts", () => {
    const p = project();
    const r = clusterkit(["clone-region", "--from", "prod-us-east-1", "--to", "prod-eu-central-1", "--region", "eu-central-1"], p.root);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^Wrote stacks\/Pulumi\.prod-eu-central-1\.yaml: blueprint eks-standard \(eks\), region eu-central-1/m);
    assert.match(r.stdout, /Availability zones: eu-central-1a, eu-central-1b, eu-central-1c \(from clusterkit's region table/);
    assert.match(r.stdout, /^validate: prod-eu-central-1 is valid\./m);
    const doc = parse(p.read("stacks/Pulumi.prod-eu-central-1.yaml"));
    assert.equal(doc.config["clusterkit:blueprint"], "eks-standard");
    assert.equal(doc.config["clusterkit:region"], "eu-central-1");
    assert.equal(doc.config["clusterkit:clonedFrom"].stack, "prod-us-east-1");
    assert.match(doc.config["clusterkit:clonedFrom"].blueprintSha256, /^[0-9a-f]{64}$/);
    const v = clusterkit(["validate"], p.root);
    assert.equal(v.code, 0, v.stderr);
    assert.match(v.stdout, /^ok  prod-eu-central-1 /m);
  });

  it("says where the zones came from when they are given", () => {
    const p = project();
    const r = clusterkit(["clone-region", "--from", "prod-us-east-1", "--to", "prod-usw1", "--region", "us-west-1", "--set", "azs=us-west-1b,us-west-1c"], p.root);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Availability zones: us-west-1b, us-west-1c \(from --set azs\)/);
  });

  it("gives a second clone ranges that overlap neither the first nor any other stack", () => {
    const p = project();
    for (const [to, region] of [["prod-eu-central-1", "eu-central-1"], ["prod-ap-south-1", "ap-south-1"]]) {
      const r = clusterkit(["clone-region", "--from", "prod-us-east-1", "--to", to, "--region", region], p.root);
      assert.equal(r.code, 0, r.stderr);
    }
    const a = ranges(p, "prod-eu-central-1");
    const b = ranges(p, "prod-ap-south-1");
    for (const x of a) for (const y of b) assert.ok(!overlaps(x, y), `${x} overlaps ${y}`);
    const f = clusterkit(["fleet", "--json"], p.root);
    assert.deepEqual(JSON.parse(f.stdout).flags, []);
    assert.equal(clusterkit(["validate"], p.root).code, 0);
  });

  it("lists exactly the placeholders left, and validate reports exactly those", () => {
    const p = project();
    const r = clusterkit(["clone-region", "--from", "vsphere-fra1", "--to", "vsphere-muc1", "--region", "muc1", "--set", "template=ubuntu-24.04-k8s-template"], p.root);
    assert.equal(r.code, 0, r.stderr);
    const listed = [...r.stdout.matchAll(/^  (config\.clusterkit:variables\.\S+): /gm)].map((m) => m[1]);
    assert.equal(listed.length, 17);
    const v = clusterkit(["validate", "--stack", "vsphere-muc1"], p.root);
    assert.equal(v.code, 2);
    const reported = [...v.stderr.matchAll(/^stacks\/Pulumi\.vsphere-muc1\.yaml: (\S+): fill this in: /gm)].map((m) => m[1]);
    assert.deepEqual(reported, listed);
    assert.match(v.stderr, /^17 problems found/m);
    // The other stacks are untouched by the new one's gaps.
    assert.equal(clusterkit(["validate", "--stack", "vsphere-fra1"], p.root).code, 0);
  });

  it("never copies secrets, and prints the exact commands to set them for the new stack", () => {
    const p = project();
    p.write("stacks/Pulumi.metal-ber1.yaml", `${p.read("stacks/Pulumi.metal-ber1.yaml")}  clusterkit:sshPrivateKey:\n    secure: v1:c2FsdA==:ZW5jcnlwdGVkLWtleQ==\n`);
    const r = clusterkit(["clone-region", "--from", "metal-ber1", "--to", "metal-ams2", "--region", "ams2"], p.root);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(!p.read("stacks/Pulumi.metal-ams2.yaml").includes("secure:"));
    assert.ok(!p.read("stacks/Pulumi.metal-ams2.yaml").includes("ZW5jcnlwdGVkLWtleQ"));
    assert.match(r.stdout, /^  pulumi stack init metal-ams2$/m);
    assert.match(r.stdout, /^  pulumi config set --secret clusterkit:sshPrivateKey --stack metal-ams2 < ~\/\.ssh\/clusterkit_ed25519 /m);
    assert.match(r.stdout, /Placeholders to fill in \(14\)/);
  });

  it("refuses to overwrite an existing stack, and writes nothing", () => {
    const p = project();
    const before = p.read("stacks/Pulumi.prod-eu-west-1.yaml");
    const r = clusterkit(["clone-region", "--from", "prod-us-east-1", "--to", "prod-eu-west-1", "--region", "eu-west-1"], p.root);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^stacks\/Pulumi\.prod-eu-west-1\.yaml: \(file\): already exists; clone-region never overwrites a stack/m);
    assert.equal(p.read("stacks/Pulumi.prod-eu-west-1.yaml"), before);
  });

  it("exits 2 on bad input, naming every problem, and writes nothing", () => {
    const p = project();
    const files = listFiles(p.root);
    const r = clusterkit(["clone-region", "--from", "metal-ber1", "--to", "metal-x", "--region", "ams3", "--set", "podCidr=10.66.0.0/17", "--set", "controlPlaneVip=10.0.0.300", "--set", "hostz=[]"], p.root);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^\(command line\): --set podCidr: overlaps the pod range of stack metal-ber1 \(10\.66\.0\.0\/16\)/m);
    assert.match(r.stderr, /^\(command line\): --set controlPlaneVip: must be an IPv4 address/m);
    assert.match(r.stderr, /^\(command line\): --set hostz: is not a region variable of the blueprint\n  hint: did you mean 'hosts'\?/m);
    assert.match(r.stderr, /3 problems found; nothing was written\./);
    const noZones = clusterkit(["clone-region", "--from", "prod-us-east-1", "--to", "prod-usw1", "--region", "us-west-1"], p.root);
    assert.equal(noZones.code, 2);
    assert.match(noZones.stderr, /--region: clusterkit's zone table has no entry for us-west-1.*\n  hint: give the zones yourself: --set azs=us-west-1a,us-west-1b,us-west-1c/);
    const missing = clusterkit(["clone-region", "--from", "nope", "--to", "x", "--region", "y"], p.root);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /^stacks\/Pulumi\.nope\.yaml: \(file\): does not exist/m);
    assert.deepEqual(listFiles(p.root), files);
  });
});
