/**
 * One input of the text plan, as lines a reviewer reads: never cut. Nested objects get one key per
 * line, a JSON document in a string (an IAM policy) is shown the same way, a text block (a script,
 * a config file) is shown line by line once and referred to where it repeats, and long values wrap
 * with indented continuation lines. `wide` instead prints each input as JSON on one line.
 */
import { AFTER_APPLY, SECRET, UNKNOWN } from "./markers";
import { wrapLine } from "./wrap";

const STEP = "    ";

export interface ValueOptions {
  width: number;
  wide: boolean;
  /** Tags every resource carries; tag maps that include them all say "cluster tags" instead. */
  clusterTags: Record<string, string>;
}

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => !!v && typeof v === "object" && !Array.isArray(v);
const isScalar = (v: unknown) => v === null || (typeof v !== "object" && typeof v !== "function");
const afterApply = (s: string) => s.split(UNKNOWN).join(AFTER_APPLY);

/** Leaves: strings quoted with JSON escaping; the plan's own markers bare, so no value reads like one. */
function scalar(v: unknown): string {
  if (v === UNKNOWN) return AFTER_APPLY;
  if (v === SECRET) return SECRET;
  if (typeof v === "string") return afterApply(JSON.stringify(v));
  return JSON.stringify(v) ?? String(v);
}

/** A string holding a JSON object or array (policies, serialised documents), parsed; else undefined. */
function jsonDocument(s: string): Json | unknown[] | undefined {
  if (!/^\s*[[{]/.test(s)) return undefined;
  try {
    const parsed: unknown = JSON.parse(s);
    return parsed && typeof parsed === "object" && Object.keys(parsed).length ? (parsed as Json | unknown[]) : undefined;
  } catch {
    return undefined;
  }
}

/** The tag map minus the cluster's tags, or undefined when it does not carry them all. */
function extraTags(key: string, value: unknown, clusterTags: Record<string, string>): Json | undefined {
  if (!/^tags/.test(key) || !isObject(value) || !Object.keys(clusterTags).length) return undefined;
  if (!Object.entries(clusterTags).every(([k, v]) => value[k] === v)) return undefined;
  return Object.fromEntries(Object.entries(value).filter(([k]) => !(k in clusterTags)));
}

/** `JSON.stringify` with the plan's markers shown as in the rest of the plan. */
function oneLine(v: unknown): string {
  if (isScalar(v)) return scalar(v);
  return afterApply(JSON.stringify(v));
}

export function valueRenderer(opts: ValueOptions) {
  /** Text blocks already printed in full, with where: repeats refer back instead. */
  const shownBlocks = new Map<string, string>();

  const withTags = (key: string, value: unknown, indent: string, where: string): string[] | undefined => {
    const extra = extraTags(key, value, opts.clusterTags);
    if (!extra) return undefined;
    if (!Object.keys(extra).length) return [`${indent}${key}: cluster tags`];
    if (opts.wide) return [`${indent}${key}: cluster tags + ${oneLine(extra)}`];
    return [`${indent}${key}: cluster tags +`, ...children(extra, indent + STEP, where)];
  };

  const textBlock = (key: string, text: string, indent: string, where: string): string[] => {
    const lines = text.replace(/\n$/, "").split("\n");
    const first = shownBlocks.get(text);
    if (first) return [`${indent}${key}: (the same ${lines.length} lines as ${first})`];
    shownBlocks.set(text, where);
    const inner = indent + STEP;
    return [`${indent}${key}: |`, ...lines.flatMap((l) => (l ? wrapLine(inner, afterApply(l), inner + STEP, opts.width) : [""]))];
  };

  /** The lines of one `key: value`. `where` names the value for later references to it. */
  function entry(rawKey: string, value: unknown, indent: string, where: string): string[] {
    const key = afterApply(rawKey); // e.g. an IRSA condition on "<issuer>:sub"
    const tagged = withTags(key, value, indent, where);
    if (tagged) return tagged;
    if (opts.wide) return [`${indent}${key}: ${oneLine(value)}`];
    if (typeof value === "string") {
      const doc = jsonDocument(value);
      if (doc) return [`${indent}${key}: (JSON)`, ...children(doc, indent + STEP, where)];
      if (value.includes("\n")) return textBlock(key, value, indent, where);
    }
    if (!Array.isArray(value) && !isObject(value)) return wrapLine(`${indent}${key}: `, scalar(value), indent + STEP, opts.width);
    if (Array.isArray(value) && !value.length) return [`${indent}${key}: []`];
    if (isObject(value) && !Object.keys(value).length) return [`${indent}${key}: {}`];
    if (Array.isArray(value) && value.every((v) => isScalar(v) && !(typeof v === "string" && v.includes("\n")))) {
      const inline = `${indent}${key}: [${value.map(scalar).join(", ")}]`;
      if (inline.length <= opts.width) return [inline];
    }
    return [`${indent}${key}:`, ...children(value, indent + STEP, where)];
  }

  /** The members of an object (one per line) or the items of an array (`- item`), at `indent`. */
  function children(value: Json | unknown[], indent: string, where: string): string[] {
    if (!Array.isArray(value)) return Object.entries(value).flatMap(([k, v]) => entry(k, v, indent, `${where}.${k}`));
    return value.flatMap((item, i) => {
      const at = `${where}[${i}]`;
      if (isScalar(item) && !(typeof item === "string" && item.includes("\n"))) return wrapLine(`${indent}- `, scalar(item), `${indent}  `, opts.width);
      if (typeof item === "string") return textBlock("-", item, indent, at).map((l, n) => (n === 0 ? l.replace(`${indent}-: `, `${indent}- `) : l));
      if ((Array.isArray(item) && !item.length) || (isObject(item) && !Object.keys(item).length)) return [`${indent}- ${JSON.stringify(item)}`];
      const lines = children(item as Json | unknown[], `${indent}  `, at);
      return [`${indent}- ${lines[0].slice(indent.length + 2)}`, ...lines.slice(1)];
    });
  }

  return { entry };
}
