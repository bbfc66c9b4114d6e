// `vsphere.Provider`, mirroring `@pulumi/vsphere`'s sdk/nodejs/provider.ts (type `pulumi:providers:vsphere`).

import * as pulumi from "@pulumi/pulumi";
import { bindingManifest } from "./manifest";
import * as utilities from "./utilities";

const binding = bindingManifest.provider;

/**
 * The provider type for the vsphere package. By default, resources use package-wide configuration
 * settings (`vsphere:user`, `vsphere:password`, ...); an explicit `Provider` instance may be created
 * and passed as the `provider` resource option to target a specific vCenter.
 */
export class Provider extends pulumi.ProviderResource {
    /** @internal */
    public static readonly __pulumiType = binding.package;

    /**
     * Returns true if the given object is an instance of Provider. This is designed to work even
     * when multiple copies of the Pulumi SDK have been loaded into the same process.
     */
    public static override isInstance(obj: any): obj is Provider {
        if (obj === undefined || obj === null) {
            return false;
        }
        return obj["__pulumiType"] === "pulumi:providers:" + Provider.__pulumiType;
    }

    // Output properties use `declare` (no emitted field): with this repo's ES2022 target, a
    // `public readonly x!: ...` field would be re-initialised to `undefined` after `super()`.
    /** The user password for vSphere API operations. */
    declare public readonly password: pulumi.Output<string | undefined>;
    /** The user name for vSphere API operations. */
    declare public readonly user: pulumi.Output<string | undefined>;
    /** The vSphere Server name for vSphere API operations. */
    declare public readonly vsphereServer: pulumi.Output<string | undefined>;

    /**
     * Create a Provider resource with the given unique name, arguments, and options.
     *
     * @param name The _unique_ name of the resource.
     * @param args The arguments to use to populate this resource's properties.
     * @param opts A bag of options that control this resource's behavior.
     */
    constructor(name: string, args?: ProviderArgs, opts?: pulumi.ResourceOptions) {
        opts = opts || {};
        utilities.requireInputs(binding, args, opts);
        const resourceInputs = utilities.providerInputsFromArgs(binding, args);
        opts = pulumi.mergeOptions(utilities.resourceOptsDefaults(), opts);
        opts = utilities.withSecretOutputs(binding, opts);
        super(Provider.__pulumiType, name, resourceInputs, opts);
    }
}

/**
 * The set of arguments for constructing a Provider resource. In v4.17.0 none is required by the
 * schema (`user`/`password` may come from stack config or `VSPHERE_USER`/`VSPHERE_PASSWORD`).
 */
export interface ProviderArgs {
    /** If set, VMware vSphere client will permit unverifiable SSL certificates. */
    allowUnverifiedSsl?: pulumi.Input<boolean>;
    /** API timeout in minutes (default: 5). */
    apiTimeout?: pulumi.Input<number>;
    /**
     * The user password for vSphere API operations. This shim always marks it secret; the official
     * package does not, so pass a secret (e.g. `config.requireSecret(...)`) there.
     */
    password?: pulumi.Input<string>;
    /** The user name for vSphere API operations. */
    user?: pulumi.Input<string>;
    /** The vSphere Server name for vSphere API operations. */
    vsphereServer?: pulumi.Input<string>;
}
