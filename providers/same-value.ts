/**
 * Whether an old value from state and a new input are the same to a provider's diff. The engine
 * hands the old outputs over from state, whose key order need not be the order the program built
 * the new inputs in, so key order must not count; nor may a key that is `undefined` on one side
 * and absent on the other (state never holds `undefined`). Array order does count.
 */
import { isDeepStrictEqual } from "node:util";

const plain = (v: unknown): unknown => (v === undefined ? undefined : JSON.parse(JSON.stringify(v)));

export function sameValue(a: unknown, b: unknown): boolean {
  return isDeepStrictEqual(plain(a), plain(b));
}

/**
 * A value the engine does not know yet, as a dynamic provider's diff receives it (the SDK's
 * `runtime/rpc` unknownValue): in preview, and for a resource's inputs that depend on one the
 * engine is about to delete and create again (a delete-before-replace).
 */
export const unknownInput = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** Whether a value holds `unknownInput` anywhere inside. */
export function containsUnknown(v: unknown): boolean {
  if (v === unknownInput) return true;
  if (Array.isArray(v)) return v.some(containsUnknown);
  if (v && typeof v === "object") return Object.values(v).some(containsUnknown);
  return false;
}
