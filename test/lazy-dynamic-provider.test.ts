// The dynamic-provider process of the Pulumi SDK prints `${e}: ${e.stack}` when a check, diff, read
// or delete fails, and the engine shows that to the user (found by the real engine,
// test/upstream-engine.test.ts: `pulumi destroy` refused by the quorum guard printed a stack trace).
// Our errors are messages for the user: they reach it without one; other errors keep theirs.
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after, describe, it } from "node:test";
import { lazyDynamicProvider } from "../providers/lazy-dynamic-provider";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "clusterkit-lazy-provider-"));
after(() => fs.rmSync(dir, { recursive: true, force: true }));
const errors = JSON.stringify(path.join(__dirname, "..", "core", "errors"));
fs.writeFileSync(
  path.join(dir, "impl.ts"),
  `const { ClusterkitError } = require(${errors});
const refuse = async () => { throw ClusterkitError.failure("(host)", "delete", "refusing to remove cp-1", "confirm it"); };
exports.impl = { diff: refuse, read: refuse, delete: refuse, create: async () => { throw new TypeError("a bug"); } };
`,
);

/** What the SDK's dynamic-provider process prints for a failed call. */
async function printed(p: Promise<unknown>): Promise<string> {
  const e = await p.then(
    () => assert.fail("the call should fail"),
    (x: Error) => x,
  );
  return `${e}: ${e.stack}`;
}

describe("lazy dynamic providers: what a failed call prints", () => {
  const provider = lazyDynamicProvider("impl", path.join(dir, "impl"));

  it("a ClusterkitError from diff, read or delete prints its message and hint, no stack trace", async () => {
    for (const call of [() => provider.diff!("id", {}, {}), () => provider.read!("id", {}), () => provider.delete!("id", {})]) {
      const out = await printed(call());
      assert.match(out, /refusing to remove cp-1/);
      assert.match(out, /confirm it/);
      assert.doesNotMatch(out, /\n\s+at /, out);
    }
  });

  it("any other error keeps its stack trace, for the bug report", async () => {
    assert.match(await printed(provider.create({})), /TypeError: a bug[\s\S]*\n\s+at /);
  });
});
