/**
 * Turns zod issues into clusterkit Issues: one per problem, with the file, the user-facing field
 * path, what was expected, what was found, and a "did you mean" hint for misspelled keys.
 */
import { closest, distance } from "fastest-levenshtein";
import type { z } from "zod";
import { describeValue, joinPath, type Issue } from "../errors";

type PathSeg = string | number;

/** Suggests the closest known name when it is plausibly a typo. */
export function didYouMean(name: string, candidates: readonly string[]): string | undefined {
  if (candidates.length === 0) return undefined;
  const best = closest(name, candidates as string[]);
  const limit = Math.max(2, Math.floor(best.length / 3));
  return distance(name.toLowerCase(), best.toLowerCase()) <= limit ? best : undefined;
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let cur: unknown = input;
  for (const seg of path) {
    if (cur === null || typeof cur !== "object") return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[seg as string];
  }
  return cur;
}

// zod 4 keeps its definition on `_zod.def`; we only read `type`, `shape`, `innerType`,
// `options`, `discriminator`, `valueType`, `element` and `in`, which are stable parts of its API.
interface Def {
  type: string;
  shape?: Record<string, z.ZodType>;
  innerType?: z.ZodType;
  options?: z.ZodType[];
  discriminator?: string;
  valueType?: z.ZodType;
  element?: z.ZodType;
  in?: z.ZodType;
}
const defOf = (s: z.ZodType): Def => (s as unknown as { _zod: { def: Def } })._zod.def;

const wrappers = ["optional", "default", "nullable", "prefault", "readonly", "catch"];

/** Strips optional/default/pipe wrappers, stopping at a union. */
function stripWrappers(schema: z.ZodType): z.ZodType {
  let s = schema;
  for (let i = 0; i < 10; i++) {
    const d = defOf(s);
    if (d.innerType && wrappers.includes(d.type)) s = d.innerType;
    else if (d.type === "pipe" && d.in) s = d.in;
    else break;
  }
  return s;
}

/**
 * The union member the input aimed at: by `kind` for a discriminated union; otherwise the object
 * member whose field names the input uses (or nearly uses: a typo still points at its member).
 * Error expansion and "did you mean" both pick with this, so they always agree.
 */
function pickOption(d: Def, input: unknown, tieBreak?: (i: number) => number): number {
  const options = d.options ?? [];
  const disc = d.discriminator;
  if (disc) {
    return options.findIndex((o) => {
      const lit = defOf(o).shape?.[disc];
      const values = lit ? (defOf(lit) as unknown as { values?: unknown[] }).values : undefined;
      return values?.includes((input as Record<string, unknown> | undefined)?.[disc]);
    });
  }
  const keys = input !== null && typeof input === "object" && !Array.isArray(input) ? Object.keys(input) : [];
  let best = -1;
  let bestScore = -1;
  options.forEach((o, i) => {
    const shape = defOf(o).shape;
    if (defOf(o).type !== "object" || !shape) return;
    const known = Object.keys(shape);
    const score = keys.reduce((n, k) => n + (known.includes(k) ? 1 : didYouMean(k, known) ? 0.5 : 0), 0);
    // On a tie (nothing to go by, e.g. an empty object) the member with fewer problems is the likelier aim.
    if (score > bestScore || (score === bestScore && tieBreak && tieBreak(i) < tieBreak(best))) [best, bestScore] = [i, score];
  });
  return best;
}

/** Unwraps wrappers and picks the union member the input selects. */
function unwrap(schema: z.ZodType, input: unknown): z.ZodType | undefined {
  let s: z.ZodType | undefined = schema;
  for (let i = 0; s && i < 10; i++) {
    s = stripWrappers(s);
    const d = defOf(s);
    if (d.type !== "union" || !d.options) return s;
    s = d.options[pickOption(d, input)];
  }
  return s;
}

/** The schema at `path` (union members picked by the input), before unwrapping the last step. */
function schemaAt(schema: z.ZodType, path: readonly PropertyKey[], input: unknown): { schema: z.ZodType; value: unknown } | undefined {
  let s: z.ZodType | undefined = schema;
  let cur: unknown = input;
  for (const seg of path) {
    s = s ? unwrap(s, cur) : undefined;
    if (!s) return undefined;
    const d = defOf(s);
    cur = valueAt(cur, [seg]);
    if (d.type === "object" && d.shape) s = d.shape[seg as string];
    else if (d.type === "record") s = d.valueType;
    else if (d.type === "array") s = d.element;
    else return undefined;
  }
  return s ? { schema: s, value: cur } : undefined;
}

/** The object keys the schema accepts at `path`, given the actual input (for unions). */
export function knownKeysAt(schema: z.ZodType, path: readonly PropertyKey[], input: unknown): string[] {
  const at = schemaAt(schema, path, input);
  const s = at ? unwrap(at.schema, at.value) : undefined;
  const shape = s ? defOf(s).shape : undefined;
  return shape ? Object.keys(shape) : [];
}

function expectedOf(issue: z.core.$ZodIssue): string | undefined {
  switch (issue.code) {
    case "invalid_type":
      return issue.expected;
    case "invalid_value":
      return issue.values.map((v) => JSON.stringify(v)).join(" | ");
    case "too_small":
      return issue.origin === "array" ? `at least ${issue.minimum} items` : `>= ${issue.minimum}`;
    case "too_big":
      return issue.origin === "array" ? `at most ${issue.maximum} items` : `<= ${issue.maximum}`;
    case "invalid_union": {
      const u = issue as unknown as { note?: string; options?: unknown[] };
      if (u.note === "No matching discriminator" && u.options) return u.options.map((o) => JSON.stringify(o)).join(" | ");
      // A union of literals (`1 | 2`): each branch refused the value itself.
      const literals = issue.errors.every((b) => b.length === 1 && b[0].code === "invalid_value" && b[0].path.length === 0);
      return literals && issue.errors.length ? issue.errors.flatMap((b) => (b[0] as z.core.$ZodIssueInvalidValue).values.map((v) => JSON.stringify(v))).join(" | ") : undefined;
    }
    default:
      return undefined;
  }
}

function messageOf(issue: z.core.$ZodIssue, found: unknown): string {
  // zod's own texts start with "Invalid input: expected …"; we print expected/found separately.
  switch (issue.code) {
    case "invalid_type":
      return found === undefined ? "is required" : "has the wrong type";
    case "invalid_value":
      return "is not one of the allowed values";
    case "invalid_union":
      return (issue as unknown as { note?: string }).note === "No matching discriminator" ? "is not a known kind" : "does not match any allowed form";
    case "invalid_key":
      return `key ${JSON.stringify(String(issue.path[issue.path.length - 1]))} ${issue.issues[0]?.message ?? "is not valid"}`;
    default:
      return issue.message.replace(/^Invalid (input|string): /, "");
  }
}

/**
 * A failed plain union reports one vague issue at the union. When the input clearly aimed at one
 * member (its problems lie inside the value, or are keys it does not know), report that member's
 * problems instead, so `size.instanceTypes[0]` or the misspelled `size.instanceType` is named
 * rather than just `size`.
 */
function expandUnions(issues: readonly z.core.$ZodIssue[], schema: z.ZodType, input: unknown): z.core.$ZodIssue[] {
  return issues.flatMap((issue) => {
    if (issue.code !== "invalid_union" || !issue.errors?.length) return [issue];
    const at = schemaAt(schema, issue.path as PropertyKey[], input);
    const union = at ? stripWrappers(at.schema) : undefined;
    const picked = union && defOf(union).type === "union" ? issue.errors[pickOption(defOf(union), at!.value, (i) => issue.errors[i].length)] : undefined;
    const aimed = picked && picked.length > 0 && picked.every((i) => i.path.length > 0 || i.code === "unrecognized_keys");
    if (!aimed) return [issue];
    return expandUnions(
      picked.map((i) => ({ ...i, path: [...issue.path, ...i.path] }) as z.core.$ZodIssue),
      schema,
      input,
    );
  });
}

export type Locate = (path: PathSeg[]) => { file: string; path: PathSeg[] };

/**
 * Converts a failed parse. `where` is the file, or maps an issue's path inside the parsed value to
 * the file and full path the user must edit; `base` is the path of the parsed value inside the
 * file, prepended to every issue path; `input` is the parsed value, used to report what was found.
 */
export function zodIssues(error: z.ZodError, where: string | Locate, base: PathSeg[], input: unknown, schema: z.ZodType, secretPaths: string[] = []): Issue[] {
  const out: Issue[] = [];
  const issues = expandUnions(error.issues, schema, input);
  // A misspelled required key is one mistake: its "did you mean" says it all, so the key it meant
  // is not reported missing as well.
  const meant = new Set<string>();
  for (const i of issues) {
    if (i.code !== "unrecognized_keys") continue;
    const known = knownKeysAt(schema, i.path as PropertyKey[], input);
    for (const key of i.keys) {
      const s = didYouMean(key, known);
      if (s) meant.add(joinPath([...(i.path as PathSeg[]), s]));
    }
  }
  for (const issue of issues) {
    const rel = issue.path as PropertyKey[];
    if (issue.code === "invalid_type" && valueAt(input, rel) === undefined && meant.has(joinPath(rel as PathSeg[]))) continue;
    const at = (p: PathSeg[]) => (typeof where === "string" ? { file: where, path: [...base, ...p] } : where(p));
    const loc = at(rel as PathSeg[]);
    const file = loc.file;
    if (issue.code === "unrecognized_keys") {
      const known = knownKeysAt(schema, rel, input);
      for (const key of issue.keys) {
        const keyAt = at([...(rel as PathSeg[]), key]);
        const suggestion = didYouMean(key, known);
        out.push({
          file: keyAt.file,
          path: joinPath(keyAt.path),
          message: "unknown key",
          hint: suggestion ? `did you mean '${suggestion}'?` : known.length ? `known keys here: ${known.join(", ")}` : undefined,
        });
      }
      continue;
    }
    const path = joinPath(loc.path);
    const found = valueAt(input, rel);
    const isSecret = secretPaths.some((p) => path.startsWith(p));
    const kinds = issue.code === "invalid_union" ? (issue as unknown as { options?: unknown[] }).options : undefined;
    const kindHint = kinds && typeof found === "string" && !isSecret ? didYouMean(found, kinds.map(String)) : undefined;
    out.push({
      file,
      path,
      message: messageOf(issue, found),
      expected: expectedOf(issue),
      found: isSecret ? "[secret]" : describeValue(found),
      ...(kindHint ? { hint: `did you mean '${kindHint}'?` } : {}),
    });
  }
  return out;
}
