// Conformance of providers/vsphere.ts (our stand-in for @pulumi/vsphere) with the pulumi-vsphere
// v4.17.0 package schema. Nothing here is a hand-copied list of names:
//   1. `checkAgainstSchema` checks every token, input/output name, type, required flag, secret flag
//      and nested type in the module's exported `bindingManifest` against the schema;
//   2. under Pulumi mocks, every resource, provider and invoke is exercised with a value for every
//      input, and the token, property names, nested field names and plugin `version` that actually
//      reach the engine are captured, compared with the manifest and put through the same checker;
//   3. a negative test feeds the checker deliberately wrong manifests, so it is known to fail.
// Types (Args/Result interfaces vs manifest) are proven at compile time by providers/vsphere/conformance.ts.
//
// Run: node --import tsx --test test/vsphere-schema.test.ts   (VSPHERE_SCHEMA overrides the schema path)

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { before, describe, test } from "node:test";
import { closest } from "fastest-levenshtein";
import * as pulumi from "@pulumi/pulumi";
import * as vsphere from "../providers/vsphere";
import type { BindingManifest, FieldSpec, FieldSpecs } from "../providers/vsphere/manifest";
import { referenceDir } from "./support/reference";

const SCHEMA_PATH = process.env.VSPHERE_SCHEMA ?? join(referenceDir, "pulumi-vsphere.schema.json");
const schema = JSON.parse(readFileSync(SCHEMA_PATH, "utf8"));
const manifest: BindingManifest = vsphere.bindingManifest;

// ---- The checker ------------------------------------------------------------------------------------

type Props = Record<string, any>;
const base = (s: string) => (s.endsWith("!") ? s.slice(0, -1) : s);
const lastSegment = (token: string) => token.slice(token.lastIndexOf(":") + 1);
const capitalize = (s: string) => s[0].toUpperCase() + s.slice(1);

/** A manifest spec in schema terms: refs become `ref:<token>` (array: `ref:<token>[]`). */
function canonical(spec: string, m: BindingManifest): string {
    const b = base(spec);
    const array = b.endsWith("[]") && b !== "string[]";
    const name = array ? b.slice(0, -2) : b;
    const ref = (m.types as Record<string, { token: string } | undefined>)[name];
    return ref ? `ref:${ref.token}${array ? "[]" : ""}` : b;
}

/** A schema property's type in the same notation. */
function schemaType(p: Props): string {
    const ref = (r: string) => `ref:${r.replace(/^#\/types\//, "")}`;
    if (p.$ref) return ref(p.$ref);
    if (p.type === "array") return p.items?.$ref ? `${ref(p.items.$ref)}[]` : `${p.items?.type}[]`;
    if (p.type === "object" && p.additionalProperties?.type === "string") return "map";
    return String(p.type);
}

/** Checks one group of fields (e.g. a resource's inputs) against schema properties. */
function checkFields(
    where: string,
    fields: FieldSpecs,
    props: Props | undefined,
    required: readonly string[] | undefined,
    m: BindingManifest,
    problems: string[],
    refUsage: "input" | "output",
): void {
    if (!props) {
        problems.push(`${where}: schema has no properties here`);
        return;
    }
    for (const [name, spec] of Object.entries(fields) as [string, FieldSpec][]) {
        const p = props[name];
        if (!p) {
            problems.push(`${where} "${name}": not in schema (closest: "${closest(name, Object.keys(props))}")`);
            continue;
        }
        const want = canonical(spec, m);
        const got = schemaType(p);
        if (want !== got) problems.push(`${where} "${name}": manifest type ${want}, schema type ${got}`);
        if (spec.endsWith("!") !== (required ?? []).includes(name)) {
            problems.push(`${where} "${name}": manifest says ${spec.endsWith("!") ? "required" : "optional"}, schema disagrees`);
        }
        const refName = base(spec).replace(/\[\]$/, "");
        const ref = (m.types as Record<string, { usage: string } | undefined>)[refName];
        if (ref && ref.usage !== refUsage) problems.push(`${where} "${name}": nested type ${refName} is for ${ref.usage}s`);
    }
}

function checkSecrets(where: string, b: { inputs: FieldSpecs; secretInputs: readonly string[] }, props: Props, problems: string[]) {
    for (const name of Object.keys(b.inputs)) {
        if (props[name]?.secret && !b.secretInputs.includes(name)) problems.push(`${where} "${name}": schema marks it secret`);
    }
    for (const name of b.secretInputs) {
        if (!(name in b.inputs)) problems.push(`${where}: secret input "${name}" is not an input`);
    }
}

/** Every mismatch between a binding manifest and the package schema, as readable lines ([] = conforms). */
export function checkAgainstSchema(m: BindingManifest, s: any): string[] {
    const problems: string[] = [];
    if (m.package !== s.name) problems.push(`package "${m.package}" but schema is for "${s.name}"`);

    const p = m.provider;
    if (p.token !== `pulumi:providers:${s.name}`) problems.push(`provider token "${p.token}" should be pulumi:providers:${s.name}`);
    checkFields("Provider input", p.inputs, s.provider?.inputProperties, s.provider?.requiredInputs, m, problems, "input");
    checkFields("Provider output", p.outputs, s.provider?.properties, s.provider?.required, m, problems, "output");
    for (const [name, spec] of Object.entries(p.outputs)) {
        if (base(spec) !== "string") problems.push(`Provider output "${name}": provider outputs must be strings`);
    }
    checkSecrets("Provider input", p, s.provider?.inputProperties ?? {}, problems);

    for (const [cls, r] of Object.entries(m.resources)) {
        const res = s.resources?.[r.token];
        if (!res) {
            problems.push(`resource ${cls}: token "${r.token}" not in schema (closest: "${closest(r.token, Object.keys(s.resources ?? {}))}")`);
            continue;
        }
        if (lastSegment(r.token) !== cls) problems.push(`resource ${cls}: class name should be ${lastSegment(r.token)}`);
        checkFields(`${cls} input`, r.inputs, res.inputProperties, res.requiredInputs, m, problems, "input");
        checkFields(`${cls} output`, r.outputs, res.properties, res.required, m, problems, "input");
        const stateNames = [...new Set([...Object.keys(r.inputs), ...Object.keys(r.outputs)])];
        for (const name of stateNames) {
            if (!res.stateInputs?.properties?.[name]) problems.push(`${cls} state "${name}": not in stateInputs`);
        }
        checkSecrets(`${cls} input`, r, res.inputProperties ?? {}, problems);
    }

    for (const [fn, f] of Object.entries(m.functions)) {
        const def = s.functions?.[f.token];
        if (!def) {
            problems.push(`function ${fn}: token "${f.token}" not in schema (closest: "${closest(f.token, Object.keys(s.functions ?? {}))}")`);
            continue;
        }
        if (lastSegment(f.token) !== fn) problems.push(`function ${fn}: name should be ${lastSegment(f.token)}`);
        checkFields(`${fn} input`, f.inputs, def.inputs?.properties ?? {}, def.inputs?.required, m, problems, "input");
        checkFields(`${fn} output`, f.outputs, def.outputs?.properties, def.outputs?.required, m, problems, "output");
    }

    for (const [name, t] of Object.entries(m.types)) {
        const def = s.types?.[t.token];
        if (!def) {
            problems.push(`type ${name}: token "${t.token}" not in schema (closest: "${closest(t.token, Object.keys(s.types ?? {}))}")`);
            continue;
        }
        if (capitalize(lastSegment(t.token)) !== name) problems.push(`type ${name}: should be named ${capitalize(lastSegment(t.token))}`);
        const required = t.usage === "output" ? (def.language?.nodejs?.requiredOutputs ?? def.required) : def.required;
        checkFields(`${name} field`, t.fields, def.properties, required, m, problems, t.usage);
    }
    return problems;
}

// ---- Mocks: capture what the code really sends ---------------------------------------------------------

interface Sent {
    type: string;
    name: string;
    inputs: Record<string, any>;
    id?: string;
}
const registrations: Sent[] = [];
const invokes: { token: string; inputs: Record<string, any> }[] = [];
const versions: string[] = []; // one per RegisterResource / ReadResource / Invoke request, in order
const resolve = <T>(o: pulumi.Output<T>) => new Promise<T>((r) => o.apply((v) => { r(v); return v; }));
const secretSig = "1b47061264138c4ac30d75fd1eb44270";

/** A value for every field of a spec: strings name their path, so misplaced values are visible. */
function sample(spec: string, path: string): any {
    const b = base(spec);
    if (b === "string") return `v:${path}`;
    if (b === "integer") return 7;
    if (b === "number") return 1.5;
    if (b === "boolean") return true;
    if (b === "string[]") return [`v:${path}[0]`];
    if (b === "map") return { key: `v:${path}.key` };
    const array = b.endsWith("[]");
    const t = manifest.types[(array ? b.slice(0, -2) : b) as keyof BindingManifest["types"]];
    const obj = sampleBag(t.fields, path);
    return array ? [obj] : obj;
}
const sampleBag = (fields: FieldSpecs, path: string) =>
    Object.fromEntries(Object.entries(fields).map(([k, spec]) => [k, sample(spec, `${path}.${k}`)]));

const tokenOutputs = new Map<string, FieldSpecs>([
    ...Object.values(manifest.resources).map((r) => [r.token, r.outputs] as const),
    ...Object.values(manifest.functions).map((f) => [f.token, f.outputs] as const),
]);

before(async () => {
    await pulumi.runtime.setMocks(
        {
            newResource(args) {
                registrations.push({ type: args.type, name: args.name, inputs: args.inputs, id: args.id || undefined });
                const outs = sampleBag(tokenOutputs.get(args.type) ?? {}, args.type);
                return { id: args.id || `${args.name}-id`, state: { ...args.inputs, ...outs } };
            },
            call(args) {
                invokes.push({ token: args.token, inputs: args.inputs });
                return sampleBag(tokenOutputs.get(args.token) ?? {}, args.token);
            },
        },
        "clusterkit",
        "vsphere-schema-test",
        false,
    );
    // The mock callbacks don't see the plugin version; the monitor requests carry it.
    const monitor: any = pulumi.runtime.getMonitor();
    for (const method of ["registerResource", "readResource", "invoke"]) {
        const original = monitor[method].bind(monitor);
        monitor[method] = (req: any, cb: any) => {
            versions.push(req.getVersion());
            return original(req, cb);
        };
    }
});

/** The manifest as observed on the wire: the names and nested field names the code sent. */
function observedFields(declared: FieldSpecs, sent: Record<string, any>, where: string): FieldSpecs {
    assert.deepEqual(Object.keys(sent).sort(), Object.keys(declared).sort(), `${where}: sent names differ from manifest`);
    for (const [k, spec] of Object.entries(declared)) {
        const b = base(spec);
        const ref = manifest.types[b.replace(/\[\]$/, "") as keyof BindingManifest["types"]];
        if (ref) {
            const v = Array.isArray(sent[k]) ? sent[k][0] : sent[k];
            assert.deepEqual(Object.keys(v).sort(), Object.keys(ref.fields).sort(), `${where}.${k}: nested names differ`);
        }
    }
    return Object.fromEntries(Object.keys(sent).map((k) => [k, declared[k] ?? "string"])) as FieldSpecs;
}

// ---- Tests -------------------------------------------------------------------------------------------

describe("providers/vsphere.ts vs pulumi-vsphere schema", () => {
    test("the binding manifest conforms to the schema", () => {
        assert.deepEqual(checkAgainstSchema(manifest, schema), []);
    });

    test("the checker reports wrong tokens, names, types, required flags and nested fields", () => {
        const bad = structuredClone(manifest) as any;
        bad.resources.VirtualMachine.inputs.numCPUs = "integer"; // wrong case
        bad.resources.VirtualMachine.inputs.memory = "string"; // wrong type
        bad.resources.VirtualMachine.inputs.resourcePoolId = "string"; // required in schema
        bad.resources.Folder.token = "vsphere:index/folder:VmFolder";
        bad.functions.getStoragePolicy = { ...bad.functions.getPolicy, token: "vsphere:index/getStoragePolicy:getStoragePolicy" };
        bad.types.VirtualMachineDisk.fields.sizeGb = "integer";
        bad.provider.inputs.vcenterPassword = "string";
        bad.provider.outputs.apiTimeout = "integer";
        const baseline = new Set(checkAgainstSchema(manifest, schema)); // [] unless the test above fails
        const problems = checkAgainstSchema(bad, schema).filter((p) => !baseline.has(p));
        const expected = [
            'VirtualMachine input "numCPUs": not in schema (closest: "numCpus")',
            'VirtualMachine state "numCPUs": not in stateInputs',
            'VirtualMachine input "memory": manifest type string, schema type integer',
            'VirtualMachine input "resourcePoolId": manifest says optional, schema disagrees',
            'resource Folder: token "vsphere:index/folder:VmFolder" not in schema',
            'function getStoragePolicy: token "vsphere:index/getStoragePolicy:getStoragePolicy" not in schema',
            'VirtualMachineDisk field "sizeGb": not in schema',
            'Provider input "vcenterPassword": not in schema',
            'Provider output "apiTimeout": provider outputs must be strings',
        ];
        for (const e of expected) assert.ok(problems.some((p) => p.startsWith(e)), `expected "${e}" in:\n${problems.join("\n")}`);
        assert.equal(problems.length, expected.length, problems.join("\n"));
    });

    test("the plugin version equals the schema's provider version", (t) => {
        if (schema.version !== undefined) {
            assert.equal(manifest.pluginVersion, schema.version);
            return;
        }
        // pulumi-vsphere's checked-in schema.json has no `version` (it is injected at build time), so
        // fall back to the provenance recorded next to it: "... at tag vX (commit ...). Provider vX, ...".
        t.diagnostic("schema.json has no top-level `version`; using the reference README's provenance line");
        const line = readFileSync(join(dirname(SCHEMA_PATH), "README.md"), "utf8")
            .split("\n")
            .find((l) => l.startsWith("- `pulumi-vsphere.schema.json`"));
        const tag = /at tag v(\d+\.\d+\.\d+)/.exec(line ?? "")?.[1];
        const provider = /Provider v(\d+\.\d+\.\d+)/.exec(line ?? "")?.[1];
        assert.ok(tag && provider, "no version found for pulumi-vsphere.schema.json in the reference README");
        assert.equal(manifest.pluginVersion, tag);
        assert.equal(manifest.pluginVersion, provider);
    });

    test("resources send the manifest's token and names (with the plugin version), and resolve their outputs", async () => {
        const observed = structuredClone(manifest) as any;
        for (const [cls, r] of Object.entries(manifest.resources)) {
            const Ctor = (vsphere as any)[cls];
            assert.equal(Ctor?.__pulumiType, r.token, `${cls} is exported with its token`);
            const name = `new-${cls}`;
            const before = versions.length;
            const res = new Ctor(name, sampleBag(r.inputs, cls));
            await resolve(res.urn);
            const sent = registrations.find((x) => x.name === name)!;
            assert.equal(sent.type, r.token);
            observed.resources[cls].inputs = observedFields(r.inputs, sent.inputs, `${cls} inputs`);
            assert.deepEqual(versions.slice(before), [manifest.pluginVersion], `${cls} plugin version`);
            for (const out of Object.keys(r.outputs)) {
                assert.ok(pulumi.Output.isInstance(res[out]), `${cls}.${out} is an Output`);
                assert.deepEqual(await resolve(res[out]), sample(r.outputs[out], `${r.token}.${out}`), `${cls}.${out}`);
            }
            assert.ok(Ctor.isInstance(res), `${cls}.isInstance`);
            assert.ok(!(cls === "Tag" ? vsphere.Folder : vsphere.Tag).isInstance(res), `isInstance of another class`);
        }
        assert.deepEqual(checkAgainstSchema(observed, schema), []);
    });

    test("X.get(name, id, state) reads by id and sends the manifest's state names", async () => {
        for (const [cls, r] of Object.entries(manifest.resources)) {
            const name = `get-${cls}`;
            const state = sampleBag({ ...r.inputs, ...r.outputs }, cls);
            await resolve((vsphere as any)[cls].get(name, `${cls}-existing`, state).urn);
            const sent = registrations.find((x) => x.name === name)!;
            assert.equal(sent.id, `${cls}-existing`);
            assert.deepEqual(Object.keys(sent.inputs).sort(), Object.keys(state).sort());
        }
    });

    test("the Provider sends JSON-encoded non-strings, a secret password and the plugin version", async () => {
        const before = versions.length;
        const p = new vsphere.Provider("vc", sampleBag(manifest.provider.inputs, "provider"));
        await resolve(p.urn);
        const sent = registrations.find((x) => x.name === "vc")!;
        assert.equal(sent.type, manifest.provider.token);
        observedFields(manifest.provider.inputs, sent.inputs, "Provider inputs");
        assert.equal(sent.inputs.allowUnverifiedSsl, "true");
        assert.equal(sent.inputs.apiTimeout, "7");
        assert.equal(sent.inputs.password?.["4dabf18193072939515e22adb298388d"], secretSig, "password is sent as a secret");
        assert.deepEqual(versions.slice(before), [manifest.pluginVersion]);
        assert.ok(vsphere.Provider.isInstance(p));
        assert.equal(await resolve(p.vsphereServer), "v:provider.vsphereServer");
    });

    test("invokes (getX and getXOutput) send the manifest's token and names with the plugin version", async () => {
        const observed = structuredClone(manifest) as any;
        for (const [fn, f] of Object.entries(manifest.functions)) {
            const args = sampleBag(f.inputs, fn);
            const expected = sampleBag(f.outputs, f.token);
            for (const variant of [fn, `${fn}Output`]) {
                const call = (vsphere as any)[variant];
                assert.equal(typeof call, "function", `${variant} is exported`);
                const before = versions.length;
                const count = invokes.length;
                const ret = call(args);
                const result = variant === fn ? await ret : await resolve(ret);
                assert.deepEqual(result, expected, `${variant} result`);
                const sent = invokes.slice(count);
                assert.equal(sent.length, 1);
                assert.equal(sent[0].token, f.token);
                observed.functions[fn].inputs = observedFields(f.inputs, sent[0].inputs, `${variant} inputs`);
                assert.deepEqual(versions.slice(before), [manifest.pluginVersion], `${variant} plugin version`);
            }
        }
        assert.deepEqual(checkAgainstSchema(observed, schema), []);
    });

    test("missing required inputs throw like the generated SDK", () => {
        assert.throws(() => new vsphere.VirtualMachine("no-pool", {} as any), /Missing required property 'resourcePoolId'/);
        assert.throws(() => new vsphere.Folder("no-type", { path: "k8s" } as any), /Missing required property 'type'/);
    });

    test("the runtime export surface only holds names that @pulumi/vsphere exports", () => {
        const official = new Set<string>(["Provider", "types", "config"]);
        for (const token of Object.keys(schema.resources)) official.add(lastSegment(token));
        for (const token of Object.keys(schema.functions)) {
            official.add(lastSegment(token));
            official.add(`${lastSegment(token)}Output`);
        }
        const shimOnly = ["bindingManifest"];
        const extra = Object.keys(vsphere).filter((k) => !official.has(k) && !shimOnly.includes(k));
        assert.deepEqual(extra, [], "exports that would break the switch to @pulumi/vsphere");
        for (const name of [...Object.keys(manifest.resources), ...Object.keys(manifest.functions), "Provider"]) {
            assert.ok(name in vsphere, `${name} is exported`);
        }
    });
});
