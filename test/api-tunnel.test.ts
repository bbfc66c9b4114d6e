// The API tunnel's pure half: the per-stack port, the plan read from a resolved bare-metal spec and
// the provider's kubeconfig rewrite (core/render/kubeadm/api-tunnel.ts).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parse } from "yaml";
import { apiTunnelPlan, defaultApiTunnelPort, TUNNEL_PORT_MIN, TUNNEL_PORT_SPAN, tunnelledKubeconfig } from "../core/render/kubeadm/api-tunnel";
import { blueprintRaw, issuesOf, resolveRaw, stackConfigRaw } from "./support/fixtures";

const bastion = { address: "bastion.ber1.example.net", user: "jump", hostKey: "SHA256:7JVxfhqFN4muGf1k53XQEHNfPkxCuN+JvEWVectBmpA" };

function ber1(variables: Record<string, unknown>) {
  const config = stackConfigRaw("metal-ber1");
  config["clusterkit:variables"] = { ...config["clusterkit:variables"], ...variables };
  return resolveRaw("baremetal-ha", blueprintRaw("baremetal-ha"), "metal-ber1", config);
}

const adminConf = `apiVersion: v1
kind: Config
clusters:
- cluster:
    certificate-authority-data: Q0EtREFUQQ==
    server: https://10.5.0.10:6443
  name: kubernetes
contexts:
- context:
    cluster: kubernetes
    user: kubernetes-admin
  name: kubernetes-admin@kubernetes
current-context: kubernetes-admin@kubernetes
users:
- name: kubernetes-admin
  user:
    client-certificate-data: Q0VSVA==
    client-key-data: S0VZLURBVEE=
`;

describe("API tunnel port", () => {
  it("is derived from the stack name: the same on every run, in the unprivileged range below the ephemeral ports", () => {
    const p = defaultApiTunnelPort("metal-ber1");
    assert.equal(defaultApiTunnelPort("metal-ber1"), p);
    assert.ok(p >= TUNNEL_PORT_MIN && p < TUNNEL_PORT_MIN + TUNNEL_PORT_SPAN && p < 32768, String(p));
    const ports = new Set(["metal-ber1", "metal-nyc1", "metal-fra1", "metal-ams1", "metal-par1"].map(defaultApiTunnelPort));
    assert.equal(ports.size, 5, "different stacks get different ports");
  });

  it("can be pinned with the stack variable apiTunnelPort, and an out-of-range one is refused in the stack file", () => {
    const platform = ber1({ bastion, apiTunnelPort: 24443 }).spec.platform;
    assert.equal(platform.kind === "baremetal" ? platform.apiTunnelPort : null, 24443);
    const issues = issuesOf(() => ber1({ bastion, apiTunnelPort: 443 }));
    assert.equal(issues.length, 1, JSON.stringify(issues));
    assert.equal(issues[0].file, "stacks/Pulumi.metal-ber1.yaml");
    assert.match(issues[0].path, /clusterkit:variables.*apiTunnelPort/);
    assert.match(issues[0].message, /1024 to 65535/);
    assert.equal(issues[0].found, "443");
  });
});

describe("API tunnel plan", () => {
  it("exists only with a bastion", () => {
    assert.equal(apiTunnelPlan(ber1({}).spec), null);
  });

  it("forwards to the endpoint (the VIP) and checks the certificate against a name the API server certificate carries", () => {
    const { spec } = ber1({ bastion });
    const plan = apiTunnelPlan(spec)!;
    assert.deepEqual(plan, {
      bastion: { ...bastion, port: 22 },
      targetHost: "10.5.0.10",
      targetPort: 6443,
      localPort: defaultApiTunnelPort("metal-ber1"),
      serverName: "10.5.0.10",
    });
    assert.ok(spec.controlPlane.certSANs.includes(plan.serverName), `certSANs ${spec.controlPlane.certSANs.join(",")}`);
  });
});

describe("provider kubeconfig through the tunnel", () => {
  it("points every cluster at the loopback port with tls-server-name, keeping CA, credentials and contexts", () => {
    const out = parse(tunnelledKubeconfig(adminConf, { localPort: 24443, serverName: "10.5.0.10" }));
    const original = parse(adminConf);
    assert.deepEqual(out.clusters, [{ name: "kubernetes", cluster: { "certificate-authority-data": "Q0EtREFUQQ==", server: "https://127.0.0.1:24443", "tls-server-name": "10.5.0.10" } }]);
    assert.deepEqual(out.users, original.users);
    assert.deepEqual(out.contexts, original.contexts);
    assert.equal(out["current-context"], original["current-context"]);
  });

  it("leaves an empty kubeconfig (cluster not created yet) empty", () => {
    assert.equal(tunnelledKubeconfig("", { localPort: 24443, serverName: "x" }), "");
  });

  it("refuses a kubeconfig without clusters without quoting it", () => {
    const secretish = "users:\n- name: a\n  user:\n    token: abcdefghijklmnop\n";
    const issues = issuesOf(() => tunnelledKubeconfig(secretish, { localPort: 24443, serverName: "x" }));
    assert.equal(issues.length, 1);
    assert.doesNotMatch(JSON.stringify(issues), /abcdefghijklmnop/);
  });
});
