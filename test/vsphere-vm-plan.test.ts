/** The pure vSphere layout: VM sizes, disks against the template, DRS groups and tag names. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ClusterkitError } from "../core/errors";
import type { ClusterSpec } from "../core/spec";
import { antiAffinityGroups, cloneDisks, tagCategoryName, vmAnnotation, vmSize, vmTags } from "../core/vsphere/vm-plan";
import { blueprintRaw, resolveRaw, stackConfigRaw } from "./support/fixtures";

type Doc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function specOf(mutate: (bp: Doc, vars: Doc) => void = () => {}): ClusterSpec {
  const bp = blueprintRaw("vsphere-ha");
  const cfg = stackConfigRaw("vsphere-fra1");
  mutate(bp, cfg["clusterkit:variables"]);
  return resolveRaw("vsphere-ha", bp, "vsphere-fra1", cfg).spec;
}

const disk = (size: number, unitNumber = 0) => ({ size, unitNumber, thinProvisioned: true, eagerlyScrub: false });
const issuesOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    if (e instanceof ClusterkitError) return e.issues;
    throw e;
  }
  assert.fail("expected a ClusterkitError");
};

describe("VM sizes", () => {
  const spec = specOf();
  it("control planes take controlPlane.size, workers their pool's", () => {
    assert.deepEqual(vmSize(spec.nodes[0]), { cpus: 4, memoryMiB: 8192, diskGiB: 80 });
    assert.deepEqual(vmSize(spec.nodes[3]), { cpus: 8, memoryMiB: 16384, diskGiB: 120 });
  });
  it("annotates each VM with its role, cluster and stack", () => {
    assert.match(vmAnnotation(spec, spec.nodes[0]), /^Kubernetes control plane of cluster vsphere-fra1 \(stack vsphere-fra1, blueprint vsphere-ha\)/);
    assert.match(vmAnnotation(spec, spec.nodes[4]), /worker \(pool workers\)/);
  });
});

describe("clone disks", () => {
  const spec = specOf();
  const [cp, worker] = [spec.nodes[0], spec.nodes[3]];
  it("grows the root disk to the node's size and keeps the template's other disks", () => {
    const disks = cloneDisks(spec, worker, { name: "tpl", disks: [disk(40), { ...disk(10, 1), thinProvisioned: false, eagerlyScrub: true }] }, false);
    assert.deepEqual(disks, [
      { label: "disk0", size: 120, unitNumber: 0, thinProvisioned: true, eagerlyScrub: false },
      { label: "disk1", size: 10, unitNumber: 1, thinProvisioned: false, eagerlyScrub: true },
    ]);
  });
  it("accepts a node disk equal to the template's", () => {
    assert.equal(cloneDisks(spec, cp, { name: "tpl", disks: [disk(80)] }, false)[0].size, 80);
  });
  it("refuses to shrink: the blueprint field is named", () => {
    const [issue] = issuesOf(() => cloneDisks(spec, worker, { name: "tpl", disks: [disk(200)] }, false));
    assert.equal(issue.file, "blueprints/vsphere-ha.yaml");
    assert.equal(issue.path, "nodePools.workers.size.diskGiB");
    assert.match(issue.message, /cannot shrink a cloned disk; template tpl has a 200 GiB root disk/);
    assert.equal(issue.expected, ">= 200");
    const [cpIssue] = issuesOf(() => cloneDisks(spec, cp, { name: "tpl", disks: [disk(100)] }, false));
    assert.equal(cpIssue.path, "controlPlane.size.diskGiB");
  });
  it("a linked clone keeps the template's disk size exactly", () => {
    const [issue] = issuesOf(() => cloneDisks(spec, cp, { name: "tpl", disks: [disk(40)] }, true));
    assert.match(issue.message, /linked clone keeps the template's root disk size/);
    assert.match(issue.hint ?? "", /linkedClone off/);
    assert.equal(cloneDisks(spec, cp, { name: "tpl", disks: [disk(80)] }, true)[0].size, 80);
  });
  it("refuses a template without disks", () => {
    const [issue] = issuesOf(() => cloneDisks(spec, cp, { name: "tpl", disks: [] }, false));
    assert.equal(issue.path, "config.clusterkit:variables.template");
  });
});

describe("DRS anti-affinity groups", () => {
  it("one for the control planes and one per worker pool", () => {
    const spec = specOf();
    assert.deepEqual(antiAffinityGroups(spec), [
      { name: "vsphere-fra1-control-plane", nodes: ["vsphere-fra1-cp-1", "vsphere-fra1-cp-2", "vsphere-fra1-cp-3"] },
      { name: "vsphere-fra1-pool-workers", nodes: ["vsphere-fra1-workers-1", "vsphere-fra1-workers-2", "vsphere-fra1-workers-3"] },
    ]);
  });
  it("a pool per group, and no rule for a group of one", () => {
    const spec = specOf((bp, v) => {
      bp.controlPlane.count = 1;
      bp.nodePools.gpu = { count: 1, size: { cpus: 8, memoryMiB: 32768, diskGiB: 200 } };
      bp.nodePools.edge = { count: 2, size: { cpus: 2, memoryMiB: 4096, diskGiB: 40 } };
      v.nodeIps = ["10.3.10.11", "10.3.10.14", "10.3.10.15", "10.3.10.16", "10.3.10.17", "10.3.10.18", "10.3.10.19"];
    });
    assert.deepEqual(antiAffinityGroups(spec), [
      { name: "vsphere-fra1-pool-workers", nodes: ["vsphere-fra1-workers-1", "vsphere-fra1-workers-2", "vsphere-fra1-workers-3"] },
      { name: "vsphere-fra1-pool-edge", nodes: ["vsphere-fra1-edge-1", "vsphere-fra1-edge-2"] },
    ]);
  });
});

describe("tags", () => {
  const spec = specOf();
  it("each VM carries the cluster's tags and its role", () => {
    assert.deepEqual(vmTags(spec, spec.nodes[0]), [
      ["clusterkit.dev/cluster", "vsphere-fra1"],
      ["clusterkit.dev/stack", "vsphere-fra1"],
      ["clusterkit.dev/blueprint", "vsphere-ha"],
      ["clusterkit.dev/region", "fra1"],
      ["clusterkit.dev/role", "control-plane"],
    ]);
    assert.deepEqual(vmTags(spec, spec.nodes[5]).at(-1), ["clusterkit.dev/role", "worker"]);
  });
  it("category names carry the cluster: they are global in a vCenter", () => {
    assert.equal(tagCategoryName(spec, "clusterkit.dev/role"), "clusterkit.dev/role (vsphere-fra1)");
  });
});
