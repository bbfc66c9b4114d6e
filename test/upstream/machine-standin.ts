/**
 * Stand-in for a vSphere VM in the real-engine rollout tier: a fleet host's machine. Its contract
 * is the VirtualMachine's as clusterkit relies on it: a new template replaces the VM (the clone
 * changes only at creation); creating a VM whose name exists fails, as vCenter refuses a second VM
 * of one name in a folder (so a replacement must delete first); create boots a new machine (its
 * files gone, a new machine id, a new UUID) and returns once it answers on its address, as the
 * provider waits for the guest network; delete powers the machine off and loses its files. A
 * harness file `machine-fail-once/<name>` in the fleet's folder fails the next create of that VM
 * after nothing was created, as a clone task that fails does. A new size is an update in place, as
 * the provider powers a VM off and on for it (recorded as `restart`; nothing is drained). Every
 * create, delete and restart is appended to `machine-ops.log` in the fleet's folder, which the
 * tier reads for the order.
 */
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { lazyDynamicProvider, type Inputs } from "../../providers/lazy-dynamic-provider";
import type { MachineRef } from "../hosts/machine";

export interface MachineInputs {
  ref: MachineRef;
  template: string;
  /** The VM's size: an in-place update that restarts the machine (recorded as `restart`). */
  cpus?: number;
}

export interface MachineOutputs extends MachineInputs {
  uuid: string;
}

const provider = lazyDynamicProvider("machineStandIn", path.join(__dirname, "machine-standin-runtime"));

export class MachineStandIn extends pulumi.dynamic.Resource {
  declare readonly uuid: pulumi.Output<string>;

  constructor(name: string, args: Inputs<MachineInputs>, opts?: pulumi.CustomResourceOptions) {
    super(provider, name, { ...args, uuid: undefined }, opts, "clusterkit-test", "MachineStandIn");
  }
}
