// Compile-time proof that what `providers/vsphere.ts` exports matches the binding manifest: for every
// Args / OutputArgs / State / Result interface, nested type and class, the property names are exactly
// the manifest's, optional exactly when the manifest spec has no `!`, and typed exactly as
// `@pulumi/vsphere`'s codegen types that schema type (e.g. `integer` -> `pulumi.Input<number>` in
// Args, `number` in Results, `pulumi.Output<number | undefined>` on the class when not required).
// The manifest itself is checked against the package schema by test/vsphere-schema.test.ts, so
// together they tie the typed surface to the schema. Nothing here runs: `npx tsc --noEmit -p .`
// fails with e.g. `Type '"numCpus"' does not satisfy the constraint 'never'` on a mismatch.

import * as pulumi from "@pulumi/pulumi";
import type * as vsphere from "../vsphere";
import type { bindingManifest } from "./manifest";

type M = typeof bindingManifest;
type R = M["resources"];
type F = M["functions"];
type T = M["types"];

interface InputRefs {
    VirtualMachineDisk: vsphere.types.input.VirtualMachineDisk;
    VirtualMachineNetworkInterface: vsphere.types.input.VirtualMachineNetworkInterface;
    VirtualMachineClone: vsphere.types.input.VirtualMachineClone;
}
interface OutputRefs {
    GetVirtualMachineDisk: vsphere.types.output.GetVirtualMachineDisk;
    GetVirtualMachineNetworkInterface: vsphere.types.output.GetVirtualMachineNetworkInterface;
}

type Base<S> = S extends `${infer B}!` ? B : S;
type IsRequired<S> = S extends `${string}!` ? true : false;

/** Plain (result) type of a spec, as in a generated `GetXResult` or `types.output.X`. */
type Plain<B> = B extends "string" ? string
    : B extends "integer" | "number" ? number
    : B extends "boolean" ? boolean
    : B extends "string[]" ? string[]
    : B extends "map" ? { [key: string]: string }
    : B extends `${infer N extends keyof OutputRefs}[]` ? OutputRefs[N][]
    : B extends keyof OutputRefs ? OutputRefs[B]
    : never;

/** Input type of a spec, as in a generated `XArgs`, `XState`, `GetXOutputArgs` or `types.input.X`. */
type In<B> = B extends "string" ? pulumi.Input<string>
    : B extends "integer" | "number" ? pulumi.Input<number>
    : B extends "boolean" ? pulumi.Input<boolean>
    : B extends "string[]" ? pulumi.Input<pulumi.Input<string>[]>
    : B extends "map" ? pulumi.Input<{ [key: string]: pulumi.Input<string> }>
    : B extends `${infer N extends keyof InputRefs}[]` ? pulumi.Input<pulumi.Input<InputRefs[N]>[]>
    : B extends keyof InputRefs ? pulumi.Input<InputRefs[B]>
    : never;

type Mode = "input" | "plain" | "output";
type Expected<S, Md extends Mode> = Md extends "input" ? In<Base<S>>
    : Md extends "plain" ? Plain<Base<S>>
    : IsRequired<S> extends true ? pulumi.Output<Plain<Base<S>>>
    : pulumi.Output<Plain<Base<S>> | undefined>;

type Equals<A, B> = (<X>() => X extends A ? 1 : 2) extends (<X>() => X extends B ? 1 : 2) ? true : false;
type OptionalKeys<I> = { [K in keyof I]-?: {} extends Pick<I, K> ? K : never }[keyof I];

/** Keys that are missing on either side, typed differently, or (for interfaces) wrongly optional. */
type Mismatch<I, S, Md extends Mode> =
    | Exclude<keyof I, keyof S>
    | Exclude<keyof S, keyof I>
    | {
          [K in keyof I & keyof S]: Md extends "output"
              ? Equals<I[K], Expected<S[K], Md>> extends true ? never : K
              : Equals<Exclude<I[K], undefined>, Expected<S[K], Md>> extends true
                ? Equals<K extends OptionalKeys<I> ? false : true, IsRequired<S[K]>> extends true ? never : K
                : K;
      }[keyof I & keyof S];

/** A resource's State spec: every input and output property, all optional. */
type StateSpec<B extends { inputs: object; outputs: object }> = {
    [K in keyof B["inputs"] | keyof B["outputs"]]: Base<
        K extends keyof B["inputs"] ? B["inputs"][K] : K extends keyof B["outputs"] ? B["outputs"][K] : never
    >;
};

/** The `pulumi.Output` properties a class declares, minus the implicit `id` / `urn`. */
type OutputProps<C> = Pick<C, Exclude<{ [K in keyof C]-?: C[K] extends pulumi.OutputInstance<any> ? K : never }[keyof C], "id" | "urn">>;

type Expect<X extends never> = X;

export type Checks = [
    // Provider
    Expect<Mismatch<vsphere.ProviderArgs, M["provider"]["inputs"], "input">>,
    Expect<Mismatch<OutputProps<vsphere.Provider>, M["provider"]["outputs"], "output">>,
    // Resources
    Expect<Mismatch<vsphere.VirtualMachineArgs, R["VirtualMachine"]["inputs"], "input">>,
    Expect<Mismatch<vsphere.VirtualMachineState, StateSpec<R["VirtualMachine"]>, "input">>,
    Expect<Mismatch<OutputProps<vsphere.VirtualMachine>, R["VirtualMachine"]["outputs"], "output">>,
    Expect<Mismatch<vsphere.FolderArgs, R["Folder"]["inputs"], "input">>,
    Expect<Mismatch<vsphere.FolderState, StateSpec<R["Folder"]>, "input">>,
    Expect<Mismatch<OutputProps<vsphere.Folder>, R["Folder"]["outputs"], "output">>,
    Expect<Mismatch<vsphere.ComputeClusterVmAntiAffinityRuleArgs, R["ComputeClusterVmAntiAffinityRule"]["inputs"], "input">>,
    Expect<Mismatch<vsphere.ComputeClusterVmAntiAffinityRuleState, StateSpec<R["ComputeClusterVmAntiAffinityRule"]>, "input">>,
    Expect<Mismatch<OutputProps<vsphere.ComputeClusterVmAntiAffinityRule>, R["ComputeClusterVmAntiAffinityRule"]["outputs"], "output">>,
    Expect<Mismatch<vsphere.TagCategoryArgs, R["TagCategory"]["inputs"], "input">>,
    Expect<Mismatch<vsphere.TagCategoryState, StateSpec<R["TagCategory"]>, "input">>,
    Expect<Mismatch<OutputProps<vsphere.TagCategory>, R["TagCategory"]["outputs"], "output">>,
    Expect<Mismatch<vsphere.TagArgs, R["Tag"]["inputs"], "input">>,
    Expect<Mismatch<vsphere.TagState, StateSpec<R["Tag"]>, "input">>,
    Expect<Mismatch<OutputProps<vsphere.Tag>, R["Tag"]["outputs"], "output">>,
    // Functions: Args (plain), OutputArgs (Inputs), Result (plain)
    Expect<Mismatch<vsphere.GetDatacenterArgs, F["getDatacenter"]["inputs"], "plain">>,
    Expect<Mismatch<vsphere.GetDatacenterOutputArgs, F["getDatacenter"]["inputs"], "input">>,
    Expect<Mismatch<vsphere.GetDatacenterResult, F["getDatacenter"]["outputs"], "plain">>,
    Expect<Mismatch<vsphere.GetComputeClusterArgs, F["getComputeCluster"]["inputs"], "plain">>,
    Expect<Mismatch<vsphere.GetComputeClusterOutputArgs, F["getComputeCluster"]["inputs"], "input">>,
    Expect<Mismatch<vsphere.GetComputeClusterResult, F["getComputeCluster"]["outputs"], "plain">>,
    Expect<Mismatch<vsphere.GetResourcePoolArgs, F["getResourcePool"]["inputs"], "plain">>,
    Expect<Mismatch<vsphere.GetResourcePoolOutputArgs, F["getResourcePool"]["inputs"], "input">>,
    Expect<Mismatch<vsphere.GetResourcePoolResult, F["getResourcePool"]["outputs"], "plain">>,
    Expect<Mismatch<vsphere.GetDatastoreArgs, F["getDatastore"]["inputs"], "plain">>,
    Expect<Mismatch<vsphere.GetDatastoreOutputArgs, F["getDatastore"]["inputs"], "input">>,
    Expect<Mismatch<vsphere.GetDatastoreResult, F["getDatastore"]["outputs"], "plain">>,
    Expect<Mismatch<vsphere.GetDatastoreClusterArgs, F["getDatastoreCluster"]["inputs"], "plain">>,
    Expect<Mismatch<vsphere.GetDatastoreClusterOutputArgs, F["getDatastoreCluster"]["inputs"], "input">>,
    Expect<Mismatch<vsphere.GetDatastoreClusterResult, F["getDatastoreCluster"]["outputs"], "plain">>,
    Expect<Mismatch<vsphere.GetNetworkArgs, F["getNetwork"]["inputs"], "plain">>,
    Expect<Mismatch<vsphere.GetNetworkOutputArgs, F["getNetwork"]["inputs"], "input">>,
    Expect<Mismatch<vsphere.GetNetworkResult, F["getNetwork"]["outputs"], "plain">>,
    Expect<Mismatch<vsphere.GetVirtualMachineArgs, F["getVirtualMachine"]["inputs"], "plain">>,
    Expect<Mismatch<vsphere.GetVirtualMachineOutputArgs, F["getVirtualMachine"]["inputs"], "input">>,
    Expect<Mismatch<vsphere.GetVirtualMachineResult, F["getVirtualMachine"]["outputs"], "plain">>,
    Expect<Mismatch<vsphere.GetPolicyArgs, F["getPolicy"]["inputs"], "plain">>,
    Expect<Mismatch<vsphere.GetPolicyOutputArgs, F["getPolicy"]["inputs"], "input">>,
    Expect<Mismatch<vsphere.GetPolicyResult, F["getPolicy"]["outputs"], "plain">>,
    // Nested types
    Expect<Mismatch<vsphere.types.input.VirtualMachineDisk, T["VirtualMachineDisk"]["fields"], "input">>,
    Expect<Mismatch<vsphere.types.input.VirtualMachineNetworkInterface, T["VirtualMachineNetworkInterface"]["fields"], "input">>,
    Expect<Mismatch<vsphere.types.input.VirtualMachineClone, T["VirtualMachineClone"]["fields"], "input">>,
    Expect<Mismatch<vsphere.types.output.GetVirtualMachineDisk, T["GetVirtualMachineDisk"]["fields"], "plain">>,
    Expect<Mismatch<vsphere.types.output.GetVirtualMachineNetworkInterface, T["GetVirtualMachineNetworkInterface"]["fields"], "plain">>,
];

/**
 * Every manifest binding must appear in `Checks` above: adding a resource/function/type to the
 * manifest without a line here fails to compile. (Keys listed here, per kind.)
 */
type Covered = {
    resources: "VirtualMachine" | "Folder" | "ComputeClusterVmAntiAffinityRule" | "TagCategory" | "Tag";
    functions: "getDatacenter" | "getComputeCluster" | "getResourcePool" | "getDatastore" | "getDatastoreCluster" | "getNetwork" | "getVirtualMachine" | "getPolicy";
    types: keyof InputRefs | keyof OutputRefs;
};
export type CoverageChecks = [
    Expect<Exclude<keyof R, Covered["resources"]>>,
    Expect<Exclude<keyof F, Covered["functions"]>>,
    Expect<Exclude<keyof T, Covered["types"]>>,
];
