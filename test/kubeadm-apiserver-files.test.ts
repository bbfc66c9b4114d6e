// Which API server file changes need a restart and which the server reloads itself, how a preview
// tells them apart, and how the reload metrics are read (pure; the host-fleet scenario is
// baremetal-apiserver-config.test.ts).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { apiServerFileEffect, kubeadmPaths } from "../core/render/kubeadm";
import { authnReloadOutcome, parseAuthnReload } from "../providers/kubeadm/cluster/apiserver";
import { planNodes } from "../providers/kubeadm/plan";
import { oidc as oidcSettings, stackSpec } from "./render-kubeadm-specs";

describe("API server file effects", () => {
  it("admission, audit and encryption need a restart; the authentication config reloads; other files are not the API server's", () => {
    assert.equal(apiServerFileEffect(kubeadmPaths.admissionConfigPath), "restart");
    assert.equal(apiServerFileEffect(kubeadmPaths.auditPolicyPath), "restart");
    assert.equal(apiServerFileEffect(kubeadmPaths.encryptionConfigPath), "restart");
    assert.equal(apiServerFileEffect(kubeadmPaths.authenticationConfigPath), "reload");
    assert.equal(apiServerFileEffect(kubeadmPaths.kubeVipManifestPath), null);
    assert.equal(apiServerFileEffect(kubeadmPaths.kubeadmConfigPath), null);
  });

  it("a preview shows a Pod Security change as apiServerRestartOn, an OIDC change as apiServerReloadOn, on control planes only", () => {
    const spec = stackSpec("metal-ber1");
    const hosts = spec.nodes.map((n, i) => ({ name: n.name, role: n.role, address: n.address ?? `10.9.0.${10 + i}`, ssh: { ...n.ssh }, labels: {}, taints: [] }));
    const base = planNodes(spec, hosts);
    const strict = planNodes({ ...spec, security: { ...spec.security, podSecurity: { ...spec.security.podSecurity, enforce: "restricted" } } }, hosts);
    const oidc = planNodes({ ...spec, oidc: spec.oidc ? { ...spec.oidc, clientId: `${spec.oidc.clientId}-2` } : oidcSettings }, hosts);
    for (const [i, p] of base.entries()) {
      const k = p.kubeadm;
      if (k.role === "worker") {
        assert.equal(k.apiServerRestartOn, "");
        continue;
      }
      assert.match(k.apiServerRestartOn!, /^[0-9a-f]{64}$/);
      assert.notEqual(strict[i].kubeadm.apiServerRestartOn, k.apiServerRestartOn);
      assert.equal(strict[i].kubeadm.apiServerReloadOn, k.apiServerReloadOn);
      assert.equal(oidc[i].kubeadm.apiServerRestartOn, k.apiServerRestartOn);
      assert.notEqual(oidc[i].kubeadm.apiServerReloadOn, k.apiServerReloadOn);
    }
  });
});

describe("authentication config reload metrics", () => {
  const hash = "a".repeat(64);
  const m = "apiserver_authentication_config_controller";
  const metrics = (lines: string[]) => lines.join("\n");

  it("1.34+: the applied config's hash decides", () => {
    const s = parseAuthnReload(hash, metrics([`${m}_last_config_info{apiserver_id_hash="sha256:${"1".repeat(64)}",hash="sha256:${hash}"} 1`]));
    assert.equal(s.appliedHash, hash);
    assert.equal(authnReloadOutcome(s, 1_800_000_000), "applied");
    const old = parseAuthnReload(hash, metrics([`${m}_last_config_info{apiserver_id_hash="sha256:x",hash="sha256:${"b".repeat(64)}"} 1`]));
    assert.equal(authnReloadOutcome(old, 1_700_000_000), "pending");
  });

  it("before 1.34: a successful reload after the write; a refused one after it fails", () => {
    const ok = parseAuthnReload(hash, metrics([`${m}_automatic_reload_last_timestamp_seconds{apiserver_id_hash="sha256:x",status="success"} 1.7331012345e+09`]));
    assert.equal(ok.lastSuccess, 1733101234.5);
    assert.equal(authnReloadOutcome(ok, 1733101234), "applied");
    assert.equal(authnReloadOutcome(ok, 1733101300), "pending", "a reload from before the write says nothing");
    const refused = parseAuthnReload(hash, metrics([`${m}_automatic_reload_last_timestamp_seconds{apiserver_id_hash="sha256:x",status="failure"} 1.7331013e+09`]));
    assert.equal(authnReloadOutcome(refused, 1733101250), "refused");
    assert.equal(authnReloadOutcome(parseAuthnReload(hash, ""), 1), "pending");
  });
});
