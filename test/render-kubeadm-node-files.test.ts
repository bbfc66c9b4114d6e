/** nodeFiles, nodeConfigHash, the kube-vip manifest and the plan artifacts. */
import * as assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parse } from "yaml";
import * as kubeadm from "../core/render/kubeadm";
import { kubeadmPaths as paths } from "../core/render/kubeadm";
import { realSecrets, stackSpec, withVersion } from "./render-kubeadm-specs";

const summary = (files: kubeadm.NodeFile[]) => files.map((f) => `${f.when} ${f.path} ${f.mode}${f.sensitive ? " sensitive" : ""}${f.ephemeral ? " ephemeral" : ""}`);

describe("nodeFiles", () => {
  const spec = stackSpec("metal-ber1");
  const [cp1, cp2] = spec.nodes;
  const worker = spec.nodes.find((n) => n.role === "worker")!;

  it("gives the first control plane the init config, the API server files and kube-vip before and after init", () => {
    assert.deepEqual(summary(kubeadm.nodeFiles(spec, cp1, realSecrets)), [
      `before-kubeadm ${paths.kubeadmConfigPath} 0600 sensitive ephemeral`,
      `before-kubeadm ${paths.auditPolicyPath} 0600`,
      `before-kubeadm ${paths.encryptionConfigPath} 0600 sensitive`,
      `before-kubeadm ${paths.authenticationConfigPath} 0600`,
      `before-kubeadm ${paths.admissionConfigPath} 0600`,
      `before-kubeadm ${paths.kubeVipManifestPath} 0600`,
      `after-kubeadm ${paths.kubeVipManifestPath} 0600`,
    ]);
    assert.deepEqual(kubeadm.kubeadmCommand(spec, cp1), ["kubeadm", "init", "--config", paths.kubeadmConfigPath, "--upload-certs"]);
  });

  it("writes kube-vip on joining control planes only after the join (kubeadm join wants an empty manifests folder)", () => {
    assert.deepEqual(summary(kubeadm.nodeFiles(spec, cp2, realSecrets)), [
      `before-kubeadm ${paths.kubeadmConfigPath} 0600 sensitive ephemeral`,
      `before-kubeadm ${paths.auditPolicyPath} 0600`,
      `before-kubeadm ${paths.encryptionConfigPath} 0600 sensitive`,
      `before-kubeadm ${paths.authenticationConfigPath} 0600`,
      `before-kubeadm ${paths.admissionConfigPath} 0600`,
      `after-kubeadm ${paths.kubeVipManifestPath} 0600`,
    ]);
    assert.deepEqual(kubeadm.kubeadmCommand(spec, cp2), ["kubeadm", "join", "--config", paths.kubeadmConfigPath]);
  });

  it("gives workers only their join config, and no encryption key", () => {
    const files = kubeadm.nodeFiles(spec, worker, { join: { token: realSecrets.join.token, caCertHash: realSecrets.join.caCertHash } });
    assert.deepEqual(summary(files), [`before-kubeadm ${paths.kubeadmConfigPath} 0600 sensitive ephemeral`]);
  });

  it("puts secrets only in sensitive files, and throws when one is missing", () => {
    for (const node of spec.nodes) {
      for (const f of kubeadm.nodeFiles(spec, node, realSecrets)) {
        const holds = [realSecrets.init.bootstrapToken, realSecrets.init.certificateKey, realSecrets.join.token, realSecrets.join.certificateKey!, realSecrets.encryption.keys[0].secret].some((s) =>
          f.content.includes(s),
        );
        assert.equal(holds, f.sensitive, `${node.name} ${f.path}`);
        assert.ok(!f.content.includes("<secret:"), `${node.name} ${f.path} holds a placeholder`);
      }
    }
    assert.throws(() => kubeadm.nodeFiles(spec, cp1, { encryption: realSecrets.encryption }), /init secrets/);
    assert.throws(() => kubeadm.nodeFiles(spec, worker, {}), /join secrets/);
    assert.throws(() => kubeadm.nodeFiles(spec, cp2, { join: realSecrets.join }), /no encryption key/);
  });
});

describe("nodeConfigHash", () => {
  it("is a stable sha256 per node", () => {
    const spec = stackSpec("metal-ber1");
    const hashes = spec.nodes.map((n) => kubeadm.nodeConfigHash(spec, n));
    for (const h of hashes) assert.match(h, /^[0-9a-f]{64}$/);
    assert.deepEqual(spec.nodes.map((n) => kubeadm.nodeConfigHash(stackSpec("metal-ber1"), n)), hashes);
    assert.equal(new Set(hashes).size, hashes.length, "every node has its own config");
  });

  it("changes on control planes only when an API server setting changes", () => {
    const before = stackSpec("metal-ber1");
    const after = stackSpec("metal-ber1");
    after.security.auditLog.maxAgeDays = 90;
    for (const n of before.nodes) {
      const changed = kubeadm.nodeConfigHash(before, n) !== kubeadm.nodeConfigHash(after, n);
      assert.equal(changed, n.role === "control-plane", n.name);
    }
  });

  it("changes everywhere when the Kubernetes version changes", () => {
    const before = stackSpec("metal-ber1");
    const after = withVersion(before, "1.34.2");
    for (const n of before.nodes) assert.notEqual(kubeadm.nodeConfigHash(before, n), kubeadm.nodeConfigHash(after, n), n.name);
  });
});

describe("kube-vip", () => {
  const spec = stackSpec("metal-ber1");
  const [cp1] = spec.nodes;
  const kubeconfigOf = (yaml: string | null) => parse(yaml!).spec.volumes[0].hostPath.path;

  it("announces the VIP in ARP mode with leader election", () => {
    const pod = parse(kubeadm.renderKubeVipManifest(spec, cp1, "steady")!);
    const env = Object.fromEntries(pod.spec.containers[0].env.filter((e: { value?: string }) => e.value !== undefined).map((e: { name: string; value: string }) => [e.name, e.value]));
    assert.equal(env.address, "10.5.0.10");
    assert.equal(env.port, "6443");
    assert.equal(env.vip_arp, "true");
    assert.equal(env.vip_leaderelection, "true");
    assert.equal(env.cp_enable, "true");
    assert.equal(env.svc_enable, "false");
    assert.equal(env.vip_interface, undefined, "no interface given: kube-vip picks the default-route one");
    assert.equal(pod.spec.hostNetwork, true);
    assert.equal(pod.spec.containers[0].image, kubeadm.kubeVipImage);
  });

  it("uses super-admin.conf during init on kubeadm ≥ 1.29 only, admin.conf otherwise", () => {
    assert.equal(kubeconfigOf(kubeadm.renderKubeVipManifest(spec, cp1, "bootstrap")), paths.superAdminKubeconfigPath);
    assert.equal(kubeconfigOf(kubeadm.renderKubeVipManifest(spec, cp1, "steady")), paths.adminKubeconfigPath);
    assert.equal(kubeconfigOf(kubeadm.renderKubeVipManifest(withVersion(spec, "1.28.15"), cp1, "bootstrap")), paths.adminKubeconfigPath);
  });

  it("binds to the configured interface, and is absent on workers and with other endpoints", () => {
    const s = stackSpec("metal-ber1");
    s.controlPlane.endpoint = { kind: "kube-vip", host: "10.5.0.10", port: 6443, interface: "bond0" };
    assert.match(kubeadm.renderKubeVipManifest(s, cp1, "steady")!, /name: vip_interface\n\s+value: bond0/);
    assert.equal(kubeadm.renderKubeVipManifest(s, s.nodes[4], "steady"), null);
    s.controlPlane.endpoint = { kind: "external-lb", host: "lb.example.com", port: 6443 };
    assert.equal(kubeadm.renderKubeVipManifest(s, cp1, "steady"), null);
    assert.ok(!kubeadm.nodeFiles(s, cp1, realSecrets).some((f) => f.path === paths.kubeVipManifestPath));
  });
});

describe("plan artifacts", () => {
  it("writes every kubeadm, kubelet and API server file for a bare-metal stack, with secret placeholders", () => {
    const artifacts = kubeadm.kubeadmArtifacts(stackSpec("metal-ber1"));
    const want = [
      "kubeadm/init.yaml",
      "kubeadm/join-control-plane.yaml",
      "kubeadm/join-worker.yaml",
      "kubelet/config.yaml",
      "apiserver/audit-policy.yaml",
      "apiserver/encryption-config.yaml",
      "apiserver/authentication-config.yaml",
      "apiserver/admission-config.yaml",
      "manifests/kube-vip.yaml",
    ];
    for (const p of want) assert.ok(artifacts.some((a) => a.path === p), `missing ${p}`);
    const all = artifacts.map((a) => a.content).join("\n");
    assert.match(all, /<secret: encryption key>/);
    assert.match(all, /<secret: bootstrap token>/);
  });

  it("uses placeholders for addresses DHCP has not handed out yet", () => {
    const spec = stackSpec("vsphere-fra1");
    spec.nodes = spec.nodes.map((n) => ({ ...n, address: null }));
    const init = kubeadm.kubeadmArtifacts(spec).find((a) => a.path === "kubeadm/init.yaml")!;
    assert.match(init.content, /advertiseAddress: <address of vsphere-fra1-cp-1>/);
  });

  it("writes nothing on EKS", () => {
    assert.deepEqual(kubeadm.kubeadmArtifacts(stackSpec("prod-eu-west-1")), []);
  });
});
