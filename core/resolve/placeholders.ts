/**
 * Placeholders: values `clusterkit clone-region` cannot derive for a new region (host addresses,
 * host keys, vCenter objects, …) are written as the string `<fill-in: what to put here>`. They are
 * reported as "fill this in" issues instead of type errors, so `validate` lists exactly what is
 * left to do, and nothing is deployed until every one is replaced.
 */
import { appendPath, joinPath, type Issue } from "../errors";

const pattern = /^<fill-in(?::\s*([\s\S]*?))?\s*>$/;

export const PLACEHOLDER_MESSAGE = "fill this in";

export function placeholder(what: string): string {
  return `<fill-in: ${what}>`;
}

export function isPlaceholder(value: unknown): value is string {
  return typeof value === "string" && pattern.test(value.trim());
}

export function isPlaceholderIssue(issue: Issue): boolean {
  return issue.message.startsWith(`${PLACEHOLDER_MESSAGE}:`);
}

/** Every placeholder inside a value (scalars, lists, objects), with its path under `base`. */
export function findPlaceholders(value: unknown, base: (string | number)[] = []): { path: (string | number)[]; what: string }[] {
  if (isPlaceholder(value)) return [{ path: base, what: pattern.exec(value.trim())![1] || "a value" }];
  if (Array.isArray(value)) return value.flatMap((v, i) => findPlaceholders(v, [...base, i]));
  if (value && typeof value === "object") return Object.entries(value).flatMap(([k, v]) => findPlaceholders(v, [...base, k]));
  return [];
}

/** One issue per placeholder left in a stack value at `path`. */
export function placeholderIssues(file: string, path: (string | number)[], value: unknown): Issue[] {
  const base = joinPath(path);
  return findPlaceholders(value).map((p) => ({
    file,
    path: appendPath(base, p.path),
    message: `${PLACEHOLDER_MESSAGE}: ${p.what}`,
    found: "a placeholder",
    hint: "replace the <fill-in: …> placeholder, left where clone-region could not derive the value",
  }));
}
