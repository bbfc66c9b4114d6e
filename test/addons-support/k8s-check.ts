/**
 * Checks a rendered Kubernetes object the way the API server would, as far as offline data allows:
 *  - the kubernetes-models 4.x schema of its kind (types, enums, required fields);
 *  - unknown fields: kubernetes-models accepts any extra property, so every field of the object is
 *    probed: it is replaced by a value no schema type accepts (a function) and the field is known
 *    only if the model's validator then reports an error at exactly that path;
 *  - names: metadata.name and namespace must be DNS names (kubernetes-models does not check them);
 *  - custom resources the models do not cover (MetalLB) against their CRD field lists.
 */
type Json = Record<string, unknown>;
type Validate = ((data: unknown) => boolean) & { errors?: { instancePath: string; message?: string; keyword: string }[] | null };

const dnsSubdomain = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const dnsLabel = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** Kinds whose names are DNS labels (the rest are DNS subdomains), as the API server validates them. */
const labelNamed = new Set(["Namespace", "Service"]);

/** Spec fields of the MetalLB CRDs (metallb.io/v1beta1), from the project's CRDs. */
const crdFields: Record<string, { spec: string[] }> = {
  "metallb.io/v1beta1/IPAddressPool": { spec: ["addresses", "autoAssign", "avoidBuggyIPs", "serviceAllocation"] },
  "metallb.io/v1beta1/L2Advertisement": { spec: ["ipAddressPools", "ipAddressPoolSelectors", "nodeSelectors", "interfaces"] },
};
const metaFields = ["name", "namespace", "labels", "annotations"];

function modelFor(apiVersion: string, kind: string): { validate: Validate } | null {
  const group = apiVersion.includes("/") ? apiVersion : `v1`;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const mod = require(`kubernetes-models/${group === "v1" ? "v1" : group}`) as Record<string, { prototype: { validate(): void } } | undefined>;
    const Model = mod[kind];
    if (!Model) return null;
    const validate = ((data: unknown) => {
      try {
        const m = new (Model as unknown as new (d: unknown) => { validate(): void })(data);
        m.validate();
        validate.errors = null;
        return true;
      } catch (e) {
        validate.errors = ((e as { errors?: Validate["errors"] }).errors ?? [{ instancePath: "", keyword: "?", message: String(e) }]) as Validate["errors"];
        return false;
      }
    }) as Validate;
    return { validate };
  } catch {
    return null;
  }
}

function pointer(path: (string | number)[]): string {
  return path.map((p) => `/${String(p).replace(/~/g, "~0").replace(/\//g, "~1")}`).join("");
}

function setAt(root: unknown, path: (string | number)[], value: unknown): unknown {
  const copy = structuredClone(root) as Json;
  let cur: Json = copy;
  for (const seg of path.slice(0, -1)) cur = cur[seg as string] as Json;
  cur[path[path.length - 1] as string] = value;
  return copy;
}

/** Every property path of plain objects inside `value` (array items are walked, not listed). */
function propertyPaths(value: unknown, path: (string | number)[] = []): (string | number)[][] {
  if (Array.isArray(value)) return value.flatMap((v, i) => propertyPaths(v, [...path, i]));
  if (value && typeof value === "object") return Object.entries(value).flatMap(([k, v]) => [[...path, k], ...propertyPaths(v, [...path, k])]);
  return [];
}

export function unknownFields(validate: Validate, obj: unknown): string[] {
  const unknown: string[] = [];
  for (const path of propertyPaths(obj)) {
    const probe = setAt(obj, path, () => undefined);
    validate(probe);
    const at = pointer(path);
    if (!(validate.errors ?? []).some((e) => e.instancePath === at)) unknown.push(at);
  }
  // A field inside an unknown one is unknown too; report the outermost only.
  return unknown.filter((u) => !unknown.some((o) => o !== u && u.startsWith(`${o}/`)));
}

function nameProblems(o: Json): string[] {
  const m = (o.metadata ?? {}) as Json;
  const out: string[] = [];
  const name = m.name;
  const kind = String(o.kind);
  const re = labelNamed.has(kind) ? dnsLabel : dnsSubdomain;
  const max = labelNamed.has(kind) ? 63 : 253;
  if (typeof name !== "string" || !re.test(name) || name.length > max) out.push(`metadata.name ${JSON.stringify(name)} is not a DNS ${labelNamed.has(kind) ? "label" : "subdomain"}`);
  if (m.namespace !== undefined && (typeof m.namespace !== "string" || !dnsLabel.test(m.namespace) || m.namespace.length > 63)) out.push(`metadata.namespace ${JSON.stringify(m.namespace)} is not a DNS label`);
  return out;
}

/** Every problem with one object; empty when it is valid. */
export function objectProblems(o: Json): string[] {
  const id = `${o.apiVersion}/${o.kind} ${(o.metadata as Json | undefined)?.name}`;
  const problems = nameProblems(o);
  const crd = crdFields[`${o.apiVersion}/${o.kind}`];
  if (crd) {
    for (const k of Object.keys(o)) if (!["apiVersion", "kind", "metadata", "spec"].includes(k)) problems.push(`unknown field /${k}`);
    for (const k of Object.keys((o.metadata ?? {}) as Json)) if (!metaFields.includes(k)) problems.push(`unknown field /metadata/${k}`);
    for (const k of Object.keys((o.spec ?? {}) as Json)) if (!crd.spec.includes(k)) problems.push(`unknown field /spec/${k}`);
    return problems.map((p) => `${id}: ${p}`);
  }
  const model = modelFor(String(o.apiVersion), String(o.kind));
  if (!model) return [`${id}: no kubernetes-models schema for this kind`];
  if (!model.validate(o)) problems.push(...(model.validate.errors ?? []).map((e) => `${e.instancePath || "/"} ${e.message ?? e.keyword}`));
  problems.push(...unknownFields(model.validate, o).map((p) => `unknown field ${p}`));
  return problems.map((p) => `${id}: ${p}`);
}
