/*
 * vSphere bindings for clusterkit: a stand-in for `@pulumi/vsphere`.
 *
 * Why this module exists: `@pulumi/vsphere` cannot be installed in our build environment (its npm
 * registry answers 404 for every version), but clusterkit's users can install it. So every vSphere
 * binding goes through this one module, whose exported names and argument shapes mirror
 * `@pulumi/vsphere` v4.17.0 (same classes, functions, Args/State/Result interfaces, `types.input` /
 * `types.output`, camelCase property names and `pulumi.Input` wrappers). The classes register the
 * real type tokens (`vsphere:index/virtualMachine:VirtualMachine`, ...) and pass `version: "4.17.0"`
 * in their resource/invoke options, so the Pulumi CLI installs the `vsphere` resource plugin v4.17.0
 * on demand and the engine sees exactly what the official SDK would send. Only the inputs and
 * outputs clusterkit uses are typed; test/vsphere-schema.test.ts checks every token and name against
 * the provider's package schema (test/reference/pulumi-vsphere.schema.json).
 *
 * Switching to the official package is a one-line import change in each consumer:
 *
 *     import * as vsphere from "../providers/vsphere";   // before
 *     import * as vsphere from "@pulumi/vsphere";        // after
 *
 * plus adding the dependency: `npm i @pulumi/vsphere@4.17.0`. Two differences to keep in mind then:
 *   - `bindingManifest` (below) is shim-only, for the conformance test; do not use it elsewhere.
 *   - This shim marks the provider `password` secret; the official SDK does not (the schema doesn't
 *     flag it), so pass it as a secret there (e.g. `config.requireSecret("vspherePassword")`).
 */

export {
    Provider,
    type ProviderArgs,
} from "./vsphere/provider";
export {
    VirtualMachine,
    type VirtualMachineArgs,
    type VirtualMachineState,
} from "./vsphere/virtualMachine";
export {
    ComputeClusterVmAntiAffinityRule,
    type ComputeClusterVmAntiAffinityRuleArgs,
    type ComputeClusterVmAntiAffinityRuleState,
    Folder,
    type FolderArgs,
    type FolderState,
    Tag,
    type TagArgs,
    TagCategory,
    type TagCategoryArgs,
    type TagCategoryState,
    type TagState,
} from "./vsphere/inventory";
export {
    getComputeCluster,
    type GetComputeClusterArgs,
    getComputeClusterOutput,
    type GetComputeClusterOutputArgs,
    type GetComputeClusterResult,
    getDatacenter,
    type GetDatacenterArgs,
    getDatacenterOutput,
    type GetDatacenterOutputArgs,
    type GetDatacenterResult,
    getDatastore,
    type GetDatastoreArgs,
    getDatastoreCluster,
    type GetDatastoreClusterArgs,
    getDatastoreClusterOutput,
    type GetDatastoreClusterOutputArgs,
    type GetDatastoreClusterResult,
    getDatastoreOutput,
    type GetDatastoreOutputArgs,
    type GetDatastoreResult,
    getNetwork,
    type GetNetworkArgs,
    getNetworkOutput,
    type GetNetworkOutputArgs,
    type GetNetworkResult,
    getPolicy,
    type GetPolicyArgs,
    getPolicyOutput,
    type GetPolicyOutputArgs,
    type GetPolicyResult,
    getResourcePool,
    type GetResourcePoolArgs,
    getResourcePoolOutput,
    type GetResourcePoolOutputArgs,
    type GetResourcePoolResult,
} from "./vsphere/invokes";
export {
    getVirtualMachine,
    type GetVirtualMachineArgs,
    getVirtualMachineOutput,
    type GetVirtualMachineOutputArgs,
    type GetVirtualMachineResult,
} from "./vsphere/getVirtualMachine";

import * as types from "./vsphere/types";
export { types };

/** Shim-only (not in `@pulumi/vsphere`): every token/name this module sends, for the conformance test. */
export { bindingManifest } from "./vsphere/manifest";
