/**
 * The vSphere program under mocks when the VM guards report a template roll (their update's
 * `rolledFrom`, as after `pulumi up` has updated them): each VM waits for the kubeadm nodes of
 * every batch before it, so the engine replaces one node at a time; each node's host preparation and kubeadm node carry the VM's UUID straight from the VM,
 * so the engine takes the node out of the cluster before its VM goes and no other node depends on
 * that VM; and the control planes on new machines are rendered to join. Without a roll (the first
 * `pulumi up` of a stack) no VM waits for another. One program run per process, as the SDK allows.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { randomBytes } from "node:crypto";
import { before, describe, it } from "node:test";
import { parse } from "yaml";
import { planMocks } from "../cli/plan/mocks";
import { ed25519FromSeed } from "../cli/plan/mocks/vsphere";
import { runProgramOffline, type ProgramRun } from "../cli/plan/run-program";
import { loadFleet } from "../core/load/project";
import type { ClusterSpec } from "../core/spec";
import { rolloutBatches, rolloutPredecessors } from "../core/vsphere/rollout";
import { exampleRoot } from "./support/temp-project";

const stack = "vsphere-fra1";
const T = {
  vm: "vsphere:index/virtualMachine:VirtualMachine",
  guard: "pulumi-nodejs:dynamic/clusterkit:VmSizeGuard",
  node: "pulumi-nodejs:dynamic/clusterkit:KubeadmNode",
  prep: "pulumi-nodejs:dynamic/clusterkit:HostPreparation",
};

function stackConfig(): Record<string, string> {
  const raw = parse(fs.readFileSync(path.join(exampleRoot(), "stacks", `Pulumi.${stack}.yaml`), "utf8")).config as Record<string, unknown>;
  return Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]));
}

describe("vSphere program under mocks: a template roll", () => {
  let run: ProgramRun;
  let spec: ClusterSpec;
  const vmIds = new Map<string, string>();

  before(async () => {
    spec = loadFleet(exampleRoot(), [stack]).resolved.get(stack)!.spec;
    const { newResource } = planMocks;
    planMocks.newResource = async (args) => {
      const result = await newResource(args);
      const id = result.id || `${args.name}-id`;
      if (args.type === T.vm) vmIds.set(args.name, String(result.state?.uuid ?? ""));
      // What the guard's update returns once it has recorded a new template.
      if (args.type === T.guard) return { ...result, id, state: { ...result.state, rolledFrom: "ubuntu-24.04-k8s-template-2026-06" } };
      return { ...result, id };
    };
    process.chdir(exampleRoot());
    const sshKey = ed25519FromSeed(randomBytes(32));
    const config = { ...stackConfig(), "clusterkit:sshPrivateKey": sshKey.privateKeyOpenssh, "clusterkit:vspherePassword": "vc-password" };
    run = await runProgramOffline({
      root: exampleRoot(),
      project: "clusterkit",
      stack,
      config,
      secretKeys: ["clusterkit:sshPrivateKey", "clusterkit:vspherePassword"],
      mocks: planMocks,
    });
  });

  const one = (type: string, name: string) => {
    const r = run.resources.find((x) => x.type === type && x.name === name);
    assert.ok(r, `${type} ${name}`);
    return r;
  };

  it("orders each VM after the kubeadm nodes of every earlier batch, control planes one at a time, then workers", () => {
    const batches = rolloutBatches(spec.nodes, spec.upgrades.workerBatchSize);
    assert.deepEqual(batches[0], [spec.nodes[0].name]);
    for (const n of spec.nodes) {
      const vm = one(T.vm, n.name);
      const waits = vm.dependsOn.filter((u) => u.includes(`$${T.node}::`)).map((u) => u.split("::").pop());
      assert.deepEqual(waits.sort(), rolloutPredecessors(batches, n.name).sort(), `${n.name} waits for the nodes before it`);
      assert.ok(vm.dependsOn.includes(one(T.guard, `${n.name}-size`).urn), `${n.name} still waits for its guard`);
    }
  });

  it("gives each node's host preparation and kubeadm node its own VM's UUID, and no other", () => {
    for (const n of spec.nodes) {
      const uuid = vmIds.get(n.name);
      assert.ok(uuid, `${n.name} has a UUID`);
      assert.equal(one(T.prep, `${n.name}-host`).inputs.machineId, uuid);
      assert.equal(one(T.node, n.name).inputs.machineId, uuid);
    }
    assert.equal(new Set(vmIds.values()).size, spec.nodes.length);
  });

  it("marks each VM's size and clone source as replace-on-change, deleted first: a new size rolls like a new template", () => {
    // Every node here has a static address and there are three control planes: every VM can roll.
    for (const n of spec.nodes) {
      const urn = one(T.vm, n.name).urn;
      assert.deepEqual(run.replaceOnChanges?.[urn], ["numCpus", "memory", "cpuHotAddEnabled", "memoryHotAddEnabled", "clone"], n.name);
      assert.ok(run.deleteBeforeReplace?.includes(urn), `${n.name} is deleted before it is cloned again`);
    }
  });

  it("renders every control plane on a new machine to join the cluster that exists", () => {
    for (const n of spec.nodes.filter((x) => x.role === "control-plane")) {
      const k = one(T.node, n.name).inputs as { init: boolean; kubeadmCommand: string[] };
      assert.deepEqual([k.init, k.kubeadmCommand[1]], [false, "join"], n.name);
    }
  });
});
