/** Stack overrides: deep-merged over the blueprint. Objects merge key by key; lists and scalars replace. */

const frozen = [["apiVersion"], ["kind"], ["name"], ["platform", "kind"]];

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

export function deepMerge(base: unknown, patch: unknown): unknown {
  if (!isObject(base) || !isObject(patch)) return patch === undefined ? base : patch;
  // Each kind of a one-of choice takes only its own fields: an override that switches the kind
  // replaces the choice, rather than inheriting fields of the old kind the new one would refuse.
  if ("kind" in patch && "kind" in base && patch.kind !== base.kind) return patch;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(patch)) out[k] = k in base ? deepMerge(base[k], v) : v;
  return out;
}

/** Fields an override may not change: they name the blueprint rather than tune it. */
export function frozenOverrides(overrides: Record<string, unknown>): string[][] {
  return frozen.filter((path) => {
    let cur: unknown = overrides;
    for (const seg of path) {
      if (!isObject(cur) || !(seg in cur)) return false;
      cur = cur[seg];
    }
    return true;
  });
}

/** The overrides without the fields it may not change (those are reported, and must not also reshape the blueprint). */
export function applicableOverrides(overrides: Record<string, unknown>): Record<string, unknown> {
  const drop = frozenOverrides(overrides);
  const strip = (obj: Record<string, unknown>, prefix: string[]): Record<string, unknown> =>
    Object.fromEntries(
      Object.entries(obj)
        .filter(([k]) => !drop.some((p) => p.length === prefix.length + 1 && p.every((seg, i) => seg === [...prefix, k][i])))
        .map(([k, v]) => [k, isObject(v) ? strip(v, [...prefix, k]) : v]),
    );
  return drop.length ? strip(overrides, []) : overrides;
}
