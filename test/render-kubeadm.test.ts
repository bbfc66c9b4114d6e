/** Behaviour of the kubeadm renderers: what each spec setting turns into, per node and per version. */
import * as assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parse, parseAllDocuments } from "yaml";
import { ClusterkitError } from "../core/errors";
import * as kubeadm from "../core/render/kubeadm";
import type { ClusterSpec } from "../core/spec";
import { oidc, realSecrets, stackSpec, withVersion } from "./render-kubeadm-specs";

type Doc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function initDocs(spec: ClusterSpec): Record<string, Doc> {
  const cp = kubeadm.firstControlPlane(spec);
  const docs = parseAllDocuments(kubeadm.renderInitConfig(spec, cp, realSecrets.init)).map((d) => d.toJSON() as Doc);
  return Object.fromEntries(docs.map((d) => [d.kind, d]));
}
const argsOf = (list: { name: string; value: string }[]) => Object.fromEntries(list.map((a) => [a.name, a.value]));
const apiArgs = (spec: ClusterSpec) => argsOf(initDocs(spec).ClusterConfiguration.apiServer.extraArgs);

describe("kubeadm init and cluster configuration", () => {
  const spec = stackSpec("metal-ber1");
  const docs = initDocs(spec);

  it("takes endpoint, SANs, networks, version and node identity from the spec", () => {
    const cc = docs.ClusterConfiguration;
    assert.equal(cc.apiVersion, "kubeadm.k8s.io/v1beta4");
    assert.equal(cc.kubernetesVersion, "v1.34.1");
    assert.equal(cc.controlPlaneEndpoint, "10.5.0.10:6443");
    assert.deepEqual(cc.apiServer.certSANs, spec.controlPlane.certSANs);
    assert.deepEqual(cc.networking, { serviceSubnet: "10.128.64.0/20", podSubnet: "10.66.0.0/16", dnsDomain: "cluster.local" });
    const init = docs.InitConfiguration;
    assert.equal(init.nodeRegistration.name, "ber1-cp-1");
    assert.deepEqual(init.localAPIEndpoint, { advertiseAddress: "10.5.0.11", bindPort: 6443 });
    assert.deepEqual(argsOf(init.nodeRegistration.kubeletExtraArgs), { "node-ip": "10.5.0.11" });
    assert.deepEqual(init.nodeRegistration.taints, [{ key: "node-role.kubernetes.io/control-plane", effect: "NoSchedule" }]);
  });

  it("writes every extraArgs as a v1beta4 list of string {name, value}", () => {
    const cc = docs.ClusterConfiguration;
    for (const list of [cc.apiServer.extraArgs, cc.controllerManager.extraArgs, cc.scheduler.extraArgs, docs.InitConfiguration.nodeRegistration.kubeletExtraArgs]) {
      assert.ok(Array.isArray(list) && list.length > 0);
      for (const a of list) {
        assert.deepEqual(Object.keys(a), ["name", "value"]);
        assert.equal(typeof a.value, "string");
      }
    }
  });

  it("passes the init secrets as given and keeps the init token short-lived", () => {
    const init = docs.InitConfiguration;
    assert.equal(init.bootstrapTokens[0].token, realSecrets.init.bootstrapToken);
    assert.equal(init.bootstrapTokens[0].ttl, "15m0s");
    assert.equal(init.certificateKey, realSecrets.init.certificateKey);
  });

  it("runs kube-proxy with flannel and skips it when Cilium replaces it", () => {
    assert.equal(docs.InitConfiguration.skipPhases, undefined);
    assert.equal(docs.ClusterConfiguration.proxy, undefined);
    assert.equal(docs.KubeProxyConfiguration.clusterCIDR, "10.66.0.0/16");
    const cilium = initDocs(stackSpec("vsphere-fra1"));
    assert.deepEqual(cilium.InitConfiguration.skipPhases, ["addon/kube-proxy"]);
    assert.deepEqual(cilium.ClusterConfiguration.proxy, { disabled: true });
    assert.equal(cilium.KubeProxyConfiguration, undefined);
    const noKpr = stackSpec("vsphere-fra1");
    if (noKpr.cni.kind === "cilium") noKpr.cni.kubeProxyReplacement = false;
    assert.equal(initDocs(noKpr).InitConfiguration.skipPhases, undefined);
  });

  it("binds the API server to 6443 behind an external load balancer and to the VIP port otherwise", () => {
    const lb = stackSpec("metal-ber1");
    lb.controlPlane.endpoint = { kind: "external-lb", host: "api.ber1.example.com", port: 443 };
    const d = initDocs(lb);
    assert.equal(d.ClusterConfiguration.controlPlaneEndpoint, "api.ber1.example.com:443");
    assert.equal(d.InitConfiguration.localAPIEndpoint.bindPort, 6443);
    const vip = stackSpec("metal-ber1");
    vip.controlPlane.endpoint = { kind: "kube-vip", host: "10.5.0.10", port: 8443, interface: "eth1" };
    assert.equal(initDocs(vip).InitConfiguration.localAPIEndpoint.bindPort, 8443);
  });
});

describe("kubelet configuration", () => {
  it("has the secure defaults and the cluster DNS", () => {
    const k = parse(kubeadm.renderKubeletConfig(stackSpec("metal-ber1")));
    assert.equal(k.cgroupDriver, "systemd");
    assert.deepEqual(k.authentication.anonymous, { enabled: false });
    assert.equal(k.authentication.webhook.enabled, true);
    assert.equal(k.authorization.mode, "Webhook");
    assert.equal(k.readOnlyPort, 0);
    assert.equal(k.rotateCertificates, true);
    assert.equal(k.serverTLSBootstrap, true);
    assert.equal(k.protectKernelDefaults, true);
    assert.deepEqual(k.clusterDNS, ["10.128.64.10"]);
    assert.equal(k.clusterDomain, "cluster.local");
  });

  it("turns anonymous auth on only when the blueprint asks", () => {
    const spec = stackSpec("metal-ber1");
    spec.security.kubeletAnonymousAuth = true;
    assert.deepEqual(parse(kubeadm.renderKubeletConfig(spec)).authentication.anonymous, { enabled: true });
  });
});

describe("API server authentication by Kubernetes version", () => {
  const fra = () => stackSpec("vsphere-fra1"); // has OIDC

  it("uses the GA v1 AuthenticationConfiguration from 1.34, with the spec's issuer, claims and prefixes", () => {
    const a = parse(kubeadm.renderAuthenticationConfig(fra())!);
    assert.equal(a.apiVersion, "apiserver.config.k8s.io/v1");
    assert.deepEqual(a.jwt, [
      {
        issuer: { url: "https://login.example.com/realms/platform", audiences: ["kubernetes"] },
        claimMappings: { username: { claim: "email", prefix: "oidc:" }, groups: { claim: "groups", prefix: "oidc:" } },
      },
    ]);
    assert.deepEqual(a.anonymous.conditions.map((c: { path: string }) => c.path), ["/livez", "/readyz", "/healthz", "/api/v1/namespaces/kube-public/configmaps/cluster-info"]);
    const args = apiArgs(fra());
    assert.equal(args["authentication-config"], kubeadm.kubeadmPaths.authenticationConfigPath);
    assert.ok(!Object.keys(args).some((k) => k.startsWith("oidc-")));
  });

  it("uses v1beta1 on 1.30–1.33, and restricts anonymous endpoints only from 1.32", () => {
    const v133 = parse(kubeadm.renderAuthenticationConfig(withVersion(fra(), "1.33.5"))!);
    assert.equal(v133.apiVersion, "apiserver.config.k8s.io/v1beta1");
    assert.ok(v133.anonymous);
    const v131 = parse(kubeadm.renderAuthenticationConfig(withVersion(fra(), "1.31.9"))!);
    assert.equal(v131.apiVersion, "apiserver.config.k8s.io/v1beta1");
    assert.equal(v131.anonymous, undefined);
    assert.equal(kubeadm.renderAuthenticationConfig(withVersion(stackSpec("metal-ber1"), "1.31.9")), null, "nothing to configure without OIDC before 1.32");
  });

  it("falls back to --oidc-* flags before 1.30", () => {
    const spec = withVersion(fra(), "1.29.15");
    assert.equal(kubeadm.renderAuthenticationConfig(spec), null);
    const args = apiArgs(spec);
    assert.equal(args["authentication-config"], undefined);
    assert.deepEqual(
      Object.fromEntries(Object.entries(args).filter(([k]) => k.startsWith("oidc-"))),
      { "oidc-issuer-url": oidc.issuerUrl, "oidc-client-id": "kubernetes", "oidc-username-claim": "email", "oidc-username-prefix": "oidc:", "oidc-groups-claim": "groups", "oidc-groups-prefix": "oidc:" },
    );
  });
});

describe("audit, encryption and admission", () => {
  it("points the API server at the audit policy with the spec's rotation", () => {
    const spec = stackSpec("metal-ber1");
    spec.security.auditLog = { enabled: true, maxAgeDays: 7, maxBackups: 3, maxSizeMB: 50 };
    const args = apiArgs(spec);
    assert.equal(args["audit-log-maxage"], "7");
    assert.equal(args["audit-log-maxbackup"], "3");
    assert.equal(args["audit-log-maxsize"], "50");
    assert.equal(args["audit-policy-file"], kubeadm.kubeadmPaths.auditPolicyPath);
    const policy = parse(kubeadm.renderAuditPolicy(spec)!);
    const secretsRule = policy.rules.find((r: Doc) => r.resources?.some((g: Doc) => g.resources.includes("secrets")));
    assert.equal(secretsRule.level, "Metadata", "secret bodies must never reach the audit log");
  });

  it("drops the audit policy, flags and log volume when audit is off", () => {
    const spec = stackSpec("metal-ber1");
    spec.security.auditLog.enabled = false;
    assert.equal(kubeadm.renderAuditPolicy(spec), null);
    assert.ok(!Object.keys(apiArgs(spec)).some((k) => k.startsWith("audit-")));
    assert.ok(!initDocs(spec).ClusterConfiguration.apiServer.extraVolumes.some((v: Doc) => v.name === "audit-log"));
  });

  it("encrypts Secrets with the key it is given, and nothing when encryption is off", () => {
    const spec = stackSpec("metal-ber1");
    const enc = parse(kubeadm.renderEncryptionConfig(spec, realSecrets.encryption)!);
    assert.deepEqual(enc.resources[0].resources, ["secrets"]);
    assert.deepEqual(enc.resources[0].providers, [{ secretbox: { keys: realSecrets.encryption.keys } }, { identity: {} }]);
    assert.deepEqual(parse(kubeadm.renderEncryptionConfig(spec, realSecrets.encryption, { configMaps: true })!).resources[0].resources, ["secrets", "configmaps"]);
    assert.equal(apiArgs(spec)["encryption-provider-config"], kubeadm.kubeadmPaths.encryptionConfigPath);
    assert.throws(() => kubeadm.renderEncryptionConfig(spec, { keys: [] }), ClusterkitError);
    spec.security.encryptionAtRest.enabled = false;
    assert.equal(kubeadm.renderEncryptionConfig(spec, realSecrets.encryption), null);
    assert.equal(apiArgs(spec)["encryption-provider-config"], undefined);
  });

  it("sets Pod Security defaults and exemptions from the spec", () => {
    const spec = stackSpec("metal-ber1");
    spec.security.podSecurity = { enforce: "restricted", audit: "restricted", warn: "restricted", exemptNamespaces: ["kube-system", "metallb-system"] };
    const plugin = parse(kubeadm.renderAdmissionConfig(spec)).plugins[0];
    assert.equal(plugin.name, "PodSecurity");
    assert.deepEqual(plugin.configuration.defaults, { enforce: "restricted", "enforce-version": "latest", audit: "restricted", "audit-version": "latest", warn: "restricted", "warn-version": "latest" });
    assert.deepEqual(plugin.configuration.exemptions.namespaces, ["kube-system", "metallb-system"]);
    assert.equal(apiArgs(spec)["admission-control-config-file"], kubeadm.kubeadmPaths.admissionConfigPath);
  });
});

describe("join configuration", () => {
  const spec = stackSpec("metal-ber1");
  const [, cp2] = spec.nodes;
  const worker = spec.nodes.find((n) => n.role === "worker")!;

  it("joins workers with the per-join token and CA hash, no control-plane section", () => {
    const j = parse(kubeadm.renderJoinConfig(spec, worker, { token: realSecrets.join.token, caCertHash: realSecrets.join.caCertHash }));
    assert.deepEqual(j.discovery.bootstrapToken, { apiServerEndpoint: "10.5.0.10:6443", token: realSecrets.join.token, caCertHashes: [realSecrets.join.caCertHash] });
    assert.equal(j.controlPlane, undefined);
    assert.deepEqual(j.nodeRegistration.taints, []);
    assert.deepEqual(argsOf(j.nodeRegistration.kubeletExtraArgs), { "node-ip": "10.5.0.14", "node-labels": "clusterkit.dev/pool=workers" });
  });

  it("joins control planes with the certificate key and their own API endpoint", () => {
    const j = parse(kubeadm.renderJoinConfig(spec, cp2, realSecrets.join));
    assert.deepEqual(j.controlPlane, { localAPIEndpoint: { advertiseAddress: "10.5.0.12", bindPort: 6443 }, certificateKey: realSecrets.join.certificateKey });
    assert.throws(() => kubeadm.renderJoinConfig(spec, cp2, { token: "t", caCertHash: "h" }), /certificate key/);
  });

  it("refuses labels kubelet may not set on itself, naming where they come from", () => {
    const s = stackSpec("metal-ber1");
    s.nodePools[0].labels["node-role.kubernetes.io/worker"] = "";
    const w = s.nodes.find((n) => n.role === "worker")!;
    w.labels = { ...w.labels, "node-role.kubernetes.io/worker": "", "node.kubernetes.io/exclude-from-external-load-balancers": "true" };
    try {
      kubeadm.renderJoinConfig(s, w, realSecrets.join);
      assert.fail("expected a ClusterkitError");
    } catch (e) {
      assert.ok(e instanceof ClusterkitError);
      assert.deepEqual(e.issues.map((i) => `${i.file}: ${i.path}`), ["blueprints/baremetal-ha.yaml: nodePools.workers.labels.node-role.kubernetes.io/worker"]);
    }
  });

  it("needs an address for nodes whose DHCP lease is not known yet", () => {
    const s = stackSpec("vsphere-fra1");
    const w = { ...s.nodes[4], address: null };
    assert.throws(() => kubeadm.renderJoinConfig(s, w, realSecrets.join), /no address yet/);
    assert.match(kubeadm.renderJoinConfig(s, { ...w, address: "10.3.10.99" }, realSecrets.join), /node-ip\n\s+value: 10\.3\.10\.99/);
  });
});
