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

/** Unwraps optional/default/pipe wrappers and picks the union member the input selects. */
function unwrap(schema: z.ZodType, input: unknown): z.ZodType | undefined {
  let s: z.ZodType | undefined = schema;
  for (let i = 0; s && i < 10; i++) {
    const d = defOf(s);
    if (d.innerType && ["optional", "default", "nullable", "prefault", "readonly", "catch"].includes(d.type)) s = d.innerType;
    else if (d.type === "pipe" && d.in) s = d.in;
    else if (d.type === "union" && d.options) {
      const disc = d.discriminator;
      const picked: z.ZodType | undefined = disc
        ? d.options.find((o) => {
            const shape = defOf(o).shape;
            const lit = shape?.[disc];
            const values = lit ? (defOf(lit) as unknown as { values?: unknown[] }).values : undefined;
            return values?.includes((input as Record<string, unknown> | undefined)?.[disc]);
          })
        : d.options.find((o) => defOf(o).type === "object");
      s = picked;
      if (!picked) return undefined;
    } else return s;
  }
  return s;
}

/** The object keys the schema accepts at `path`, given the actual input (for unions). */
export function knownKeysAt(schema: z.ZodType, path: readonly PropertyKey[], input: unknown): string[] {
  let s = unwrap(schema, input);
  let cur: unknown = input;
  for (const seg of path) {
    if (!s) return [];
    const d = defOf(s);
    cur = valueAt(cur, [seg]);
    if (d.type === "object" && d.shape) s = d.shape[seg as string];
    else if (d.type === "record") s = d.valueType;
    else if (d.type === "array") s = d.element;
    else return [];
    s = s ? unwrap(s, cur) : undefined;
  }
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
      return u.note === "No matching discriminator" && u.options ? u.options.map((o) => JSON.stringify(o)).join(" | ") : undefined;
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
 * Converts a failed parse. `base` is the path of the parsed value inside the file, prepended to
 * every issue path; `input` is the parsed value, used to report what was found.
 */
/** Maps an issue's path inside the parsed value to the file and full path the user must edit. */
/**
 * A failed plain union reports one vague issue at the union. When the input clearly aimed at one
 * member (that member's problems lie inside the value, not at its root), report those instead,
 * so `size.instanceTypes[0]` is named rather than just `size`.
 */
function expandUnions(issues: readonly z.core.$ZodIssue[]): z.core.$ZodIssue[] {
  return issues.flatMap((issue) => {
    if (issue.code !== "invalid_union" || !issue.errors?.length) return [issue];
    const branches = issue.errors.filter((b) => b.length > 0 && b.every((i) => i.path.length > 0));
    if (!branches.length) return [issue];
    const best = branches.reduce((a, b) => (b.length < a.length ? b : a));
    return expandUnions(best.map((i) => ({ ...i, path: [...issue.path, ...i.path] }) as z.core.$ZodIssue));
  });
}

export type Locate = (path: PathSeg[]) => { file: string; path: PathSeg[] };

export function zodIssues(error: z.ZodError, where: string | Locate, base: PathSeg[], input: unknown, schema: z.ZodType, secretPaths: string[] = []): Issue[] {
  const out: Issue[] = [];
  for (const issue of expandUnions(error.issues)) {
    const rel = issue.path as PropertyKey[];
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
    out.push({
      file,
      path,
      message: messageOf(issue, found),
      expected: expectedOf(issue),
      found: isSecret ? "[secret]" : describeValue(found),
    });
  }
  return out;
}
