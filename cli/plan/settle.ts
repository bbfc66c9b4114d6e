/**
 * Resolves a resource's inputs to plain data for display, redacting secrets field by field: any
 * Output marked secret (and everything inside it) becomes "[secret]".
 */
import * as pulumi from "@pulumi/pulumi";
import { SECRET, UNKNOWN } from "./markers";

export { SECRET, UNKNOWN };

interface OutputInternals {
  isKnown: Promise<boolean>;
  isSecret: Promise<boolean>;
  promise(withUnknowns?: boolean): Promise<unknown>;
}

export async function settle(value: unknown, urnOf: (r: pulumi.Resource) => string | undefined, depth = 0): Promise<unknown> {
  if (depth > 40) return "[too deep]";
  if (pulumi.Output.isInstance(value)) {
    const o = value as unknown as OutputInternals;
    if (await o.isSecret) return SECRET;
    if (!(await o.isKnown)) return UNKNOWN;
    return settle(await o.promise(), urnOf, depth + 1);
  }
  if (value instanceof Promise) return settle(await value, urnOf, depth + 1);
  if (pulumi.Resource.isInstance(value)) return { resource: urnOf(value) ?? "(resource)" };
  if (Array.isArray(value)) return Promise.all(value.map((v) => settle(v, urnOf, depth + 1)));
  if (value && typeof value === "object") {
    if (Buffer.isBuffer(value)) return `[${value.length} bytes]`;
    const entries = await Promise.all(Object.entries(value).map(async ([k, v]) => [k, await settle(v, urnOf, depth + 1)] as const));
    return Object.fromEntries(entries.filter(([, v]) => v !== undefined));
  }
  return value;
}
