/**
 * Machine-readable description of every vSphere binding in this shim. It is the single source of
 * truth for the names we send:
 *   - the resource classes and invoke functions build their `resourceInputs` / invoke arguments
 *     from it (see `utilities.ts`), so they can only send the names listed here;
 *   - `conformance.ts` proves at compile time that the exported Args/State/Result interfaces and the
 *     classes' output properties have exactly these names, optionality and types;
 *   - `test/vsphere-schema.test.ts` checks every token, name, type and required flag in here against
 *     the pulumi-vsphere v4.17.0 package schema, and checks (under Pulumi mocks) that the code really
 *     sends what is listed here.
 *
 * Field specs are schema-like strings: `string`, `integer`, `number`, `boolean`, `string[]`, `map`
 * (map of string to string), a nested type name (`VirtualMachineDisk`) or an array of one
 * (`VirtualMachineDisk[]`). A trailing `!` marks the field required: in `requiredInputs` for resource
 * inputs, in `required` for resource outputs and invoke inputs/outputs, in the nested type's
 * `required` (or `language.nodejs.requiredOutputs` for output-only types).
 */

export type PrimSpec = "string" | "integer" | "number" | "boolean" | "string[]" | "map";
export type RefName =
    | "VirtualMachineDisk"
    | "VirtualMachineNetworkInterface"
    | "VirtualMachineClone"
    | "GetVirtualMachineDisk"
    | "GetVirtualMachineNetworkInterface";
export type BaseSpec = PrimSpec | RefName | `${RefName}[]`;
export type FieldSpec = BaseSpec | `${BaseSpec}!`;
export type FieldSpecs = { readonly [name: string]: FieldSpec };

export interface ProviderBinding {
    readonly kind: "provider";
    /** The package name: the provider's type token is `pulumi:providers:<package>`. */
    readonly package: string;
    readonly token: string;
    readonly inputs: FieldSpecs;
    /** Provider resources only expose string-typed outputs (Pulumi codegen rule). */
    readonly outputs: FieldSpecs;
    readonly secretInputs: readonly string[];
}
export interface ResourceBinding {
    readonly kind: "resource";
    readonly token: string;
    readonly inputs: FieldSpecs;
    /** Output properties declared on the class (besides the implicit `id` and `urn`). */
    readonly outputs: FieldSpecs;
    readonly secretInputs: readonly string[];
}
export interface FunctionBinding {
    readonly kind: "function";
    readonly token: string;
    readonly inputs: FieldSpecs;
    readonly outputs: FieldSpecs;
}
export interface NestedTypeBinding {
    readonly token: string;
    /** `input`: used in Args (types.input.X); `output`: used in results (types.output.X). */
    readonly usage: "input" | "output";
    readonly fields: FieldSpecs;
}
export interface BindingManifest {
    readonly package: string;
    /** Version of the `vsphere` resource plugin the CLI must install (resource/invoke option `version`). */
    readonly pluginVersion: string;
    readonly provider: ProviderBinding;
    /** Keyed by the exported class name. */
    readonly resources: { readonly [className: string]: ResourceBinding };
    /** Keyed by the exported function name; `<name>Output` is exported alongside. */
    readonly functions: { readonly [functionName: string]: FunctionBinding };
    /** Keyed by the interface name under `types.input` / `types.output`. */
    readonly types: { readonly [K in RefName]: NestedTypeBinding };
}

export const bindingManifest = {
    package: "vsphere",
    pluginVersion: "4.17.0",
    provider: {
        kind: "provider",
        package: "vsphere",
        token: "pulumi:providers:vsphere",
        inputs: {
            allowUnverifiedSsl: "boolean",
            apiTimeout: "integer",
            password: "string",
            user: "string",
            vsphereServer: "string",
        },
        outputs: { password: "string", user: "string", vsphereServer: "string" },
        // The schema does not mark `password` secret (the TF provider doesn't flag it Sensitive);
        // we wrap it anyway so it is encrypted in state. See the header of providers/vsphere.ts.
        secretInputs: ["password"],
    },
    resources: {
        VirtualMachine: {
            kind: "resource",
            token: "vsphere:index/virtualMachine:VirtualMachine",
            inputs: {
                annotation: "string",
                clone: "VirtualMachineClone",
                cpuHotAddEnabled: "boolean",
                datastoreClusterId: "string",
                datastoreId: "string",
                disks: "VirtualMachineDisk[]",
                enableDiskUuid: "boolean",
                extraConfig: "map",
                firmware: "string",
                folder: "string",
                guestId: "string",
                memory: "integer",
                memoryHotAddEnabled: "boolean",
                name: "string",
                networkInterfaces: "VirtualMachineNetworkInterface[]",
                numCoresPerSocket: "integer",
                numCpus: "integer",
                resourcePoolId: "string!",
                scsiType: "string",
                storagePolicyId: "string",
                tags: "string[]",
                waitForGuestIpTimeout: "integer",
                waitForGuestNetTimeout: "integer",
            },
            outputs: {
                defaultIpAddress: "string!",
                guestIpAddresses: "string[]!",
                moid: "string!",
                name: "string!",
                powerState: "string!",
                uuid: "string!",
            },
            secretInputs: [],
        },
        Folder: {
            kind: "resource",
            token: "vsphere:index/folder:Folder",
            inputs: { datacenterId: "string", path: "string!", tags: "string[]", type: "string!" },
            outputs: { datacenterId: "string", path: "string!", tags: "string[]", type: "string!" },
            secretInputs: [],
        },
        ComputeClusterVmAntiAffinityRule: {
            kind: "resource",
            token: "vsphere:index/computeClusterVmAntiAffinityRule:ComputeClusterVmAntiAffinityRule",
            inputs: {
                computeClusterId: "string!",
                enabled: "boolean",
                mandatory: "boolean",
                name: "string",
                virtualMachineIds: "string[]!",
            },
            outputs: {
                computeClusterId: "string!",
                enabled: "boolean",
                mandatory: "boolean",
                name: "string!",
                virtualMachineIds: "string[]!",
            },
            secretInputs: [],
        },
        TagCategory: {
            kind: "resource",
            token: "vsphere:index/tagCategory:TagCategory",
            inputs: { associableTypes: "string[]!", cardinality: "string!", description: "string", name: "string" },
            outputs: { associableTypes: "string[]!", cardinality: "string!", description: "string", name: "string!" },
            secretInputs: [],
        },
        Tag: {
            kind: "resource",
            token: "vsphere:index/tag:Tag",
            inputs: { categoryId: "string!", description: "string", name: "string" },
            outputs: { categoryId: "string!", description: "string", name: "string!" },
            secretInputs: [],
        },
    },
    functions: {
        getDatacenter: {
            kind: "function",
            token: "vsphere:index/getDatacenter:getDatacenter",
            inputs: { name: "string" },
            outputs: { id: "string!", name: "string", virtualMachines: "string[]!" },
        },
        getComputeCluster: {
            kind: "function",
            token: "vsphere:index/getComputeCluster:getComputeCluster",
            inputs: { datacenterId: "string", name: "string!" },
            outputs: { datacenterId: "string", id: "string!", name: "string!", resourcePoolId: "string!" },
        },
        getResourcePool: {
            kind: "function",
            token: "vsphere:index/getResourcePool:getResourcePool",
            inputs: { datacenterId: "string", name: "string" },
            outputs: { datacenterId: "string", id: "string!", name: "string" },
        },
        getDatastore: {
            kind: "function",
            token: "vsphere:index/getDatastore:getDatastore",
            inputs: { datacenterId: "string", name: "string!" },
            outputs: { datacenterId: "string", id: "string!", name: "string!" },
        },
        getDatastoreCluster: {
            kind: "function",
            token: "vsphere:index/getDatastoreCluster:getDatastoreCluster",
            inputs: { datacenterId: "string", name: "string!" },
            outputs: { datacenterId: "string", datastores: "string[]!", id: "string!", name: "string!" },
        },
        getNetwork: {
            kind: "function",
            token: "vsphere:index/getNetwork:getNetwork",
            inputs: { datacenterId: "string", distributedVirtualSwitchUuid: "string", name: "string!" },
            outputs: {
                datacenterId: "string",
                distributedVirtualSwitchUuid: "string",
                id: "string!",
                name: "string!",
                type: "string!",
            },
        },
        getVirtualMachine: {
            kind: "function",
            token: "vsphere:index/getVirtualMachine:getVirtualMachine",
            inputs: { datacenterId: "string", moid: "string", name: "string", uuid: "string" },
            outputs: {
                disks: "GetVirtualMachineDisk[]!",
                firmware: "string",
                guestId: "string!",
                id: "string!",
                memory: "integer",
                moid: "string!",
                name: "string",
                networkInterfaceTypes: "string[]!",
                networkInterfaces: "GetVirtualMachineNetworkInterface[]!",
                numCpus: "integer",
                scsiType: "string!",
                uuid: "string!",
            },
        },
        getPolicy: {
            kind: "function",
            token: "vsphere:index/getPolicy:getPolicy",
            inputs: { name: "string!" },
            outputs: { id: "string!", name: "string!" },
        },
    },
    types: {
        VirtualMachineDisk: {
            token: "vsphere:index/VirtualMachineDisk:VirtualMachineDisk",
            usage: "input",
            fields: {
                eagerlyScrub: "boolean",
                label: "string!",
                size: "integer",
                storagePolicyId: "string",
                thinProvisioned: "boolean",
                unitNumber: "integer",
            },
        },
        VirtualMachineNetworkInterface: {
            token: "vsphere:index/VirtualMachineNetworkInterface:VirtualMachineNetworkInterface",
            usage: "input",
            fields: { adapterType: "string", networkId: "string!" },
        },
        VirtualMachineClone: {
            token: "vsphere:index/VirtualMachineClone:VirtualMachineClone",
            usage: "input",
            fields: { linkedClone: "boolean", templateUuid: "string!", timeout: "integer" },
        },
        GetVirtualMachineDisk: {
            token: "vsphere:index/getVirtualMachineDisk:getVirtualMachineDisk",
            usage: "output",
            fields: {
                eagerlyScrub: "boolean!",
                label: "string!",
                size: "integer!",
                thinProvisioned: "boolean!",
                unitNumber: "integer!",
            },
        },
        GetVirtualMachineNetworkInterface: {
            token: "vsphere:index/getVirtualMachineNetworkInterface:getVirtualMachineNetworkInterface",
            usage: "output",
            fields: { adapterType: "string!", macAddress: "string!", networkId: "string!" },
        },
    },
} as const satisfies BindingManifest;
