/**
 * The vSphere CPI and CSI driver are gated per Kubernetes minor, as the CNI is: the CPI is only
 * supported against its own minor, the CSI driver only inside its release's Kubernetes range. A
 * minor without a supported release is refused by `resolve()` at `kubernetesVersion`.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { storageInstalls } from "../core/render/addons/storage";
import { vsphereCpiChart, vsphereCsiRelease } from "../core/versions";
import { blueprintRaw, describeIssues, issuesOf, resolveRaw, stackConfigRaw } from "./support/fixtures";

type Doc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function fra1(mutate: (bp: Doc) => void = () => {}) {
  const bp = blueprintRaw("vsphere-ha");
  mutate(bp);
  return resolveRaw("vsphere-ha", bp, "vsphere-fra1", stackConfigRaw("vsphere-fra1"));
}
const images = (objects: Doc[]) =>
  objects.flatMap((o) => (o.spec?.template?.spec?.containers ?? []).map((c: Doc) => c.image as string)).sort();

describe("vSphere CPI and CSI versions per Kubernetes minor", () => {
  it("Kubernetes 1.34 gets the 1.34 CPI chart and the v3.8.0 CSI image set", () => {
    const { spec } = fra1();
    assert.equal(spec.kubernetes.minor, "1.34");
    const [drivers] = storageInstalls(spec);
    assert.deepEqual(drivers.releases.map((r) => [r.name, r.chart.version]), [["vsphere-cpi", "1.34.0"]]);
    const imgs = images(drivers.objects as Doc[]);
    assert.ok(imgs.includes("registry.k8s.io/csi-vsphere/driver:v3.8.0"), imgs.join("\n"));
    assert.ok(imgs.includes("registry.k8s.io/csi-vsphere/syncer:v3.8.0"));
    assert.ok(imgs.includes("registry.k8s.io/sig-storage/csi-attacher:v4.10.0"));
    assert.ok(imgs.includes("registry.k8s.io/sig-storage/csi-node-driver-registrar:v2.14.0"));
    assert.deepEqual(imgs.filter((i) => /v3\.3\.0/.test(i)), [], "no image of the old v3.3.0 set is left");
  });

  it("each supported kubeadm minor gets the CPI chart of that very minor", () => {
    // 1.35 is the newest minor the blueprint's Cilium is tested with.
    for (const minor of ["1.35"]) {
      const { spec } = fra1((bp) => (bp.kubernetesVersion = minor));
      const [drivers] = storageInstalls(spec);
      assert.equal(drivers.releases.find((r) => r.name === "vsphere-cpi")?.chart.version.split(".").slice(0, 2).join("."), minor);
    }
    for (const minor of ["1.32", "1.33", "1.34", "1.35", "1.36"]) assert.equal(vsphereCpiChart(minor)?.version.startsWith(`${minor}.`), true, minor);
    assert.equal(vsphereCpiChart("1.31"), null);
    assert.equal(vsphereCsiRelease("1.33"), null, "v3.8.0 is recommended from 1.34 on");
    assert.equal(vsphereCsiRelease("1.37"), null);
  });

  it("a minor without a supported CSI release is refused at kubernetesVersion when a vsphere class exists", () => {
    const issues = issuesOf(() => fra1((bp) => (bp.kubernetesVersion = "1.33")));
    const hit = issues.find((i) => i.path === "kubernetesVersion" && /vSphere CSI driver/.test(i.message));
    assert.ok(hit, describeIssues(issues));
    assert.equal(hit.file, "blueprints/vsphere-ha.yaml");
    assert.equal(hit.found, "1.33");
    assert.equal(hit.expected, "1.34 to 1.36");
    assert.ok(hit.hint);
  });

  it("without a vsphere storage class, only the CPI gates the minor", () => {
    const { spec } = fra1((bp) => {
      bp.kubernetesVersion = "1.33";
      bp.storage.classes = { local: { kind: "local-path", default: true } };
    });
    const [drivers] = storageInstalls(spec);
    assert.deepEqual(drivers.releases.map((r) => [r.name, r.chart.version]), [["vsphere-cpi", "1.33.0"]]);
  });
});
