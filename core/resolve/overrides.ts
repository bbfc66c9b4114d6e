/** Stack overrides: deep-merged over the blueprint. Objects merge key by key; lists and scalars replace. */

const frozen = [["apiVersion"], ["kind"], ["name"], ["platform", "kind"]];

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

export function deepMerge(base: unknown, patch: unknown): unknown {
  if (!isObject(base) || !isObject(patch)) return patch === undefined ? base : patch;
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
