// Shared plumbing for the vSphere bindings, in the spirit of a generated SDK's `utilities.ts`: the
// plugin version, default resource/invoke options, and turning Args/State objects into the property
// bags sent to the engine, driven by the binding manifest.

import * as pulumi from "@pulumi/pulumi";
import {
    bindingManifest,
    FieldSpec,
    FunctionBinding,
    ProviderBinding,
    ResourceBinding,
} from "./manifest";

/** The `vsphere` resource-plugin version; the Pulumi CLI installs it on demand. */
export function getVersion(): string {
    return bindingManifest.pluginVersion;
}

/**
 * Default options merged under the caller's options for every resource, provider and invoke, as
 * generated SDKs do. `pluginDownloadURL` is not set: v4.17.0 is published on Pulumi's plugin CDN.
 */
export function resourceOptsDefaults(): any {
    return { version: getVersion() };
}

export function isRequired(spec: FieldSpec): boolean {
    return spec.endsWith("!");
}

export function baseSpec(spec: FieldSpec): string {
    return isRequired(spec) ? spec.slice(0, -1) : spec;
}

/** An Args or State object (interfaces have no index signature, hence `object`). */
type Bag = object | undefined;

function field(bag: Bag, key: string): any {
    return bag ? (bag as Record<string, unknown>)[key] : undefined;
}

/** Throws like a generated constructor does when a required input is missing (unless adopting by URN). */
export function requireInputs(
    binding: ResourceBinding | ProviderBinding,
    args: Bag,
    opts: pulumi.ResourceOptions,
): void {
    for (const [key, spec] of Object.entries(binding.inputs)) {
        if (isRequired(spec) && field(args, key) === undefined && !opts.urn) {
            throw new Error(`Missing required property '${key}'`);
        }
    }
}

/**
 * `resourceInputs` for a new resource: every manifest input copied from `args` (secret inputs wrapped
 * with `pulumi.secret`), plus every output-only property set to `undefined` so the base constructor
 * creates an Output for it.
 */
export function resourceInputsFromArgs(binding: ResourceBinding, args: Bag): pulumi.Inputs {
    const resourceInputs: pulumi.Inputs = {};
    for (const key of Object.keys(binding.inputs)) {
        const value = field(args, key);
        resourceInputs[key] = binding.secretInputs.includes(key) && value ? pulumi.secret(value) : value;
    }
    for (const key of Object.keys(binding.outputs)) {
        if (!(key in resourceInputs)) {
            resourceInputs[key] = undefined /*out*/;
        }
    }
    return resourceInputs;
}

/** `resourceInputs` for `X.get(name, id, state)`: every input and output property, read from `state`. */
export function resourceInputsFromState(binding: ResourceBinding, state: Bag): pulumi.Inputs {
    const resourceInputs: pulumi.Inputs = {};
    for (const key of [...Object.keys(binding.inputs), ...Object.keys(binding.outputs)]) {
        resourceInputs[key] = field(state, key);
    }
    return resourceInputs;
}

/**
 * Provider inputs. As in generated providers, non-string values are sent JSON-encoded
 * (`pulumi.output(v).apply(JSON.stringify)`), because provider configuration travels as strings.
 */
export function providerInputsFromArgs(binding: ProviderBinding, args: Bag): pulumi.Inputs {
    const resourceInputs: pulumi.Inputs = {};
    for (const [key, spec] of Object.entries(binding.inputs)) {
        const value = field(args, key);
        if (baseSpec(spec) !== "string") {
            resourceInputs[key] = pulumi.output(value).apply(JSON.stringify);
        } else {
            resourceInputs[key] = binding.secretInputs.includes(key) && value ? pulumi.secret(value) : value;
        }
    }
    return resourceInputs;
}

/** Options adding the binding's secret inputs to `additionalSecretOutputs`, merged over `opts`. */
export function withSecretOutputs<T extends pulumi.ResourceOptions>(
    binding: ResourceBinding | ProviderBinding,
    opts: T,
): T {
    if (binding.secretInputs.length === 0) {
        return opts;
    }
    return pulumi.mergeOptions(opts, { additionalSecretOutputs: [...binding.secretInputs] }) as T;
}

/**
 * The body of a generated CustomResource constructor: `resourceInputs` from the state (`opts.id`
 * set, i.e. `X.get(...)`) or from the args (after the required-input check), and the options with
 * the plugin version merged under the caller's.
 */
export function customResourceInputsAndOptions(
    binding: ResourceBinding,
    argsOrState: Bag,
    opts: pulumi.CustomResourceOptions | undefined,
): [pulumi.Inputs, pulumi.CustomResourceOptions] {
    opts = opts || {};
    let resourceInputs: pulumi.Inputs;
    if (opts.id) {
        resourceInputs = resourceInputsFromState(binding, argsOrState);
    } else {
        requireInputs(binding, argsOrState, opts);
        resourceInputs = resourceInputsFromArgs(binding, argsOrState);
    }
    opts = pulumi.mergeOptions(resourceOptsDefaults(), opts);
    return [resourceInputs, withSecretOutputs(binding, opts)];
}

/** Invoke arguments: exactly the manifest's inputs, read from `args`. */
export function invokeArgs(binding: FunctionBinding, args: Bag): pulumi.Inputs {
    const props: pulumi.Inputs = {};
    for (const key of Object.keys(binding.inputs)) {
        props[key] = field(args, key);
    }
    return props;
}

/** `getX(args, opts)`: a Promise of the invoke result, with the plugin version in the options. */
export function invoke<T>(binding: FunctionBinding, args: Bag, opts: pulumi.InvokeOptions | undefined): Promise<T> {
    opts = pulumi.mergeOptions(resourceOptsDefaults(), opts || {});
    return pulumi.runtime.invoke(binding.token, invokeArgs(binding, args || {}), opts);
}

/** `getXOutput(args, opts)`: an Output of the invoke result; args may be Inputs. */
export function invokeOutput<T>(
    binding: FunctionBinding,
    args: Bag,
    opts: pulumi.InvokeOutputOptions | undefined,
): pulumi.Output<T> {
    opts = pulumi.mergeOptions(resourceOptsDefaults(), opts || {});
    return pulumi.runtime.invokeOutput<T>(binding.token, invokeArgs(binding, args || {}), opts);
}
