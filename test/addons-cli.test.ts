/**
 * `clusterkit validate` on invalid add-on choices, as users run it: in a copy of the project with
 * one blueprint or stack changed. Each must exit 2 and explain itself with the file and field.
 */
import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { parse, stringify } from "yaml";
import { clusterkit } from "./support/cli";
import { tempProject } from "./support/temp-project";

type Raw = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const projects: ReturnType<typeof tempProject>[] = [];
after(() => projects.forEach((p) => p.cleanup()));

function withChange(file: string, change: (doc: Raw) => void): string {
  const p = tempProject("clusterkit-addons-cli-");
  projects.push(p);
  const doc = parse(p.read(file)) as Raw;
  change(doc);
  p.write(file, stringify(doc));
  return p.root;
}

describe("clusterkit validate refuses invalid add-on choices", () => {
  it("Weave without the acknowledgement", () => {
    const root = withChange("blueprints/baremetal-ha.yaml", (bp) => void (bp.cni = { kind: "weave" }));
    const r = clusterkit(["validate"], root);
    assert.equal(r.code, 2, r.stdout + r.stderr);
    assert.match(r.stderr, /blueprints\/baremetal-ha\.yaml: cni\.acknowledgeUnmaintained: Weave Net has been unmaintained since 2021/);
    assert.match(r.stderr, /set acknowledgeUnmaintained: true to use it anyway/);
  });

  it("two default storage classes", () => {
    const root = withChange("blueprints/vsphere-ha.yaml", (bp) => void (bp.storage.classes["vsan-retain"].default = true));
    const r = clusterkit(["validate"], root);
    assert.equal(r.code, 2, r.stdout + r.stderr);
    assert.match(r.stderr, /blueprints\/vsphere-ha\.yaml: storage\.classes: exactly one storage class must be the default \(expected 1 class with default: true, found 2 \(vsan-default, vsan-retain\)\)/);
  });

  it("Cilium kube-proxy replacement without a control-plane endpoint", () => {
    const root = withChange("stacks/Pulumi.vsphere-fra1.yaml", (stack) => {
      const config = stack.config as Raw;
      config["clusterkit:overrides"] = { controlPlane: { count: 1, endpoint: { kind: "first-node" } } };
      const vars = config["clusterkit:variables"] as Raw;
      for (const k of ["nodeIps", "gateway", "nameservers"]) delete vars[k];
    });
    const r = clusterkit(["validate", "--stack", "vsphere-fra1"], root);
    assert.equal(r.code, 2, r.stdout + r.stderr);
    assert.match(r.stderr, /blueprints\/vsphere-ha\.yaml: cni\.kubeProxyReplacement: kube-proxy replacement needs a control-plane endpoint known before Cilium starts/);
    assert.match(r.stderr, /hint: use controlPlane\.endpoint kind kube-vip or external-lb/);
  });

  it("the examples as shipped are valid", () => {
    const r = clusterkit(["validate"]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
  });
});
