/**
 * Checks Helm values against what the pinned chart accepts:
 *  - `schemaProblems`: the chart's own values.schema.json (draft-07, with ajv);
 *  - `pathsMissingFromSchema`: the Cilium schema allows unknown keys, so every key path we set
 *    must also be declared in it;
 *  - `pathsMissingFromDefaults`: charts without a schema (Flannel, ingress-nginx): every key path
 *    we set must exist in the chart's default values.yaml. Below a map the chart leaves open
 *    (an empty `{}` default, e.g. annotations) any key is allowed; lists are leaves.
 */
import * as fs from "node:fs";
import Ajv from "ajv";
import { parse } from "yaml";

type Json = Record<string, unknown>;

import { referenceDir } from "../support/reference";
export { referenceDir };

export function loadReference(file: string): unknown {
  const text = fs.readFileSync(`${referenceDir}/${file}`, "utf8");
  return file.endsWith(".json") ? JSON.parse(text) : parse(text);
}

const isObject = (v: unknown): v is Json => v !== null && typeof v === "object" && !Array.isArray(v);

/** Key paths of the values, each down to a scalar, a list or an empty map. */
export function keyPaths(values: Json, prefix: string[] = []): string[][] {
  return Object.entries(values).flatMap(([k, v]) => (isObject(v) && Object.keys(v).length ? keyPaths(v, [...prefix, k]) : [[...prefix, k]]));
}

export function schemaProblems(schema: object, values: Json): string[] {
  const ajv = new Ajv({ strict: false, allErrors: true });
  const validate = ajv.compile(schema);
  return validate(values) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || "/"} ${e.message}`);
}

/** The sub-schemas a value at `key` may match, looking through anyOf/oneOf/allOf. */
function childSchemas(schema: Json, key: string): Json[] {
  const alternatives = [schema, ...(["anyOf", "oneOf", "allOf"] as const).flatMap((k) => (Array.isArray(schema[k]) ? (schema[k] as Json[]) : []))];
  return alternatives.flatMap((s) => {
    const props = s.properties as Json | undefined;
    if (props && isObject(props[key])) return [props[key] as Json];
    if (isObject(s.additionalProperties)) return [s.additionalProperties as Json];
    return [];
  });
}

/** A schema node that types a free-form map: no declared properties, so any key is the chart's to accept. */
function isOpenMap(schema: Json): boolean {
  const types = ([] as unknown[]).concat(schema.type ?? []);
  return types.includes("object") && !schema.properties;
}

export function pathsMissingFromSchema(schema: Json, values: Json): string[] {
  const missing: string[] = [];
  for (const path of keyPaths(values)) {
    let nodes: Json[] = [schema];
    for (const [i, key] of path.entries()) {
      if (nodes.some(isOpenMap)) break;
      nodes = nodes.flatMap((n) => childSchemas(n, key));
      if (!nodes.length) {
        missing.push(path.slice(0, i + 1).join("."));
        break;
      }
    }
  }
  return [...new Set(missing)];
}

export function pathsMissingFromDefaults(defaults: Json, values: Json): string[] {
  const missing: string[] = [];
  for (const path of keyPaths(values)) {
    let cur: unknown = defaults;
    for (const [i, key] of path.entries()) {
      if (isObject(cur) && Object.keys(cur).length === 0 && i > 0) break;
      if (!isObject(cur) || !(key in cur)) {
        missing.push(path.slice(0, i + 1).join("."));
        break;
      }
      cur = cur[key];
    }
  }
  return [...new Set(missing)];
}
