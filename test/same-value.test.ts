// The providers' diffs compare state with new inputs through sameValue: state's key order and
// undefined-versus-absent keys must not make a change, everything else must (the kubeadm node's
// case is in kubeadm-providers.test.ts).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { sameValue } from "../providers/same-value";

describe("sameValue", () => {
  it("ignores key order and undefined keys, not values or array order", () => {
    assert.equal(sameValue({ a: 1, b: { c: [1, 2], d: "x" } }, { b: { d: "x", c: [1, 2] }, a: 1 }), true);
    assert.equal(sameValue({ a: 1, b: undefined }, { a: 1 }), true);
    assert.equal(sameValue({ a: 1 }, { a: 2 }), false);
    assert.equal(sameValue([1, 2], [2, 1]), false);
    assert.equal(sameValue(undefined, undefined), true);
    assert.equal(sameValue(undefined, null), false);
  });
});
