/**
 * Every field name of every rendered kubeadm, kubelet, kube-proxy, API server, audit and
 * encryption object exists in the upstream Go types (field lists in test/reference).
 */
import * as assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseAllDocuments } from "yaml";
import type { ClusterSpec } from "../core/spec";
import { kubeadmArtifacts, nodeFiles } from "../core/render/kubeadm";
import { checkObject } from "./render-kubeadm-fields";
import { kubeadmStacks, oidc, realSecrets, stackSpec, withVersion } from "./render-kubeadm-specs";

function docsOf(yamlText: string): unknown[] {
  return parseAllDocuments(yamlText).map((d) => d.toJSON());
}

/** All config objects (not the kube-vip Pod, which the compiler checks against the core/v1 types). */
function renderedObjects(spec: ClusterSpec): { where: string; obj: unknown }[] {
  const out: { where: string; obj: unknown }[] = [];
  for (const a of kubeadmArtifacts(spec)) {
    if (a.path.startsWith("manifests/")) continue;
    docsOf(a.content).forEach((obj, i) => out.push({ where: `${a.path}#${i}`, obj }));
  }
  for (const node of spec.nodes) {
    const n = node.address ? node : { ...node, address: "10.9.9.9" };
    for (const f of nodeFiles(spec, n, realSecrets)) {
      if (f.path.includes("/manifests/")) continue;
      docsOf(f.content).forEach((obj, i) => out.push({ where: `${n.name}:${f.path}#${i}`, obj }));
    }
  }
  return out;
}

const variants: [string, () => ClusterSpec][] = [
  ...kubeadmStacks.map((s): [string, () => ClusterSpec] => [s, () => stackSpec(s)]),
  ["metal-ber1 with OIDC", () => ({ ...stackSpec("metal-ber1"), oidc })],
  ["vsphere-fra1 on 1.33 (authentication v1beta1)", () => withVersion(stackSpec("vsphere-fra1"), "1.33.5")],
  ["vsphere-fra1 on 1.31 (v1beta1, no anonymous endpoints)", () => withVersion(stackSpec("vsphere-fra1"), "1.31.9")],
  ["vsphere-fra1 on 1.29 (--oidc-* flags)", () => withVersion(stackSpec("vsphere-fra1"), "1.29.15")],
  [
    "metal-ber1 with audit and encryption off, anonymous kubelet",
    () => {
      const s = stackSpec("metal-ber1");
      s.security = { ...s.security, auditLog: { ...s.security.auditLog, enabled: false }, encryptionAtRest: { enabled: false }, kubeletAnonymousAuth: true };
      return s;
    },
  ],
];

describe("rendered field names match the upstream types", () => {
  for (const [name, make] of variants) {
    it(name, () => {
      const objs = renderedObjects(make());
      assert.ok(objs.length >= 8, `expected the full set of objects, got ${objs.length}`);
      const problems = objs.flatMap(({ where, obj }) => checkObject(obj).map((p) => `${where}: ${p}`));
      assert.deepEqual(problems, []);
    });
  }

  it("covers every kind clusterkit renders", () => {
    const spec = { ...stackSpec("metal-ber1"), oidc };
    const kinds = new Set(renderedObjects(spec).map(({ obj }) => (obj as { kind: string }).kind));
    for (const k of ["InitConfiguration", "ClusterConfiguration", "JoinConfiguration", "KubeletConfiguration", "KubeProxyConfiguration", "AuthenticationConfiguration", "AdmissionConfiguration", "EncryptionConfiguration", "Policy"]) {
      assert.ok(kinds.has(k), `no ${k} rendered`);
    }
  });
});

describe("the field checker", () => {
  const init = () => docsOf(kubeadmArtifacts(stackSpec("metal-ber1")).find((a) => a.path === "kubeadm/init.yaml")!.content) as Record<string, any>[]; // eslint-disable-line @typescript-eslint/no-explicit-any

  it("rejects a misspelled top-level field", () => {
    const [initCfg] = init();
    initCfg.nodeRegistation = initCfg.nodeRegistration;
    assert.deepEqual(checkObject(initCfg), ["nodeRegistation: no such field in InitConfiguration"]);
  });

  it("rejects a misspelled field deep inside lists and embedded structs", () => {
    const cluster = init()[1];
    cluster.apiServer.extraArgs[0].vaule = "x";
    cluster.apiServer.extraVolumes[0].readonly = true;
    cluster.apiServer.certSAN = [];
    assert.deepEqual(checkObject(cluster), [
      "apiServer.extraArgs[0].vaule: no such field in Arg",
      "apiServer.extraVolumes[0].readonly: no such field in HostPathMount",
      "apiServer.certSAN: no such field in APIServer",
    ]);
  });

  it("rejects the v1beta3 map form of extraArgs", () => {
    const cluster = init()[1];
    cluster.scheduler.extraArgs = { profiling: "false" };
    assert.deepEqual(checkObject(cluster), ["scheduler.extraArgs: expected a list ([]Arg)"]);
  });

  it("rejects misspelled fields in kubelet, audit and nested plugin configurations", () => {
    const kubelet = init()[2];
    kubelet.authentication.anonymus = { enabled: false };
    assert.deepEqual(checkObject(kubelet), ["authentication.anonymus: no such field in KubeletAuthentication"]);
    const admission = docsOf(kubeadmArtifacts(stackSpec("metal-ber1")).find((a) => a.path === "apiserver/admission-config.yaml")!.content)[0] as any; // eslint-disable-line @typescript-eslint/no-explicit-any
    admission.plugins[0].configuration.defaults.enforceVersion = "latest";
    assert.deepEqual(checkObject(admission), ["plugins[0].configuration.defaults.enforceVersion: no such field in PodSecurityDefaults"]);
  });

  it("rejects an unknown kind and a wrong apiVersion", () => {
    assert.deepEqual(checkObject({ apiVersion: "v1", kind: "Frobnicator" }), ['(root): no field list for kind "Frobnicator"']);
    assert.deepEqual(checkObject({ apiVersion: "kubeadm.k8s.io/v1beta3", kind: "JoinConfiguration" }), ['apiVersion: "kubeadm.k8s.io/v1beta3" is not one of kubeadm.k8s.io/v1beta4']);
  });
});
