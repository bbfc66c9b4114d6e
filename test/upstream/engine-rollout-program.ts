/**
 * The Pulumi program of the real-engine template-roll tier (test/upstream-engine-rollout.test.ts):
 * the vSphere platform's wiring of a template roll with the fleet's hosts as its VMs. Per node, the
 * product's VmSizeGuard (which records the template and refuses a roll that is not safe), a VM
 * stand-in (machine-standin.ts) in the VM's place, replaced delete-first and ordered by the
 * product's VmRollout, and the product's KubeadmCluster, given each VM's UUID and the nodes
 * that must join, as components/vsphere/vsphere-cluster.ts gives them. What vSphere adds besides
 * (cloud-init, host-key rotation, tags, anti-affinity, the CPI and CSI) is left out: the fleet's
 * hosts boot with their host keys pinned, as bare metal does. Test config: `clusterkit-test:fleet`
 * (where each host's machine lives), `clusterkit-test:template` and `clusterkit-test:cpus`.
 */
import * as pulumi from "@pulumi/pulumi";
import { KubeadmCluster } from "../../components/kubeadm/kubeadm-cluster";
import { projectRoot, resolveProgram, runtimeConfigMap } from "../../components/program-config";
import { readSecrets } from "../../components/secrets";
import { VmRollout } from "../../components/vsphere/rollout";
import { rollBlocker } from "../../core/vsphere/rollout";
import { VmSizeGuard } from "../../providers/vsphere-node/resources";
import type { MachineRef } from "../hosts/machine";
import { MachineStandIn } from "./machine-standin";

const { spec } = resolveProgram(projectRoot(), pulumi.getStack(), runtimeConfigMap());
class Parent extends pulumi.ComponentResource {
  constructor(type: string, name: string, opts?: pulumi.ComponentResourceOptions) {
    super(type, name, {}, opts);
    this.registerOutputs({});
  }
}
const top = new Parent("clusterkit:index:Cluster", spec.name);
const platform = new Parent("clusterkit:vsphere:VsphereCluster", spec.name, { parent: top });
const testConfig = new pulumi.Config("clusterkit-test");
const machines = testConfig.requireObject<MachineRef[]>("fleet");
const template = testConfig.require("template");
const cpus = testConfig.getNumber("cpus") ?? 2;
const secrets = readSecrets(spec);
const controlPlanes = spec.nodes.filter((n) => n.role === "control-plane").length;

const guards = new Map(
  spec.nodes.map((n) => [
    n.name,
    new VmSizeGuard(
      `${n.name}-size`,
      { node: n.name, stack: spec.stack, file: `blueprints/${spec.blueprint}.yaml`, path: "controlPlane.size", targets: [], cpus, memoryMiB: 4096, cpuHotAdd: false, memoryHotAdd: false, template, role: n.role, controlPlanes, dhcp: false },
      { parent: platform },
    ),
  ]),
);
const rollout = new VmRollout(spec, guards);
const vms = new Map(
  spec.nodes.map((n) => {
    const ref = machines.find((m) => m.name === n.name);
    if (!ref) throw new pulumi.RunError(`engine-rollout-program: no fleet host ${n.name}`);
    // As components/vsphere/node-vm.ts: a new size replaces the VM where it can roll.
    const replaceOnChanges = rollBlocker({ role: n.role, controlPlanes, dhcp: false }) ? [] : ["cpus"];
    return [n.name, new MachineStandIn(n.name, { ref, template, cpus }, { parent: platform, dependsOn: rollout.after(n.name), deleteBeforeReplace: true, replaceOnChanges })];
  }),
);
const cluster = new KubeadmCluster(
  spec.name,
  {
    spec,
    hosts: spec.nodes.map((n) => ({
      name: n.name,
      role: n.role,
      address: n.address ?? "",
      ssh: { ...n.ssh },
      labels: n.labels,
      taints: n.taints,
      dependsOn: [vms.get(n.name)!],
      machineId: vms.get(n.name)!.uuid,
    })),
    sshPrivateKey: secrets.sshPrivateKey!,
    trustOnFirstUse: false,
    bastion: null,
    concurrency: spec.platform.kind === "baremetal" ? spec.platform.concurrency : 10,
    encryptionKeys: testConfig.requireSecret("encryptionKey").apply((secret) => [{ name: "key1", secret }]),
    joinOnly: rollout.joinOnly(),
  },
  { parent: platform },
);
rollout.nodesRegistered(cluster.nodesByName);

export const clusterName = spec.name;
export const kubeconfig = pulumi.secret(cluster.kubeconfig);
