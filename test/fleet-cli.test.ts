/** `clusterkit fleet`: the table, `--json`, and each flag raised in a throwaway project. */
import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { parse, stringify } from "yaml";
import { clusterkit } from "./support/cli";
import { tempProject } from "./support/temp-project";

const projects: ReturnType<typeof tempProject>[] = [];
after(() => projects.forEach((p) => p.cleanup()));
function project() {
  const p = tempProject("clusterkit-fleet-");
  projects.push(p);
  return p;
}

function fleetJson(root?: string) {
  const r = clusterkit(["fleet", "--json"], root);
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout);
}

describe("clusterkit fleet", () => {
  it("--affected names the stacks a change touches: its stack file, its blueprint, or all for program code", () => {
    const p = project();
    const affected = (paths: string[]) => {
      p.write("changed.txt", `${paths.join("\n")}\n`);
      const r = clusterkit(["fleet", "--affected", "changed.txt", "--json"], p.root);
      assert.equal(r.code, 0, r.stderr);
      return JSON.parse(r.stdout);
    };
    assert.deepEqual(affected(["stacks/Pulumi.metal-ber1.yaml", "blueprints/vsphere-ha.yaml", "docs/fleet.md"]), ["metal-ber1", "vsphere-ams1", "vsphere-fra1"]);
    assert.deepEqual(affected(["README.md", "test/x.test.ts", "stacks/address-plan.yaml", ".github/workflows/drift.yml", "stacks/Pulumi.gone.yaml"]), []);
    assert.equal(affected(["components/eks/network.ts"]).length, 6);
    assert.equal(clusterkit(["fleet", "--affected", "nope.txt"], p.root).code, 2);
  });

  it("lists every example stack with platform, region, version, CNI, ranges, node counts and blueprint", () => {
    const report = fleetJson();
    assert.equal(report.apiVersion, "clusterkit.dev/fleet/v1");
    assert.deepEqual(report.flags, []);
    const byName = Object.fromEntries(report.stacks.map((s: { stack: string }) => [s.stack, s]));
    assert.deepEqual(Object.keys(byName), ["metal-ber1", "metal-nyc1", "prod-eu-west-1", "prod-us-east-1", "vsphere-ams1", "vsphere-fra1"]);
    assert.deepEqual(byName["prod-us-east-1"], {
      stack: "prod-us-east-1",
      status: "ok",
      blueprint: "eks-standard",
      platform: "eks",
      region: "us-east-1",
      kubernetesVersion: "1.34",
      cni: "cilium",
      ranges: { node: "10.1.0.0/16", pod: null, service: "10.128.0.0/20" },
      nodes: { controlPlane: "managed", workers: 5 },
      clonedFrom: null,
      problems: 0,
    });
    assert.deepEqual(byName["metal-ber1"].nodes, { controlPlane: 3, workers: 3 });
    assert.equal(byName["metal-ber1"].cni, "flannel");
    const table = clusterkit(["fleet"]);
    assert.match(table.stdout, /^STACK +STATUS +PLATFORM +REGION +K8S +CNI +NODE\/VPC +PODS +SERVICES +CP +WORKERS +BLUEPRINT$/m);
    assert.match(table.stdout, /^vsphere-fra1 +ok +vsphere +fra1 +1\.34\.1 +cilium +10\.3\.10\.0\/24 +10\.64\.0\.0\/16 +10\.128\.32\.0\/20 +3 +3 +vsphere-ha$/m);
  });

  it("flags overlaps, version skew, blueprints changed since cloning and stacks left incomplete", () => {
    const p = project();
    // metal-nyc1's pods move into metal-ber1's range; vsphere-fra1 moves to 1.35 and metal-ber1 back to 1.33
    // (a vSphere stack with a vsphere storage class cannot: no vSphere CSI release covers 1.33).
    const nyc = parse(p.read("stacks/Pulumi.metal-nyc1.yaml"));
    nyc.config["clusterkit:variables"].podCidr = "10.66.128.0/17";
    p.write("stacks/Pulumi.metal-nyc1.yaml", stringify(nyc));
    const fra = parse(p.read("stacks/Pulumi.vsphere-fra1.yaml"));
    fra.config["clusterkit:overrides"] = { kubernetesVersion: "1.35" };
    p.write("stacks/Pulumi.vsphere-fra1.yaml", stringify(fra));
    const ber = parse(p.read("stacks/Pulumi.metal-ber1.yaml"));
    ber.config["clusterkit:overrides"] = { ...ber.config["clusterkit:overrides"], kubernetesVersion: "1.33" };
    p.write("stacks/Pulumi.metal-ber1.yaml", stringify(ber));
    assert.equal(clusterkit(["clone-region", "--from", "prod-us-east-1", "--to", "prod-eu-central-1", "--region", "eu-central-1"], p.root).code, 0);
    assert.equal(clusterkit(["clone-region", "--from", "metal-ber1", "--to", "metal-ams2", "--region", "ams2"], p.root).code, 0);
    p.write("blueprints/eks-standard.yaml", p.read("blueprints/eks-standard.yaml").replace("replicas: 2", "replicas: 3"));

    const flags = fleetJson(p.root).flags.map((f: { kind: string; message: string }) => `${f.kind}: ${f.message}`);
    assert.deepEqual(flags, [
      "overlap: the pod range of metal-ber1 (10.66.0.0/16) overlaps the pod range of metal-nyc1 (10.66.128.0/17)",
      "version-skew: metal-ber1 runs Kubernetes 1.33, more than one minor behind the newest in the fleet (1.35)",
      "incomplete: metal-ams2 has 14 placeholder(s) to fill in (clusterkit validate --stack metal-ams2)",
      "blueprint-changed: blueprint eks-standard changed since prod-eu-central-1 was cloned from prod-us-east-1; preview it (pulumi preview --stack prod-eu-central-1) and roll the change out, then record the new sha256 in clusterkit:clonedFrom",
    ]);
    const table = clusterkit(["fleet"], p.root).stdout;
    assert.match(table, /^metal-ams2 +incomplete +baremetal +ams2 +- +- +10\.3\.0\.0\/24 /m);
    assert.match(table, /^4 flag\(s\):$/m);
  });
});
