/**
 * Compares a resource's inputs in state with those the plan records, path by path. What cannot be
 * compared offline (a secret, whose new value the plan never has, or a value known only after
 * deploy) is "unknown", never a change and never shown. Values shown are short and never secret.
 */
import { appendPath } from "../../core/errors";
import { SECRET, UNKNOWN } from "./markers";
import { StateSecret } from "./state-values";
import { sameValue } from "../../providers/same-value";

export interface PathChange {
  path: string;
  /** Short renderings of the old and new value; absent when long, or when the key is added or removed. */
  before?: string;
  after?: string;
}

export interface InputComparison {
  /** Paths whose value changes (a whole list when its length changes). */
  changed: PathChange[];
  /** Paths that cannot be compared offline. */
  unknown: string[];
}

/** Keys the SDK and the engine add for themselves (`__provider`, `__defaults`…), not user intent. */
const internal = (k: string) => k.startsWith("__");

const MAX_SHOWN = 60;
const show = (v: unknown): string | undefined => {
  if (v === undefined) return undefined;
  const s = JSON.stringify(v);
  return s.length <= MAX_SHOWN ? s : undefined;
};

export const isPlain = (v: unknown): v is Record<string, unknown> => !!v && typeof v === "object" && !Array.isArray(v) && !(v instanceof StateSecret);
/** A value the plan cannot know: a secret, or one that exists only after deploy. */
export const opaque = (v: unknown) => v === SECRET || (typeof v === "string" && v.includes(UNKNOWN));

export function compareInputs(olds: Record<string, unknown>, news: Record<string, unknown>): InputComparison {
  const out: InputComparison = { changed: [], unknown: [] };
  walk(olds, news, "", out);
  return out;
}

function walk(old: unknown, now: unknown, at: string, out: InputComparison): void {
  if (opaque(now) || (old instanceof StateSecret && !old.known)) {
    out.unknown.push(at);
    return;
  }
  if (old instanceof StateSecret) {
    // Known (exported with --show-secrets) and compared, but never shown.
    if (!sameValue(old.value, now)) out.changed.push({ path: at });
    return;
  }
  if (isPlain(old) && isPlain(now)) {
    const keys = [...new Set([...Object.keys(old), ...Object.keys(now)])].filter((k) => !internal(k));
    for (const k of keys) walk(old[k], now[k], appendPath(at, [k]), out);
    return;
  }
  if (Array.isArray(old) && Array.isArray(now) && old.length === now.length) {
    old.forEach((o, i) => walk(o, now[i], appendPath(at, [i]), out));
    return;
  }
  if (sameValue(old, now)) return;
  out.changed.push({ path: at, before: show(old), after: show(now) });
}

/** The top-level keys of some paths: `values.deployment.replicas` → `values`, `files[2]` → `files`. */
export const topKeys = (paths: string[]) => [...new Set(paths.map((p) => p.split(/[.[]/)[0]))];
