/**
 * Values that exist only after deploy (ARNs, ids, generated keys). The program needs some value for
 * each to run under mocks, so the mocks invent them and record each invention here; the plan then
 * shows an invented value, wherever it ends up, as "[unknown]" instead of passing it off as real.
 *
 * Why not the SDK's own unknowns (mocks in preview mode)? Under those the SDK skips every apply, so
 * an IRSA trust policy or a kubeadm config built from one unknown ARN or host key would vanish as
 * a whole. Recording the inventions keeps every value computed and hides only the invented parts.
 */
import type { ProgramRun } from "./run-program";
import { UNKNOWN } from "./markers";

const invented = new Set<string>();

/** Shorter inventions could collide with real text ("1", "on"); the mocks only invent longer ones. */
const MIN_LENGTH = 6;

/** Records a value a mock invented for an output that exists only after deploy, and returns it. */
export function afterApply<T extends string>(value: T): T {
  if (value.length >= MIN_LENGTH) invented.add(value);
  return value;
}

/** The values invented since the last call; each program run starts and ends with one. */
export function takeAfterApply(): string[] {
  const all = [...invented];
  invented.clear();
  return all;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");

/**
 * Matches any invented value standing on its own: not inside a longer name or id ("x-id" is not in
 * "x-idx"). Longest first, so an ARN wins over the id it contains.
 */
function pattern(values: string[]): RegExp | null {
  if (!values.length) return null;
  const alternatives = [...values].sort((a, b) => b.length - a.length).map(escape);
  return new RegExp(`(?<![\\w-])(?:${alternatives.join("|")})(?![\\w-])`, "g");
}

function redact(value: unknown, re: RegExp): unknown {
  if (typeof value === "string") return value.replace(re, UNKNOWN);
  if (Array.isArray(value)) return value.map((v) => redact(v, re));
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [redact(k, re) as string, redact(v, re)]));
  return value;
}

/** The run as a reviewer may see it: every invented value, alone or inside a string, is "[unknown]". */
export function redactAfterApply(run: ProgramRun): ProgramRun {
  const re = pattern(run.afterApply);
  if (!re) return run;
  return {
    ...run,
    resources: run.resources.map((r) => ({ ...r, inputs: redact(r.inputs, re) as Record<string, unknown> })),
    outputs: redact(run.outputs, re) as Record<string, unknown>,
  };
}
