/**
 * The CLI as a new user runs it: `clusterkit validate` on the examples, and the acceptance table of
 * bad inputs — each exits 2 with `<file>: <path>: <message>`, prints no stack trace and writes nothing.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { after, describe, it } from "node:test";
import { parse, stringify } from "yaml";
import { clusterkit } from "./support/cli";
import { listFiles, tempProject } from "./support/temp-project";

type Edit = (p: ReturnType<typeof tempProject>) => void;

function editYaml(p: ReturnType<typeof tempProject>, rel: string, fn: (doc: Record<string, any>) => void): void {
  const doc = parse(p.read(rel));
  fn(doc);
  p.write(rel, stringify(doc));
}

/** `planStack`: the stack whose plan the bad input breaks; null when only validate, the fleet gate, fails on it. */
const badInputs: { name: string; edit: Edit; line: RegExp; planStack: string | null }[] = [
  {
    name: "a misspelled key",
    edit: (p) => editYaml(p, "blueprints/baremetal-ha.yaml", (d) => { d.controlPlane.cuont = d.controlPlane.count; delete d.controlPlane.count; }),
    line: /^blueprints\/baremetal-ha\.yaml: controlPlane\.cuont: unknown key\n  hint: did you mean 'count'\?$/m,
    planStack: "metal-nyc1",
  },
  {
    name: "overlapping CIDRs between two stacks",
    edit: (p) => editYaml(p, "stacks/Pulumi.metal-nyc1.yaml", (d) => { d.config["clusterkit:variables"].podCidr = "10.66.128.0/17"; }),
    line: /^stacks\/Pulumi\.metal-nyc1\.yaml: config\.clusterkit:variables\.podCidr: the pod range overlaps the pod range of stack metal-ber1 \(10\.66\.0\.0\/16, in stacks\/Pulumi\.metal-ber1\.yaml: config\.clusterkit:variables\.podCidr\)/m,
    // A plan of either stack only warns (test/fleet-drafts.test.ts).
    planStack: null,
  },
  {
    name: "an even control-plane count",
    edit: (p) => editYaml(p, "blueprints/vsphere-ha.yaml", (d) => { d.controlPlane.count = 4; }),
    line: /^blueprints\/vsphere-ha\.yaml: controlPlane\.count: must be odd .*\(expected 1, 3 or 5, found 4\)$/m,
    planStack: "vsphere-fra1",
  },
  {
    name: "Flannel on EKS",
    edit: (p) => editYaml(p, "blueprints/eks-standard.yaml", (d) => { d.cni = { kind: "flannel" }; }),
    line: /^blueprints\/eks-standard\.yaml: cni\.kind: flannel is not allowed on eks/m,
    planStack: "prod-us-east-1",
  },
  {
    name: "an http OIDC issuer",
    edit: (p) => editYaml(p, "blueprints/eks-standard.yaml", (d) => { d.oidc.issuerUrl = "http://login.example.com/realms/platform"; }),
    line: /^blueprints\/eks-standard\.yaml: oidc\.issuerUrl: the API server only trusts OIDC issuers over https \(expected an https:\/\/ URL, found "http:\/\/login\.example\.com\/realms\/platform"\)$/m,
    planStack: "prod-us-east-1",
  },
  {
    name: "a YAML syntax error",
    edit: (p) => p.write("stacks/Pulumi.metal-ber1.yaml", "config:\n  clusterkit:blueprint: [unclosed\n"),
    line: /^stacks\/Pulumi\.metal-ber1\.yaml: line \d+, column \d+: is not valid YAML/m,
    planStack: "metal-ber1",
  },
];

describe("clusterkit validate", () => {
  it("accepts every example stack", () => {
    const r = clusterkit(["validate"]);
    assert.equal(r.code, 0, r.stderr);
    for (const s of ["prod-us-east-1", "prod-eu-west-1", "vsphere-fra1", "vsphere-ams1", "metal-ber1", "metal-nyc1"]) assert.match(r.stdout, new RegExp(`^ok  ${s} `, "m"));
    assert.match(r.stderr, /pulumi config set --secret clusterkit:sshPrivateKey --stack metal-ber1/);
  });

  it("--json is a stable document", () => {
    const r = clusterkit(["validate", "--json", "--stack", "metal-ber1"]);
    assert.equal(r.code, 0, r.stderr);
    const doc = JSON.parse(r.stdout);
    assert.equal(doc.apiVersion, "clusterkit.dev/validate/v1");
    assert.equal(doc.ok, true);
    assert.deepEqual(doc.stacks.map((s: { name: string }) => s.name), ["metal-ber1"]);
    assert.deepEqual(Object.keys(doc.stacks[0]), ["name", "blueprint", "platform", "region", "warnings", "missingSecrets"]);
  });

  it("names an unknown stack", () => {
    const r = clusterkit(["validate", "--stack", "nope"]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^stacks\/Pulumi\.nope\.yaml: \(file\): does not exist/m);
  });

  const projects: ReturnType<typeof tempProject>[] = [];
  after(() => projects.forEach((p) => p.cleanup()));
  for (const bad of badInputs) {
    for (const command of [["validate"], ...(bad.planStack ? [["plan", "--stack", bad.planStack, "--out", "plan-out"]] : [])]) {
      it(`${command[0]}: ${bad.name} exits 2 with file, path and message and writes nothing`, () => {
        const p = tempProject();
        projects.push(p);
        bad.edit(p);
        const before = listFiles(p.root);
        const r = clusterkit(command, p.root);
        assert.equal(r.code, 2, `stdout:\n${r.stdout}\nstderr:\n${r.stderr}`);
        assert.match(r.stderr, bad.line);
        assert.doesNotMatch(r.stderr + r.stdout, /\n\s+at .+\(.+:\d+:\d+\)|ZodError|TypeError/);
        assert.match(r.stderr, /nothing was written/);
        assert.deepEqual(listFiles(p.root), before);
        assert.ok(!fs.existsSync(path.join(p.root, "plan-out")));
      });
    }
  }
});

describe("clusterkit --help", () => {
  for (const cmd of [[], ["validate"], ["plan"], ["schema"]]) {
    it(`${cmd.join(" ") || "(top)"} --help exits 0`, () => {
      const r = clusterkit([...cmd, "--help"]);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /Usage: clusterkit/);
    });
  }
  it("an unknown command is invalid input", () => {
    const r = clusterkit(["frobnicate"]);
    assert.equal(r.code, 2);
  });
});
