// `vsphere.VirtualMachine`, mirroring `@pulumi/vsphere`'s sdk/nodejs/virtualMachine.ts
// (token `vsphere:index/virtualMachine:VirtualMachine`). Only the inputs/outputs clusterkit uses.

import * as pulumi from "@pulumi/pulumi";
import * as inputs from "./input";
import { bindingManifest } from "./manifest";
import * as utilities from "./utilities";

const binding = bindingManifest.resources.VirtualMachine;

/**
 * Manages a vSphere virtual machine: created empty, cloned from a template (`clone`), or deployed
 * from OVF. Requires a `resourcePoolId`; the datastore can be given directly (`datastoreId`) or
 * chosen by Storage DRS (`datastoreClusterId`).
 */
export class VirtualMachine extends pulumi.CustomResource {
    /**
     * Get an existing VirtualMachine resource's state with the given name, ID, and optional extra
     * properties used to qualify the lookup.
     *
     * @param name The _unique_ name of the resulting resource.
     * @param id The _unique_ provider ID of the resource to lookup (the VM's UUID).
     * @param state Any extra arguments used during the lookup.
     * @param opts Optional settings to control the behavior of the CustomResource.
     */
    public static get(
        name: string,
        id: pulumi.Input<pulumi.ID>,
        state?: VirtualMachineState,
        opts?: pulumi.CustomResourceOptions,
    ): VirtualMachine {
        return new VirtualMachine(name, <any>state, { ...opts, id: id });
    }

    /** @internal */
    public static readonly __pulumiType = binding.token;

    /**
     * Returns true if the given object is an instance of VirtualMachine. This is designed to work
     * even when multiple copies of the Pulumi SDK have been loaded into the same process.
     */
    public static override isInstance(obj: any): obj is VirtualMachine {
        if (obj === undefined || obj === null) {
            return false;
        }
        return obj["__pulumiType"] === VirtualMachine.__pulumiType;
    }

    // `declare`: see the note in provider.ts (ES2022 class fields would clobber the outputs).
    /** The IP address selected to be used with provisioners: the first reachable IPv4 address if possible. */
    declare public readonly defaultIpAddress: pulumi.Output<string>;
    /** The current list of IP addresses on this machine, including `defaultIpAddress`. */
    declare public readonly guestIpAddresses: pulumi.Output<string[]>;
    /** The managed object reference ID of the created virtual machine. */
    declare public readonly moid: pulumi.Output<string>;
    /** The name of this virtual machine. */
    declare public readonly name: pulumi.Output<string>;
    /** The current power state: `on`, `off` or `suspended`. */
    declare public readonly powerState: pulumi.Output<string>;
    /** The UUID of the virtual machine (also exposed as `id`). */
    declare public readonly uuid: pulumi.Output<string>;

    /**
     * Create a VirtualMachine resource with the given unique name, arguments, and options.
     *
     * @param name The _unique_ name of the resource.
     * @param args The arguments to use to populate this resource's properties.
     * @param opts A bag of options that control this resource's behavior.
     */
    constructor(name: string, args: VirtualMachineArgs, opts?: pulumi.CustomResourceOptions);
    constructor(
        name: string,
        argsOrState?: VirtualMachineArgs | VirtualMachineState,
        opts?: pulumi.CustomResourceOptions,
    ) {
        const [resourceInputs, options] = utilities.customResourceInputsAndOptions(binding, argsOrState, opts);
        super(VirtualMachine.__pulumiType, name, resourceInputs, options);
    }
}

/** The set of arguments for constructing a VirtualMachine resource. */
export interface VirtualMachineArgs {
    /** User-provided description of the virtual machine. */
    annotation?: pulumi.Input<string>;
    /** A specification for cloning a virtual machine from template. */
    clone?: pulumi.Input<inputs.VirtualMachineClone>;
    /** Allow CPUs to be added to this virtual machine while it is running. */
    cpuHotAddEnabled?: pulumi.Input<boolean>;
    /** The ID of a datastore cluster to put the virtual machine in (Storage DRS). */
    datastoreClusterId?: pulumi.Input<string>;
    /** The ID of the virtual machine's datastore (VM configuration and disks without a datastore). */
    datastoreId?: pulumi.Input<string>;
    /** A specification for a virtual disk device on this virtual machine. */
    disks?: pulumi.Input<pulumi.Input<inputs.VirtualMachineDisk>[]>;
    /** Expose the UUIDs of attached virtual disks to the guest (`disk.EnableUUID`). */
    enableDiskUuid?: pulumi.Input<boolean>;
    /** Extra configuration data (e.g. `guestinfo.*` keys for cloud-init metadata/userdata). */
    extraConfig?: pulumi.Input<{ [key: string]: pulumi.Input<string> }>;
    /** The firmware interface to use on the virtual machine: `bios` or `efi`. */
    firmware?: pulumi.Input<string>;
    /** The name (path) of the folder to locate the virtual machine in. */
    folder?: pulumi.Input<string>;
    /** The guest ID for the operating system. */
    guestId?: pulumi.Input<string>;
    /** The size of the virtual machine's memory, in MB. */
    memory?: pulumi.Input<number>;
    /** Allow memory to be added to this virtual machine while it is running. */
    memoryHotAddEnabled?: pulumi.Input<boolean>;
    /** The name of this virtual machine. */
    name?: pulumi.Input<string>;
    /** A specification for a virtual NIC on this virtual machine. */
    networkInterfaces?: pulumi.Input<pulumi.Input<inputs.VirtualMachineNetworkInterface>[]>;
    /** The number of cores per virtual socket; `numCpus` must be a multiple of it. */
    numCoresPerSocket?: pulumi.Input<number>;
    /** The number of virtual processors to assign to this virtual machine. */
    numCpus?: pulumi.Input<number>;
    /** The ID of a resource pool to put the virtual machine in. */
    resourcePoolId: pulumi.Input<string>;
    /** The type of SCSI bus: `lsilogic`, `lsilogic-sas` or `pvscsi`. */
    scsiType?: pulumi.Input<string>;
    /** The ID of the storage policy to assign to the virtual machine home directory. */
    storagePolicyId?: pulumi.Input<string>;
    /** A list of tag IDs to apply to this object. */
    tags?: pulumi.Input<pulumi.Input<string>[]>;
    /** Minutes to wait for the guest to report an IP address; below 1 disables the waiter. */
    waitForGuestIpTimeout?: pulumi.Input<number>;
    /** Minutes to wait for an available (routable) IP address; below 1 disables the waiter. */
    waitForGuestNetTimeout?: pulumi.Input<number>;
}

/** Input properties used for looking up and filtering VirtualMachine resources. */
export interface VirtualMachineState {
    annotation?: pulumi.Input<string>;
    clone?: pulumi.Input<inputs.VirtualMachineClone>;
    cpuHotAddEnabled?: pulumi.Input<boolean>;
    datastoreClusterId?: pulumi.Input<string>;
    datastoreId?: pulumi.Input<string>;
    defaultIpAddress?: pulumi.Input<string>;
    disks?: pulumi.Input<pulumi.Input<inputs.VirtualMachineDisk>[]>;
    enableDiskUuid?: pulumi.Input<boolean>;
    extraConfig?: pulumi.Input<{ [key: string]: pulumi.Input<string> }>;
    firmware?: pulumi.Input<string>;
    folder?: pulumi.Input<string>;
    guestId?: pulumi.Input<string>;
    guestIpAddresses?: pulumi.Input<pulumi.Input<string>[]>;
    memory?: pulumi.Input<number>;
    memoryHotAddEnabled?: pulumi.Input<boolean>;
    moid?: pulumi.Input<string>;
    name?: pulumi.Input<string>;
    networkInterfaces?: pulumi.Input<pulumi.Input<inputs.VirtualMachineNetworkInterface>[]>;
    numCoresPerSocket?: pulumi.Input<number>;
    numCpus?: pulumi.Input<number>;
    powerState?: pulumi.Input<string>;
    resourcePoolId?: pulumi.Input<string>;
    scsiType?: pulumi.Input<string>;
    storagePolicyId?: pulumi.Input<string>;
    tags?: pulumi.Input<pulumi.Input<string>[]>;
    uuid?: pulumi.Input<string>;
    waitForGuestIpTimeout?: pulumi.Input<number>;
    waitForGuestNetTimeout?: pulumi.Input<number>;
}
