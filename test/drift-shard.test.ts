/** Stack selection for drift runs: globs, and shards that cover every stack exactly once. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ClusterkitError } from "../core/errors";
import { globMatcher, parseShard, selectStacks } from "../core/fleet/shard";

const names = Array.from({ length: 23 }, (_, i) => `stack-${String(i).padStart(2, "0")}`).reverse();

describe("shards", () => {
  it("split the fleet into disjoint, even parts that together cover every stack", () => {
    for (const n of [1, 2, 3, 4, 7, 23, 30]) {
      const parts = Array.from({ length: n }, (_, i) => selectStacks(names, undefined, { index: i + 1, count: n }));
      assert.deepEqual(parts.flat().sort(), [...names].sort(), `n=${n}`);
      const sizes = parts.map((p) => p.length);
      assert.ok(Math.max(...sizes) - Math.min(...sizes) <= 1, `n=${n}: ${sizes}`);
    }
  });

  it("are stable: the same stack always lands in the same shard, whatever the input order", () => {
    const a = selectStacks(names, undefined, { index: 2, count: 4 });
    const b = selectStacks([...names].sort(), undefined, { index: 2, count: 4 });
    assert.deepEqual(a, b);
    assert.deepEqual(a, ["stack-01", "stack-05", "stack-09", "stack-13", "stack-17", "stack-21"]);
  });

  it("parse i/n and refuse anything else", () => {
    assert.deepEqual(parseShard("3/4"), { index: 3, count: 4 });
    for (const bad of ["0/4", "5/4", "1/0", "a/b", "2"]) assert.throws(() => parseShard(bad), ClusterkitError, bad);
  });
});

describe("--stacks", () => {
  it("matches globs, several comma-separated", () => {
    const m = globMatcher("prod-*, metal-ber?");
    assert.deepEqual(["prod-us-east-1", "metal-ber1", "metal-nyc1", "vsphere-fra1"].filter(m), ["prod-us-east-1", "metal-ber1"]);
    assert.ok(!globMatcher("prod.*")("prod-x"), "a dot is a dot, not any character");
  });

  it("selects before sharding, and refuses a glob that matches nothing", () => {
    assert.deepEqual(selectStacks(names, "stack-1*", { index: 1, count: 2 }), ["stack-10", "stack-12", "stack-14", "stack-16", "stack-18"]);
    assert.throws(() => selectStacks(names, "prod-*", null), /matches no stack/);
  });
});
