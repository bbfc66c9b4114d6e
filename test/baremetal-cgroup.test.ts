// Kubernetes 1.35 on a cgroup v1 host over real SSH: host preparation refuses it before anything
// on the host changes, naming the host, what it found and the fix; a cgroup v2 host is prepared.
// Needs root (test/hosts/setup-deps.sh).
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { parseStackConfig } from "../core/load/stack-file";
import { resolve } from "../core/resolve/resolve";
import type { ClusterSpec } from "../core/spec";
import { planNodes, type PlannedHost } from "../providers/kubeadm/plan";
import { hostPreparation } from "../providers/kubeadm/runtime";
import { startFleet, type Fleet } from "./hosts/harness";
import { describeCall, isMutating } from "./baremetal/standin-log";
import { blueprintRaw } from "./support/fixtures";

function spec135(fleet: Fleet, hosts: PlannedHost[]): ClusterSpec {
  const blueprint = blueprintRaw("baremetal-ha");
  blueprint.kubernetesVersion = "1.35";
  blueprint.controlPlane.count = 1;
  const stack = `metal-cg${fleet.slot}`;
  const config = {
    "clusterkit:blueprint": "baremetal-ha",
    "clusterkit:region": `cg${fleet.slot}`,
    "clusterkit:variables": {
      nodeCidr: `10.77.${fleet.slot}.0/24`,
      podCidr: "10.240.0.0/16",
      serviceCidr: "10.241.0.0/20",
      controlPlaneVip: `10.77.${fleet.slot}.250`,
      hosts: hosts.map((h) => ({ name: h.name, address: h.address, role: h.role, sshUser: h.ssh.user, hostKey: h.ssh.hostKey })),
    },
  };
  return resolve({ file: "blueprints/baremetal-ha.yaml", raw: blueprint }, parseStackConfig(stack, `stacks/Pulumi.${stack}.yaml`, config)).spec;
}

describe("Kubernetes 1.35 host preparation and cgroup v1", () => {
  let fleet: Fleet;
  let hosts: PlannedHost[];
  let spec: ClusterSpec;

  before(async () => {
    fleet = await startFleet([
      { name: "cp-1", role: "control-plane", cgroup: "v2" },
      { name: "w-1", role: "worker", cgroup: "v1" },
    ]);
    hosts = fleet.hosts.map((h) => ({ name: h.name, role: h.role!, address: h.address, ssh: { user: "root", port: 22, hostKey: h.hostKeyFingerprint }, labels: {}, taints: [] }));
    spec = spec135(fleet, hosts);
  });
  after(async () => fleet?.stop());

  const prepInputs = (name: string) => ({
    ...planNodes(spec, hosts).find((p) => p.node.name === name)!.prep,
    privateKey: fleet.clientKey.privateKeyPem,
    connection: { trustOnFirstUse: false, bastion: null, concurrency: 10 },
  });

  it("refuses the cgroup v1 host before any change, naming it, what it found and the fix", async () => {
    const w1 = fleet.host("w-1");
    await assert.rejects(hostPreparation.create(prepInputs("w-1")), (e: Error) => {
      assert.match(e.message, /host w-1 \(10\.77\.\d+\.\d+\)/);
      assert.match(e.message, /prepare-host\/cgroup-v2/);
      assert.match(e.message, /uses cgroup v1 \(\/sys\/fs\/cgroup is tmpfs, not cgroup2fs\); the kubelet of Kubernetes 1\.35 refuses to start on cgroup v1/);
      assert.match(e.message, /systemd\.unified_cgroup_hierarchy=1/);
      return true;
    });
    const mutating = (await w1.readLog()).filter(isMutating);
    assert.deepEqual(mutating.map(describeCall), [], "nothing on the host changed");
    assert.ok(!(await w1.exists("/etc/modules-load.d/clusterkit-kubernetes.conf")));
  });

  it("prepares the cgroup v2 host", async () => {
    await hostPreparation.create(prepInputs("cp-1"));
    assert.ok(await fleet.host("cp-1").exists("/etc/modules-load.d/clusterkit-kubernetes.conf"));
  });
});
