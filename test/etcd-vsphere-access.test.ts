// The etcd commands reach a vSphere stack's VMs with what its state holds: each VM's pinned host
// key and its address (a DHCP VM's lease), from the VsphereCluster component's outputs.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { nodeHosts } from "../cli/etcd/snapshot";
import { vsphereAccess, vsphereClusterType } from "../cli/etcd/vsphere-access";
import { parseStateExport } from "../cli/plan/state-file";
import { ClusterkitError } from "../core/errors";
import { stackSpec } from "./render-kubeadm-specs";

const spec = stackSpec("vsphere-fra1");
const fp = (i: number) => `SHA256:${String(i).repeat(43).slice(0, 43)}`;
const stateWith = (outputs: Record<string, unknown>) =>
  parseStateExport(
    "state.json",
    JSON.stringify({ version: 3, deployment: { resources: [{ urn: `urn:pulumi:vsphere-fra1::clusterkit::clusterkit:index:Cluster$${vsphereClusterType}::${spec.name}`, type: vsphereClusterType, outputs }] } }),
    "vsphere-fra1",
  );

describe("vSphere VMs from the stack's state", () => {
  const names = spec.nodes.map((n) => n.name);
  const full = stateWith({
    hostKeyFingerprints: Object.fromEntries(names.map((n, i) => [n, fp(i + 1)])),
    nodeAddresses: Object.fromEntries(names.map((n, i) => [n, `10.99.0.${i + 10}`])),
  });

  it("every node gets the host key and the address the state holds, nothing trusted on first use", () => {
    const vms = vsphereAccess(full, spec);
    const cps = nodeHosts(spec, "key", "control-plane", vms);
    const want = spec.nodes.filter((n) => n.role === "control-plane");
    assert.equal(cps.length, want.length);
    for (const [i, cp] of cps.entries()) {
      const j = names.indexOf(want[i].name);
      assert.equal(cp.name, want[i].name);
      assert.equal(cp.address, `10.99.0.${j + 10}`);
      assert.equal(cp.target.hostKey, fp(j + 1));
      assert.equal(cp.target.trustOnFirstUse, false);
      assert.equal(cp.target.user, want[i].ssh.user);
    }
  });

  it("a node the state has no key for is refused, naming it and what to do", () => {
    const partial = stateWith({ hostKeyFingerprints: { [names[0]]: fp(1) }, nodeAddresses: { [names[0]]: "10.99.0.10" } });
    assert.throws(
      () => vsphereAccess(partial, spec),
      (e: unknown) => e instanceof ClusterkitError && /the state holds no host key or address for /.test(e.message) && e.message.includes(names[1]) && /run pulumi up for the stack first/.test(e.message),
    );
  });
});
