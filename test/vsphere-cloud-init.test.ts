/**
 * Rendered cloud-init for vSphere VMs: golden files per template OS and addressing, the structure
 * cloud-init's VMware datasource reads, and the host-key fingerprint against ssh-keygen's.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parse } from "yaml";
import { ed25519FromSeed } from "../cli/plan/mocks/vsphere";
import { cloudInitArtifacts } from "../core/render/cloud-init/artifacts";
import { sshFingerprintSha256 } from "../core/render/cloud-init/fingerprint";
import { encodeGuestinfo, renderGuestinfoMetadata, renderMetaData } from "../core/render/cloud-init/meta-data";
import { renderNetworkConfig } from "../core/render/cloud-init/network-config";
import { renderUserData, type NodeSshKeys } from "../core/render/cloud-init/user-data";
import { renderArtifacts } from "../core/render/artifacts";
import type { ClusterSpec } from "../core/spec";
import { expectGolden } from "./golden/golden";
import { blueprintRaw, resolveRaw, stackConfigRaw } from "./support/fixtures";

type Doc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function specOf(mutate: (bp: Doc, vars: Doc) => void = () => {}): ClusterSpec {
  const bp = blueprintRaw("vsphere-ha");
  const cfg = stackConfigRaw("vsphere-fra1");
  mutate(bp, cfg["clusterkit:variables"]);
  return resolveRaw("vsphere-ha", bp, "vsphere-fra1", cfg).spec;
}
const dhcp = (_bp: Doc, v: Doc) => {
  delete v.nodeIps;
  delete v.gateway;
  delete v.nameservers;
};
const rhel = (bp: Doc) => {
  bp.platform.templateOs = "rhel";
};

// Golden files hold no private key, not even a test one: the private half is a stand-in block.
const keys: NodeSshKeys = {
  authorizedKey: ed25519FromSeed(Buffer.alloc(32, 1)).publicKeyOpenssh,
  hostKey: { privateKeyOpenssh: "(test stand-in for the host private key)\nline 2\n", publicKeyOpenssh: ed25519FromSeed(Buffer.alloc(32, 2)).publicKeyOpenssh },
};

function rendered(spec: ClusterSpec) {
  const node = spec.nodes[0];
  const network = renderNetworkConfig(spec, node);
  return [
    { path: "user-data", content: renderUserData(node, keys) },
    { path: "meta-data", content: renderMetaData(node) },
    { path: "network-config", content: network },
    { path: "guestinfo.metadata", content: renderGuestinfoMetadata(node, network) },
  ];
}

describe("cloud-init golden files", () => {
  const cases: [string, ClusterSpec][] = [
    ["ubuntu-static", specOf()],
    ["ubuntu-dhcp", specOf(dhcp)],
    ["rhel-static", specOf(rhel)],
    ["rhel-dhcp", specOf((bp, v) => (rhel(bp), dhcp(bp, v)))],
  ];
  for (const [name, spec] of cases) it(name, () => expectGolden(`cloud-init/${name}`, rendered(spec)));
});

describe("user-data", () => {
  const spec = specOf();
  const node = spec.nodes[1];
  const text = renderUserData(node, keys);
  const doc = parse(text) as Doc;

  it("is a #cloud-config document", () => assert.match(text, /^#cloud-config\n/));
  it("names the host after the node", () => {
    assert.equal(doc.hostname, node.name);
    assert.equal(doc.fqdn, node.name);
    assert.equal(doc.prefer_fqdn_over_hostname, false);
  });
  it("creates only the SSH user, key-only, with passwordless sudo", () => {
    assert.equal(doc.users.length, 1, "no distro default user");
    const u = doc.users[0];
    assert.equal(u.name, node.ssh.user);
    assert.equal(u.lock_passwd, true);
    assert.equal(u.sudo, "ALL=(ALL) NOPASSWD:ALL");
    assert.deepEqual(u.ssh_authorized_keys, [keys.authorizedKey.trim()]);
    assert.equal(doc.ssh_pwauth, false);
    assert.equal(doc.disable_root, true);
  });
  it("installs exactly the generated host key and no other type", () => {
    assert.equal(doc.ssh_deletekeys, true);
    assert.deepEqual(doc.ssh_genkeytypes, ["ed25519"]);
    assert.deepEqual(Object.keys(doc.ssh_keys).sort(), ["ed25519_private", "ed25519_public"]);
    assert.equal(doc.ssh_keys.ed25519_private, keys.hostKey.privateKeyOpenssh);
    assert.equal(doc.ssh_keys.ed25519_public, keys.hostKey.publicKeyOpenssh.trim());
  });
  it("leaves packages to the bootstrap and grows the root disk", () => {
    assert.equal(doc.package_update, false);
    assert.equal(doc.package_upgrade, false);
    assert.deepEqual(doc.growpart, { mode: "auto", devices: ["/"] });
  });
});

describe("network config", () => {
  it("Ubuntu, static: netplan v2 on the en* NIC with the node's IP, gateway and DNS", () => {
    const spec = specOf();
    const net = parse(renderNetworkConfig(spec, spec.nodes[3])) as Doc;
    assert.equal(net.version, 2);
    const nic = net.ethernets.primary;
    assert.deepEqual(nic.match, { name: "en*" });
    assert.equal(nic.dhcp4, false);
    assert.deepEqual(nic.addresses, ["10.3.10.14/24"]);
    assert.deepEqual(nic.routes, [{ to: "0.0.0.0/0", via: "10.3.10.1" }]);
    assert.deepEqual(nic.nameservers, { addresses: ["10.3.10.2", "10.3.10.3"] });
  });
  it("Ubuntu, DHCP: a lease on the en* NIC", () => {
    const spec = specOf(dhcp);
    const nic = (parse(renderNetworkConfig(spec, spec.nodes[0])) as Doc).ethernets.primary;
    assert.equal(nic.dhcp4, true);
    assert.equal(nic.addresses, undefined);
  });
  it("RHEL, static: network config v1 that cloud-init renders for NetworkManager", () => {
    const spec = specOf(rhel);
    const net = parse(renderNetworkConfig(spec, spec.nodes[0])) as Doc;
    assert.equal(net.version, 1);
    assert.deepEqual(net.config, [
      { type: "physical", name: "ens192", subnets: [{ type: "static", address: "10.3.10.11/24", gateway: "10.3.10.1", dns_nameservers: ["10.3.10.2", "10.3.10.3"] }] },
    ]);
  });
  it("RHEL: the kube-vip interface the blueprint names is the NIC configured", () => {
    const spec = specOf((bp) => (rhel(bp), (bp.controlPlane.endpoint.interface = "ens224")));
    assert.equal((parse(renderNetworkConfig(spec, spec.nodes[0])) as Doc).config[0].name, "ens224");
  });
  it("RHEL, DHCP: a dhcp4 subnet", () => {
    const spec = specOf((bp, v) => (rhel(bp), dhcp(bp, v)));
    assert.deepEqual((parse(renderNetworkConfig(spec, spec.nodes[0])) as Doc).config[0].subnets, [{ type: "dhcp4" }]);
  });
});

describe("guestinfo metadata", () => {
  const spec = specOf();
  const node = spec.nodes[2];
  const network = renderNetworkConfig(spec, node);
  const md = parse(renderGuestinfoMetadata(node, network)) as Doc;
  it("carries instance-id and hostname", () => {
    assert.equal(md["instance-id"], node.name);
    assert.equal(md["local-hostname"], node.name);
  });
  it("embeds the network config base64-encoded, as the VMware datasource decodes it", () => {
    assert.equal(md["network.encoding"], "base64");
    assert.equal(Buffer.from(md.network, "base64").toString("utf8"), network);
  });
  it("asks the datasource to blank the user-data (it holds the host private key) once read", () => {
    assert.deepEqual(md.redact, ["userdata"]);
  });
  it("encodes documents as base64 of their UTF-8 text", () => {
    assert.equal(Buffer.from(encodeGuestinfo("#cloud-config\nä: 1\n"), "base64").toString("utf8"), "#cloud-config\nä: 1\n");
  });
});

describe("host-key fingerprints", () => {
  // Vectors printed by `ssh-keygen -lf` (OpenSSH 9) for keys made with ssh-keygen.
  const vectors: [string, string][] = [
    ["ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJXdpWhPp0ZLK3waRqxGXfuWvUkd4ey+kMjwkCp+Hedt", "SHA256:gdRDT2HnZIDRLRIbC9AGHRDQDJvUrkeoe87mr2ZIES0"],
    [
      "ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBMaTxz+arLFi4Ku7RR01xqajQfzPejo4mVLoGONfR7oipVzufw9xzTzVh32pIY8HLP/+Tx80cmA76j9u0b1CtpM= x@y",
      "SHA256:YiVsxKVIKJXmYpJ8EwUi3opIGufzHHen2OiGkdtwrsQ",
    ],
    // The mocks' seeded key (checked with `ssh-keygen -y` and `-lf`).
    [ed25519FromSeed(Buffer.alloc(32, 7)).publicKeyOpenssh, "SHA256:z/fSv0Z0RZS+Lccbc6ZoOWwt/fbj1VFJGSBKQbo4icE"],
  ];
  for (const [key, fp] of vectors) it(`${key.slice(0, 24)}… → ${fp}`, () => assert.equal(sshFingerprintSha256(key), fp));
  it("refuses a line whose blob does not carry its type", () => {
    assert.throws(() => sshFingerprintSha256("ssh-rsa AAAAC3NzaC1lZDI1NTE5AAAAIJXdpWhPp0ZLK3waRqxGXfuWvUkd4ey+kMjwkCp+Hedt"), /not an OpenSSH public key/);
    assert.throws(() => sshFingerprintSha256("-----BEGIN OPENSSH PRIVATE KEY-----"), /not an OpenSSH public key/);
  });
});

describe("plan artifacts", () => {
  it("writes user-data, meta-data and network-config per node, with placeholders for keys", () => {
    const spec = specOf();
    const files = cloudInitArtifacts(spec);
    assert.deepEqual(
      files.map((f) => f.path),
      spec.nodes.flatMap((n) => ["user-data", "meta-data", "network-config"].map((f) => `cloud-init/${n.name}/${f}`)),
    );
    const ud = parse(files[0].content) as Doc;
    assert.match(ud.ssh_keys.ed25519_private, /^\[secret: /);
    assert.doesNotMatch(files.map((f) => f.content).join("\n"), /BEGIN OPENSSH PRIVATE KEY/);
    assert.ok(renderArtifacts(spec).some((a) => a.path === files[0].path), "registered with the plan's renderers");
  });
  it("renders nothing for other platforms", () => {
    const bp = blueprintRaw("baremetal-ha");
    const spec = resolveRaw("baremetal-ha", bp, "metal-ber1", stackConfigRaw("metal-ber1")).spec;
    assert.deepEqual(cloudInitArtifacts(spec), []);
  });
});
