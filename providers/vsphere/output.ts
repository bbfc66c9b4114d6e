// Nested output types, mirroring `@pulumi/vsphere`'s `types.output` (sdk/nodejs/types/output.ts).
// Note the TypeScript names are capitalised (`GetVirtualMachineDisk`) while the schema tokens are
// not (`vsphere:index/getVirtualMachineDisk:getVirtualMachineDisk`).

/** `vsphere:index/getVirtualMachineDisk:getVirtualMachineDisk` */
export interface GetVirtualMachineDisk {
    /** Set to true if the template's disk is set to be eagerly scrubbed. */
    eagerlyScrub: boolean;
    /** The label of the disk. */
    label: string;
    /** The size of the disk, in GB. */
    size: number;
    /** Set to true if the template's disk is thin provisioned. */
    thinProvisioned: boolean;
    /** The disk number on the storage bus. */
    unitNumber: number;
}

/** `vsphere:index/getVirtualMachineNetworkInterface:getVirtualMachineNetworkInterface` */
export interface GetVirtualMachineNetworkInterface {
    /** The network interface type: e1000, e1000e, sriov, vmxnet3 or vrdma. */
    adapterType: string;
    /** The MAC address of the interface. */
    macAddress: string;
    /** The managed object ID of the network this interface is connected to. */
    networkId: string;
}
