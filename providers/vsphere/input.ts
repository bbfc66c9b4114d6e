// Nested input types, mirroring `@pulumi/vsphere`'s `types.input` (sdk/nodejs/types/input.ts).
// Only the fields clusterkit uses are typed; names, optionality and types follow the v4.17.0 schema
// (checked by conformance.ts and test/vsphere-schema.test.ts).

import * as pulumi from "@pulumi/pulumi";

/** `vsphere:index/VirtualMachineClone:VirtualMachineClone` */
export interface VirtualMachineClone {
    /**
     * Whether or not to create a linked clone when cloning. The source VM must have a single
     * snapshot associated with it.
     */
    linkedClone?: pulumi.Input<boolean>;
    /** The UUID of the source virtual machine or template (not its managed object ID). */
    templateUuid: pulumi.Input<string>;
    /** The timeout, in minutes, to wait for the virtual machine clone to complete. */
    timeout?: pulumi.Input<number>;
}

/** `vsphere:index/VirtualMachineDisk:VirtualMachineDisk` */
export interface VirtualMachineDisk {
    /** Zero the disk file eagerly when thick-provisioning (`thinProvisioned: false`). */
    eagerlyScrub?: pulumi.Input<boolean>;
    /** A unique label for this disk. */
    label: pulumi.Input<string>;
    /** The size of the disk, in GB. */
    size?: pulumi.Input<number>;
    /** The ID of the storage policy to assign to the virtual disk. */
    storagePolicyId?: pulumi.Input<string>;
    /** If true, this disk is thin provisioned. */
    thinProvisioned?: pulumi.Input<boolean>;
    /** The unique device number for this disk on its virtual bus. */
    unitNumber?: pulumi.Input<number>;
}

/** `vsphere:index/VirtualMachineNetworkInterface:VirtualMachineNetworkInterface` */
export interface VirtualMachineNetworkInterface {
    /** The controller type: e1000, e1000e, sriov, vmxnet3 or vrdma. */
    adapterType?: pulumi.Input<string>;
    /** The ID of the network to connect this network interface to. */
    networkId: pulumi.Input<string>;
}
