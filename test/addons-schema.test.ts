/**
 * Every Helm values object and every Kubernetes object the add-ons render, for every combination
 * the rules allow, checked against the charts' and the API's own definitions (test/addons-support).
 * The last block proves each check fails on the mistakes it exists to catch.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { AddonPlan } from "../core/render/addons/plan";
import { addonPlan } from "../core/render/addons/plan";
import type { K8sObject } from "../core/render/addons/k8s";
import type { ReleasePlan } from "../core/render/addons/helm";
import { storageSecrets } from "../core/render/addons/storage";
import { weaveObjects } from "../core/render/addons/weave";
import { cniReleases, ingressCharts } from "../core/versions";
import { objectProblems } from "./addons-support/k8s-check";
import { combinations, specFor, storageVariants } from "./addons-support/specs";
import { loadReference, pathsMissingFromDefaults, pathsMissingFromSchema, schemaProblems } from "./addons-support/values-check";

type Json = Record<string, unknown>;

const ciliumSchema = loadReference("cilium-values.schema.json") as Json;
const flannelDefaults = loadReference("flannel-values.yaml") as Json;
const nginxDefaults = loadReference("ingress-nginx-values.yaml") as Json;

/** The reference data is for exactly the pinned chart versions. */
const referencePins = { cilium: "1.20.0", flannel: "v0.28.9", "ingress-nginx": "4.15.1" };

function releases(plan: AddonPlan): ReleasePlan[] {
  return [plan.cni, ...plan.storage, ...plan.ingress].flatMap((i) => i.releases);
}

function objects(plan: AddonPlan, secretsOf: K8sObject[]): K8sObject[] {
  return [plan.networkIdentity, ...[plan.cni, ...plan.storage, ...plan.ingress].flatMap((i) => [...i.namespaces, ...(i.prerequisites ?? []), ...i.objects]), ...plan.oidc, ...secretsOf];
}

/** Problems of one release's values against whatever the chart's reference data offers. */
function valuesProblems(r: ReleasePlan): string[] {
  switch (r.chart.chart) {
    case "cilium":
      return [...schemaProblems(ciliumSchema, r.values), ...pathsMissingFromSchema(ciliumSchema, r.values).map((p) => `${p} is not a key of the cilium chart`)];
    case "flannel":
      return pathsMissingFromDefaults(flannelDefaults, r.values).map((p) => `${p} is not a key of the flannel chart`);
    case "ingress-nginx":
      return pathsMissingFromDefaults(nginxDefaults, r.values).map((p) => `${p} is not a key of the ingress-nginx chart`);
    default:
      return [];
  }
}

const all = [...combinations(), ...storageVariants()];

describe("reference data matches the pins", () => {
  it("Cilium, Flannel and ingress-nginx are pinned to the versions of the reference data", () => {
    assert.equal(cniReleases.cilium.chart.version, referencePins.cilium);
    assert.equal(cniReleases.flannel.chart.version, referencePins.flannel);
    assert.equal(ingressCharts["ingress-nginx"].version, referencePins["ingress-nginx"]);
    assert.equal((flannelDefaults.flannel as { image: { tag: string } }).image.tag, referencePins.flannel);
  });
});

describe("Helm values pass the charts' own checks", () => {
  for (const c of all) {
    it(c.label, () => {
      const problems = releases(addonPlan(c.spec)).flatMap((r) => valuesProblems(r).map((p) => `${r.name}: ${p}`));
      assert.deepEqual(problems, []);
    });
  }
});

/** Every image-naming value in Helm values or objects: container `image`s, and the charts' `repository`/`registry` keys. */
function imageRefs(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) value.forEach((v) => imageRefs(v, out));
  else if (value && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) {
      if (["image", "repository", "registry"].includes(k) && typeof v === "string") out.push(v);
      else imageRefs(v, out);
    }
  }
  return out;
}

describe("air-gapped: the image mirror reaches every image clusterkit sets, and the values still pass the charts' checks", () => {
  const mirror = "registry.example.internal:5000/mirror";
  for (const c of all) {
    it(c.label, () => {
      const plan = addonPlan({ ...c.spec, mirrors: { images: mirror, charts: null } });
      const problems = releases(plan).flatMap((r) => valuesProblems(r).map((p) => `${r.name}: ${p}`));
      assert.deepEqual(problems, []);
      const refs = imageRefs([releases(plan).map((r) => r.values), objects(plan, [])]);
      assert.deepEqual(refs.filter((r) => !r.startsWith(`${mirror}/`)), []);
      const cniValues = plan.cni.releases[0]?.values;
      if (cniValues) assert.ok(imageRefs(cniValues).length > 0, "the CNI chart's images are set");
    });
  }
});

describe("Kubernetes objects are valid, with no unknown fields and DNS names", () => {
  for (const c of all) {
    it(c.label, () => {
      const secrets = storageSecrets(c.spec, { vspherePassword: "pw", cephUserKey: "key" });
      const problems = objects(addonPlan(c.spec), secrets).flatMap((o) => objectProblems(o));
      assert.deepEqual(problems, []);
    });
  }
});

describe("the checks fail on what they exist to catch", () => {
  it("a Cilium key the 1.20 schema does not declare, and a mistyped value", () => {
    const spec = specFor("vsphere", (bp) => void (bp.cni.values = { egressMasqueradeInterfaces: "eth+", hubble: { relay: { enabled: "yes" } } }));
    const cilium = releases(addonPlan(spec)).find((r) => r.name === "cilium")!;
    const problems = valuesProblems(cilium);
    assert.ok(problems.includes("egressMasqueradeInterfaces is not a key of the cilium chart"), problems.join("\n"));
    assert.ok(problems.some((p) => /\/hubble\/relay\/enabled must be boolean/.test(p)), problems.join("\n"));
  });

  it("Flannel and ingress-nginx keys that their default values do not have", () => {
    const flannel = specFor("baremetal", (bp) => void (bp.cni.values = { flannel: { backendType: "vxlan" } }));
    assert.deepEqual(valuesProblems(addonPlan(flannel).cni.releases[0]), ["flannel.backendType is not a key of the flannel chart"]);
    const nginx = specFor("eks", (bp) => void (bp.ingress.values = { controller: { replicas: 3, service: { annotations: { "any/key": "is fine" } } } }));
    assert.deepEqual(valuesProblems(addonPlan(nginx).ingress[0].releases[0]), ["controller.replicas is not a key of the ingress-nginx chart"]);
  });

  it("an unknown field, a wrong type and a bad name in a Kubernetes object", () => {
    const [sc] = addonPlan(specFor("eks")).storage[1].objects;
    const broken = { ...sc, metadata: { ...sc.metadata, name: "Fast_SSD" }, volumeBindingMode: "Later", allowVolumeExpansions: true };
    const problems = objectProblems(broken);
    assert.ok(problems.some((p) => p.includes('metadata.name "Fast_SSD" is not a DNS subdomain')), problems.join("\n"));
    assert.ok(problems.some((p) => p.includes("/volumeBindingMode")), problems.join("\n"));
    assert.ok(problems.some((p) => p.includes("unknown field /allowVolumeExpansions")), problems.join("\n"));
  });

  it("an unknown field deep in a pod template, and in a MetalLB resource", () => {
    const ds = weaveObjects().find((o) => o.kind === "DaemonSet")!;
    const template = (ds.spec as { template: { spec: { containers: Json[] } } }).template;
    template.spec.containers[0].securityContexts = { privileged: true };
    assert.ok(objectProblems(ds).some((p) => p.endsWith("unknown field /spec/template/spec/containers/0/securityContexts")));
    const pool = addonPlan(specFor("baremetal")).ingress[0].objects[0];
    assert.deepEqual(objectProblems({ ...pool, spec: { ...(pool.spec as Json), address: ["10.0.0.1-10.0.0.2"] } }), ["metallb.io/v1beta1/IPAddressPool ingress: unknown field /spec/address"]);
  });
});
