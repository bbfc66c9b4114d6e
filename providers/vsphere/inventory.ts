// Inventory resources: `Folder`, `TagCategory`, `Tag` and `ComputeClusterVmAntiAffinityRule`,
// mirroring `@pulumi/vsphere`'s folder.ts, tagCategory.ts, tag.ts and
// computeClusterVmAntiAffinityRule.ts. Only the inputs/outputs clusterkit uses.

import * as pulumi from "@pulumi/pulumi";
import { bindingManifest } from "./manifest";
import * as utilities from "./utilities";

const { Folder: folderBinding, TagCategory: tagCategoryBinding, Tag: tagBinding } = bindingManifest.resources;
const ruleBinding = bindingManifest.resources.ComputeClusterVmAntiAffinityRule;

// Output properties use `declare`: see the note in provider.ts.

/** A VM, host, datastore or network folder in a datacenter (`type`: `vm`, `host`, `datastore`, `network`, `datacenter`). */
export class Folder extends pulumi.CustomResource {
    public static get(name: string, id: pulumi.Input<pulumi.ID>, state?: FolderState, opts?: pulumi.CustomResourceOptions): Folder {
        return new Folder(name, <any>state, { ...opts, id: id });
    }
    /** @internal */
    public static readonly __pulumiType = folderBinding.token;
    /** Returns true if the given object is an instance of Folder (works across SDK copies). */
    public static override isInstance(obj: any): obj is Folder {
        if (obj === undefined || obj === null) {
            return false;
        }
        return obj["__pulumiType"] === Folder.__pulumiType;
    }

    /** The ID of the datacenter the folder is in (required for all types except `datacenter`). */
    declare public readonly datacenterId: pulumi.Output<string | undefined>;
    /** The path of the folder, relative to the datacenter's root of its type. */
    declare public readonly path: pulumi.Output<string>;
    /** The IDs of tags to attach to this folder. */
    declare public readonly tags: pulumi.Output<string[] | undefined>;
    /** The type of folder to create. */
    declare public readonly type: pulumi.Output<string>;

    constructor(name: string, args: FolderArgs, opts?: pulumi.CustomResourceOptions);
    constructor(name: string, argsOrState?: FolderArgs | FolderState, opts?: pulumi.CustomResourceOptions) {
        const [resourceInputs, options] = utilities.customResourceInputsAndOptions(folderBinding, argsOrState, opts);
        super(Folder.__pulumiType, name, resourceInputs, options);
    }
}

/** The set of arguments for constructing a Folder resource. */
export interface FolderArgs {
    /** The ID of the datacenter the folder is in. Forces replacement. */
    datacenterId?: pulumi.Input<string>;
    /** The path of the folder, relative to the datacenter's root of its type. */
    path: pulumi.Input<string>;
    /** The IDs of tags to attach to this folder. */
    tags?: pulumi.Input<pulumi.Input<string>[]>;
    /** `vm`, `host`, `datastore`, `network` or `datacenter`. Forces replacement. */
    type: pulumi.Input<string>;
}

/** Input properties used for looking up and filtering Folder resources. */
export interface FolderState {
    datacenterId?: pulumi.Input<string>;
    path?: pulumi.Input<string>;
    tags?: pulumi.Input<pulumi.Input<string>[]>;
    type?: pulumi.Input<string>;
}

/** A vSphere tag category; `associableTypes` lists the object types its tags may be attached to. */
export class TagCategory extends pulumi.CustomResource {
    public static get(name: string, id: pulumi.Input<pulumi.ID>, state?: TagCategoryState, opts?: pulumi.CustomResourceOptions): TagCategory {
        return new TagCategory(name, <any>state, { ...opts, id: id });
    }
    /** @internal */
    public static readonly __pulumiType = tagCategoryBinding.token;
    /** Returns true if the given object is an instance of TagCategory (works across SDK copies). */
    public static override isInstance(obj: any): obj is TagCategory {
        if (obj === undefined || obj === null) {
            return false;
        }
        return obj["__pulumiType"] === TagCategory.__pulumiType;
    }

    /** Object types to which tags in this category can be attached (e.g. `VirtualMachine`, `Folder`). */
    declare public readonly associableTypes: pulumi.Output<string[]>;
    /** `SINGLE` or `MULTIPLE` tags of this category per object. */
    declare public readonly cardinality: pulumi.Output<string>;
    /** A description for the category. */
    declare public readonly description: pulumi.Output<string | undefined>;
    /** The name of the category. */
    declare public readonly name: pulumi.Output<string>;

    constructor(name: string, args: TagCategoryArgs, opts?: pulumi.CustomResourceOptions);
    constructor(name: string, argsOrState?: TagCategoryArgs | TagCategoryState, opts?: pulumi.CustomResourceOptions) {
        const [resourceInputs, options] = utilities.customResourceInputsAndOptions(tagCategoryBinding, argsOrState, opts);
        super(TagCategory.__pulumiType, name, resourceInputs, options);
    }
}

/** The set of arguments for constructing a TagCategory resource. */
export interface TagCategoryArgs {
    /** Object types to which tags in this category can be attached. */
    associableTypes: pulumi.Input<pulumi.Input<string>[]>;
    /** `SINGLE` or `MULTIPLE` tags of this category per object. */
    cardinality: pulumi.Input<string>;
    /** A description for the category. */
    description?: pulumi.Input<string>;
    /** The name of the category. */
    name?: pulumi.Input<string>;
}

/** Input properties used for looking up and filtering TagCategory resources. */
export interface TagCategoryState {
    associableTypes?: pulumi.Input<pulumi.Input<string>[]>;
    cardinality?: pulumi.Input<string>;
    description?: pulumi.Input<string>;
    name?: pulumi.Input<string>;
}

/** A vSphere tag in a category; attach it by passing its `id` in a resource's `tags`. */
export class Tag extends pulumi.CustomResource {
    public static get(name: string, id: pulumi.Input<pulumi.ID>, state?: TagState, opts?: pulumi.CustomResourceOptions): Tag {
        return new Tag(name, <any>state, { ...opts, id: id });
    }
    /** @internal */
    public static readonly __pulumiType = tagBinding.token;
    /** Returns true if the given object is an instance of Tag (works across SDK copies). */
    public static override isInstance(obj: any): obj is Tag {
        if (obj === undefined || obj === null) {
            return false;
        }
        return obj["__pulumiType"] === Tag.__pulumiType;
    }

    /** The unique identifier of the parent category. */
    declare public readonly categoryId: pulumi.Output<string>;
    /** A description for the tag. */
    declare public readonly description: pulumi.Output<string | undefined>;
    /** The display name of the tag. */
    declare public readonly name: pulumi.Output<string>;

    constructor(name: string, args: TagArgs, opts?: pulumi.CustomResourceOptions);
    constructor(name: string, argsOrState?: TagArgs | TagState, opts?: pulumi.CustomResourceOptions) {
        const [resourceInputs, options] = utilities.customResourceInputsAndOptions(tagBinding, argsOrState, opts);
        super(Tag.__pulumiType, name, resourceInputs, options);
    }
}

/** The set of arguments for constructing a Tag resource. */
export interface TagArgs {
    /** The unique identifier of the parent category. Forces replacement. */
    categoryId: pulumi.Input<string>;
    /** A description for the tag. */
    description?: pulumi.Input<string>;
    /** The display name of the tag (unique within its category). */
    name?: pulumi.Input<string>;
}

/** Input properties used for looking up and filtering Tag resources. */
export interface TagState {
    categoryId?: pulumi.Input<string>;
    description?: pulumi.Input<string>;
    name?: pulumi.Input<string>;
}

/** A DRS anti-affinity rule: keeps the listed VMs on different hosts of a compute cluster. */
export class ComputeClusterVmAntiAffinityRule extends pulumi.CustomResource {
    public static get(
        name: string,
        id: pulumi.Input<pulumi.ID>,
        state?: ComputeClusterVmAntiAffinityRuleState,
        opts?: pulumi.CustomResourceOptions,
    ): ComputeClusterVmAntiAffinityRule {
        return new ComputeClusterVmAntiAffinityRule(name, <any>state, { ...opts, id: id });
    }
    /** @internal */
    public static readonly __pulumiType = ruleBinding.token;
    /** Returns true if the given object is an instance of ComputeClusterVmAntiAffinityRule (works across SDK copies). */
    public static override isInstance(obj: any): obj is ComputeClusterVmAntiAffinityRule {
        if (obj === undefined || obj === null) {
            return false;
        }
        return obj["__pulumiType"] === ComputeClusterVmAntiAffinityRule.__pulumiType;
    }

    /** The managed object reference ID of the cluster. */
    declare public readonly computeClusterId: pulumi.Output<string>;
    /** Enable this rule in the cluster. */
    declare public readonly enabled: pulumi.Output<boolean | undefined>;
    /** When true, prevents any virtual machine operations that may violate this rule. */
    declare public readonly mandatory: pulumi.Output<boolean | undefined>;
    /** The name of the rule (unique in the cluster). */
    declare public readonly name: pulumi.Output<string>;
    /** The UUIDs of the virtual machines to run on different hosts. */
    declare public readonly virtualMachineIds: pulumi.Output<string[]>;

    constructor(name: string, args: ComputeClusterVmAntiAffinityRuleArgs, opts?: pulumi.CustomResourceOptions);
    constructor(
        name: string,
        argsOrState?: ComputeClusterVmAntiAffinityRuleArgs | ComputeClusterVmAntiAffinityRuleState,
        opts?: pulumi.CustomResourceOptions,
    ) {
        const [resourceInputs, options] = utilities.customResourceInputsAndOptions(ruleBinding, argsOrState, opts);
        super(ComputeClusterVmAntiAffinityRule.__pulumiType, name, resourceInputs, options);
    }
}

/** The set of arguments for constructing a ComputeClusterVmAntiAffinityRule resource. */
export interface ComputeClusterVmAntiAffinityRuleArgs {
    /** The managed object reference ID of the cluster. Forces replacement. */
    computeClusterId: pulumi.Input<string>;
    /** Enable this rule in the cluster. */
    enabled?: pulumi.Input<boolean>;
    /** When true, prevents any virtual machine operations that may violate this rule. */
    mandatory?: pulumi.Input<boolean>;
    /** The name of the rule (unique in the cluster). */
    name?: pulumi.Input<string>;
    /** The UUIDs of the virtual machines to run on different hosts (`VirtualMachine.id`). */
    virtualMachineIds: pulumi.Input<pulumi.Input<string>[]>;
}

/** Input properties used for looking up and filtering ComputeClusterVmAntiAffinityRule resources. */
export interface ComputeClusterVmAntiAffinityRuleState {
    computeClusterId?: pulumi.Input<string>;
    enabled?: pulumi.Input<boolean>;
    mandatory?: pulumi.Input<boolean>;
    name?: pulumi.Input<string>;
    virtualMachineIds?: pulumi.Input<pulumi.Input<string>[]>;
}
