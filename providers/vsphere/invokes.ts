// Inventory lookups (data sources), mirroring `@pulumi/vsphere`'s getDatacenter.ts,
// getComputeCluster.ts, getResourcePool.ts, getDatastore.ts, getDatastoreCluster.ts, getNetwork.ts
// and getPolicy.ts: `getX(args, opts): Promise<GetXResult>` and `getXOutput(args, opts):
// Output<GetXResult>`, each with the plugin version in its invoke options.

import * as pulumi from "@pulumi/pulumi";
import { bindingManifest } from "./manifest";
import * as utilities from "./utilities";

const fns = bindingManifest.functions;

// ---- getDatacenter -------------------------------------------------------------------------------

/** Looks up a datacenter by name or path; `name` may be omitted when the inventory has only one. */
export function getDatacenter(args?: GetDatacenterArgs, opts?: pulumi.InvokeOptions): Promise<GetDatacenterResult> {
    return utilities.invoke(fns.getDatacenter, args, opts);
}
export function getDatacenterOutput(args?: GetDatacenterOutputArgs, opts?: pulumi.InvokeOutputOptions): pulumi.Output<GetDatacenterResult> {
    return utilities.invokeOutput(fns.getDatacenter, args, opts);
}
/** A collection of arguments for invoking getDatacenter. */
export interface GetDatacenterArgs {
    /** The name of the datacenter (a name or path). */
    name?: string;
}
/** A collection of arguments for invoking getDatacenter. */
export interface GetDatacenterOutputArgs {
    name?: pulumi.Input<string>;
}
/** A collection of values returned by getDatacenter. */
export interface GetDatacenterResult {
    /** The provider-assigned unique ID (the datacenter's managed object ID). */
    readonly id: string;
    readonly name?: string;
    /** The names of the virtual machines in the datacenter. */
    readonly virtualMachines: string[];
}

// ---- getComputeCluster ---------------------------------------------------------------------------

/** Looks up a compute cluster; its `resourcePoolId` is the cluster's root resource pool. */
export function getComputeCluster(args: GetComputeClusterArgs, opts?: pulumi.InvokeOptions): Promise<GetComputeClusterResult> {
    return utilities.invoke(fns.getComputeCluster, args, opts);
}
export function getComputeClusterOutput(args: GetComputeClusterOutputArgs, opts?: pulumi.InvokeOutputOptions): pulumi.Output<GetComputeClusterResult> {
    return utilities.invokeOutput(fns.getComputeCluster, args, opts);
}
/** A collection of arguments for invoking getComputeCluster. */
export interface GetComputeClusterArgs {
    /** The managed object ID of the datacenter (required unless `name` is a full path). */
    datacenterId?: string;
    /** The name or absolute path to the cluster. */
    name: string;
}
/** A collection of arguments for invoking getComputeCluster. */
export interface GetComputeClusterOutputArgs {
    datacenterId?: pulumi.Input<string>;
    name: pulumi.Input<string>;
}
/** A collection of values returned by getComputeCluster. */
export interface GetComputeClusterResult {
    readonly datacenterId?: string;
    readonly id: string;
    readonly name: string;
    /** The managed object ID of the cluster's root resource pool. */
    readonly resourcePoolId: string;
}

// ---- getResourcePool -----------------------------------------------------------------------------

/** Looks up a resource pool by name or path (`<cluster>/Resources/<pool>`). */
export function getResourcePool(args?: GetResourcePoolArgs, opts?: pulumi.InvokeOptions): Promise<GetResourcePoolResult> {
    return utilities.invoke(fns.getResourcePool, args, opts);
}
export function getResourcePoolOutput(args?: GetResourcePoolOutputArgs, opts?: pulumi.InvokeOutputOptions): pulumi.Output<GetResourcePoolResult> {
    return utilities.invokeOutput(fns.getResourcePool, args, opts);
}
/** A collection of arguments for invoking getResourcePool. */
export interface GetResourcePoolArgs {
    /** The managed object ID of the datacenter. */
    datacenterId?: string;
    /** The name or path of the resource pool. */
    name?: string;
}
/** A collection of arguments for invoking getResourcePool. */
export interface GetResourcePoolOutputArgs {
    datacenterId?: pulumi.Input<string>;
    name?: pulumi.Input<string>;
}
/** A collection of values returned by getResourcePool. */
export interface GetResourcePoolResult {
    readonly datacenterId?: string;
    readonly id: string;
    readonly name?: string;
}

// ---- getDatastore --------------------------------------------------------------------------------

/** Looks up a datastore by name. */
export function getDatastore(args: GetDatastoreArgs, opts?: pulumi.InvokeOptions): Promise<GetDatastoreResult> {
    return utilities.invoke(fns.getDatastore, args, opts);
}
export function getDatastoreOutput(args: GetDatastoreOutputArgs, opts?: pulumi.InvokeOutputOptions): pulumi.Output<GetDatastoreResult> {
    return utilities.invokeOutput(fns.getDatastore, args, opts);
}
/** A collection of arguments for invoking getDatastore. */
export interface GetDatastoreArgs {
    /** The managed object ID of the datacenter (required on vCenter). */
    datacenterId?: string;
    /** The name of the datastore. */
    name: string;
}
/** A collection of arguments for invoking getDatastore. */
export interface GetDatastoreOutputArgs {
    datacenterId?: pulumi.Input<string>;
    name: pulumi.Input<string>;
}
/** A collection of values returned by getDatastore. */
export interface GetDatastoreResult {
    readonly datacenterId?: string;
    readonly id: string;
    readonly name: string;
}

// ---- getDatastoreCluster -------------------------------------------------------------------------

/** Looks up a datastore cluster (Storage DRS pod) by name. */
export function getDatastoreCluster(args: GetDatastoreClusterArgs, opts?: pulumi.InvokeOptions): Promise<GetDatastoreClusterResult> {
    return utilities.invoke(fns.getDatastoreCluster, args, opts);
}
export function getDatastoreClusterOutput(args: GetDatastoreClusterOutputArgs, opts?: pulumi.InvokeOutputOptions): pulumi.Output<GetDatastoreClusterResult> {
    return utilities.invokeOutput(fns.getDatastoreCluster, args, opts);
}
/** A collection of arguments for invoking getDatastoreCluster. */
export interface GetDatastoreClusterArgs {
    /** The managed object ID of the datacenter. */
    datacenterId?: string;
    /** The name or absolute path to the datastore cluster. */
    name: string;
}
/** A collection of arguments for invoking getDatastoreCluster. */
export interface GetDatastoreClusterOutputArgs {
    datacenterId?: pulumi.Input<string>;
    name: pulumi.Input<string>;
}
/** A collection of values returned by getDatastoreCluster. */
export interface GetDatastoreClusterResult {
    readonly datacenterId?: string;
    /** The names of the datastores in the cluster. */
    readonly datastores: string[];
    readonly id: string;
    readonly name: string;
}

// ---- getNetwork ----------------------------------------------------------------------------------

/** Looks up a network (standard port group, distributed port group or opaque network) by name. */
export function getNetwork(args: GetNetworkArgs, opts?: pulumi.InvokeOptions): Promise<GetNetworkResult> {
    return utilities.invoke(fns.getNetwork, args, opts);
}
export function getNetworkOutput(args: GetNetworkOutputArgs, opts?: pulumi.InvokeOutputOptions): pulumi.Output<GetNetworkResult> {
    return utilities.invokeOutput(fns.getNetwork, args, opts);
}
/** A collection of arguments for invoking getNetwork. */
export interface GetNetworkArgs {
    /** The managed object ID of the datacenter (required on vCenter). */
    datacenterId?: string;
    /** For distributed port groups with the same name on several switches: the switch's UUID. */
    distributedVirtualSwitchUuid?: string;
    /** The name of the network (a name or path). */
    name: string;
}
/** A collection of arguments for invoking getNetwork. */
export interface GetNetworkOutputArgs {
    datacenterId?: pulumi.Input<string>;
    distributedVirtualSwitchUuid?: pulumi.Input<string>;
    name: pulumi.Input<string>;
}
/** A collection of values returned by getNetwork. */
export interface GetNetworkResult {
    readonly datacenterId?: string;
    readonly distributedVirtualSwitchUuid?: string;
    readonly id: string;
    readonly name: string;
    /** The managed object type: `Network`, `DistributedVirtualPortgroup` or `OpaqueNetwork`. */
    readonly type: string;
}

// ---- getPolicy -----------------------------------------------------------------------------------

/** Looks up a VM storage policy (SPBM profile) by name; token `vsphere:index/getPolicy:getPolicy`. */
export function getPolicy(args: GetPolicyArgs, opts?: pulumi.InvokeOptions): Promise<GetPolicyResult> {
    return utilities.invoke(fns.getPolicy, args, opts);
}
export function getPolicyOutput(args: GetPolicyOutputArgs, opts?: pulumi.InvokeOutputOptions): pulumi.Output<GetPolicyResult> {
    return utilities.invokeOutput(fns.getPolicy, args, opts);
}
/** A collection of arguments for invoking getPolicy. */
export interface GetPolicyArgs {
    /** The name of the storage policy. */
    name: string;
}
/** A collection of arguments for invoking getPolicy. */
export interface GetPolicyOutputArgs {
    name: pulumi.Input<string>;
}
/** A collection of values returned by getPolicy. */
export interface GetPolicyResult {
    /** The storage policy's ID, usable as `storagePolicyId`. */
    readonly id: string;
    readonly name: string;
}
