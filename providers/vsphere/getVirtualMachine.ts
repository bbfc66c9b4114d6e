// `getVirtualMachine` / `getVirtualMachineOutput`, mirroring `@pulumi/vsphere`'s getVirtualMachine.ts
// (token `vsphere:index/getVirtualMachine:getVirtualMachine`). Typically used to read a template's
// guestId, firmware, scsiType, disks and NIC types before cloning it (`clone.templateUuid = uuid`).

import * as pulumi from "@pulumi/pulumi";
import { bindingManifest } from "./manifest";
import * as outputs from "./output";
import * as utilities from "./utilities";

const binding = bindingManifest.functions.getVirtualMachine;

/** Looks up a virtual machine or template by `name`, `uuid` or `moid`. */
export function getVirtualMachine(args?: GetVirtualMachineArgs, opts?: pulumi.InvokeOptions): Promise<GetVirtualMachineResult> {
    return utilities.invoke(binding, args, opts);
}

/** Looks up a virtual machine or template by `name`, `uuid` or `moid`. */
export function getVirtualMachineOutput(
    args?: GetVirtualMachineOutputArgs,
    opts?: pulumi.InvokeOutputOptions,
): pulumi.Output<GetVirtualMachineResult> {
    return utilities.invokeOutput(binding, args, opts);
}

/** A collection of arguments for invoking getVirtualMachine. */
export interface GetVirtualMachineArgs {
    /** The managed object ID of the datacenter the VM is in (required on vCenter when looking up by name). */
    datacenterId?: string;
    /** The managed object ID of the virtual machine. */
    moid?: string;
    /** The name (or path) of the virtual machine. */
    name?: string;
    /** The UUID of the virtual machine. */
    uuid?: string;
}

/** A collection of arguments for invoking getVirtualMachine. */
export interface GetVirtualMachineOutputArgs {
    datacenterId?: pulumi.Input<string>;
    moid?: pulumi.Input<string>;
    name?: pulumi.Input<string>;
    uuid?: pulumi.Input<string>;
}

/** A collection of values returned by getVirtualMachine. */
export interface GetVirtualMachineResult {
    /** The disks of the VM, sorted by bus and unit number. */
    readonly disks: outputs.GetVirtualMachineDisk[];
    /** The firmware type: `bios` or `efi`. */
    readonly firmware?: string;
    /** The guest ID of the virtual machine or template. */
    readonly guestId: string;
    /** The provider-assigned unique ID (the VM's UUID). */
    readonly id: string;
    /** The size of the virtual machine's memory, in MB. */
    readonly memory?: number;
    readonly moid: string;
    readonly name?: string;
    /** The network interface types of the VM, in device bus order (e.g. `vmxnet3`). */
    readonly networkInterfaceTypes: string[];
    /** The network interfaces of the VM, in device bus order. */
    readonly networkInterfaces: outputs.GetVirtualMachineNetworkInterface[];
    /** The number of virtual processors. */
    readonly numCpus?: number;
    /** The common SCSI bus type of all SCSI controllers (`mixed` when they differ). */
    readonly scsiType: string;
    /** The UUID of the virtual machine or template; pass it as `clone.templateUuid`. */
    readonly uuid: string;
}
