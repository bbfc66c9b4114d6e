/**
 * The vSphere program for a stack unlike the examples: RHEL template, DHCP addressing, a named
 * resource pool and a Storage DRS datastore cluster. Run in a throwaway copy of the project.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { unwrapRpcSecret } from "@pulumi/pulumi/runtime/rpc";
import { parse } from "yaml";
import { ed25519FromSeed } from "../cli/plan/mocks/vsphere";
import { planMocks } from "../cli/plan/mocks";
import { runProgramOffline, type ProgramRun } from "../cli/plan/run-program";
import { tempProject } from "./support/temp-project";

type Doc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const stack = "vsphere-lab1";
const nodeAddressType = "pulumi-nodejs:dynamic/clusterkit:NodeAddress";
/** The lease a node got when it was first bootstrapped (VMware Tools reports another one now). */
const pinned = (node: string) => `10.9.10.${(node.includes("-cp-") ? 200 : 220) + Number(node.split("-").pop())}`;
const stackFile = `# A DHCP lab on a RHEL template.
config:
  clusterkit:blueprint: vsphere-ha
  clusterkit:region: lab1
  clusterkit:overrides:
    platform:
      templateOs: rhel
  clusterkit:variables:
    vcenterServer: vcenter.lab1.example.com
    vcenterUser: svc-clusterkit@vsphere.local
    datacenter: LAB1
    computeCluster: LAB1-compute
    resourcePool: LAB1-compute/Resources/kubernetes
    datastoreCluster: LAB1-sdrs
    network: k8s-lab1
    template: rhel-9-k8s-template
    nodeCidr: 10.9.10.0/24
    controlPlaneVip: 10.9.10.10
    podCidr: 10.69.0.0/16
    serviceCidr: 10.129.0.0/20
`;

describe("vSphere program under mocks: RHEL template, DHCP, resource pool, datastore cluster", () => {
  const project = tempProject();
  let run: ProgramRun;
  const calls: Doc[] = [];
  const created = new Map<string, { inputs: Doc; state: Doc }>();
  const vm = (name: string) => run.resources.find((r) => r.type === "vsphere:index/virtualMachine:VirtualMachine" && r.name === name)!.inputs as Doc;

  before(async () => {
    project.write(`stacks/Pulumi.${stack}.yaml`, stackFile);
    const { newResource, call } = planMocks;
    planMocks.newResource = async (args) => {
      const result = await newResource(args);
      // As on a later run: the engine keeps the lease each node was bootstrapped at (ignoreChanges).
      if (args.type === nodeAddressType) result.state = { ...result.state, address: pinned(args.inputs.node) };
      created.set(`${args.type}::${args.name}`, { inputs: args.inputs, state: result.state });
      return { ...result, id: result.id || `${args.name}-id` };
    };
    planMocks.call = (args) => (calls.push({ token: args.token, inputs: args.inputs }), call(args));
    process.chdir(project.root);
    const config: Record<string, string> = {
      "clusterkit:blueprint": "vsphere-ha",
      "clusterkit:region": "lab1",
      "clusterkit:overrides": JSON.stringify({ platform: { templateOs: "rhel" } }),
      "clusterkit:variables": JSON.stringify(parse(stackFile).config["clusterkit:variables"]),
      "clusterkit:sshPrivateKey": ed25519FromSeed(Buffer.alloc(32, 9)).privateKeyOpenssh,
      "clusterkit:vspherePassword": "lab-password",
    };
    run = await runProgramOffline({ root: project.root, project: "clusterkit", stack, config, secretKeys: ["clusterkit:sshPrivateKey", "clusterkit:vspherePassword"] });
  });
  after(() => project.cleanup());

  it("places VMs in the named resource pool and lets Storage DRS pick the datastore", () => {
    const pool = calls.find((c) => c.token === "vsphere:index/getResourcePool:getResourcePool");
    const sdrs = calls.find((c) => c.token === "vsphere:index/getDatastoreCluster:getDatastoreCluster");
    assert.equal(pool?.inputs.name, "LAB1-compute/Resources/kubernetes");
    assert.equal(sdrs?.inputs.name, "LAB1-sdrs");
    assert.equal(calls.filter((c) => c.token === "vsphere:index/getDatastore:getDatastore").length, 0);
    const poolId = (planMocks.call({ token: pool!.token, inputs: pool!.inputs }) as Doc).id;
    for (const name of ["vsphere-lab1-cp-1", "vsphere-lab1-workers-3"]) {
      assert.equal(vm(name).resourcePoolId, poolId);
      assert.ok(vm(name).datastoreClusterId);
      assert.equal(vm(name).datastoreId, undefined);
      assert.equal(vm(name).guestId, "rhel9_64Guest", "the guest OS comes from the template");
    }
  });

  it("boots RHEL VMs with a DHCP network config v1 and bootstraps them at the address they lease", () => {
    for (const r of run.resources.filter((x) => x.type === "pulumi-nodejs:dynamic/clusterkit:KubeadmNode")) {
      const key = `vsphere:index/virtualMachine:VirtualMachine::${r.name}`;
      const extra = unwrapRpcSecret(created.get(key)!.inputs.extraConfig) as Doc;
      const md = parse(Buffer.from(extra["guestinfo.metadata"], "base64").toString("utf8")) as Doc;
      const net = parse(Buffer.from(md.network, "base64").toString("utf8")) as Doc;
      assert.deepEqual(net, { version: 1, config: [{ type: "physical", name: "ens192", subnets: [{ type: "dhcp4" }] }] });
      const lease = created.get(key)!.state.defaultIpAddress;
      assert.match(lease, /^\d+\.\d+\.\d+\.\d+$/);
      const address = created.get(`${nodeAddressType}::${r.name}-address`);
      assert.ok(address, `${r.name} has a NodeAddress`);
      assert.equal(address.inputs.address, lease, "the bootstrap address starts as the VM's first lease");
      assert.equal(address.inputs.reported, lease, "and reports what VMware Tools reports now");
      assert.equal((r.inputs as Doc).address, pinned(r.name), `${r.name} is reached at the lease it was bootstrapped at`);
    }
  });

  it("a changed DHCP lease never changes the address kubeadm keys nodes by (no replace, no reset)", () => {
    const preps = run.resources.filter((x) => x.type === "pulumi-nodejs:dynamic/clusterkit:HostPreparation");
    assert.ok(preps.length > 0);
    for (const r of [...preps, ...run.resources.filter((x) => x.type === "pulumi-nodejs:dynamic/clusterkit:KubeadmNode")]) {
      const node = (r.inputs as Doc).name as string;
      const vmState = created.get(`vsphere:index/virtualMachine:VirtualMachine::${node}`)!.state;
      assert.notEqual((r.inputs as Doc).address, vmState.defaultIpAddress, `${r.type} ${r.name} does not follow the VM's current lease`);
      assert.equal((r.inputs as Doc).address, pinned(node));
    }
  });
});
