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
