/** Structural rules of the codebase that reviews would otherwise have to catch. */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import { renderSchemas } from "../core/schema/json-schema";
import { repoRoot } from "./support/temp-project";

function tsFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? tsFiles(p) : e.name.endsWith(".ts") ? [p] : [];
  });
}

describe("codebase boundaries", () => {
  it("nothing under core/ imports Pulumi (the pure layer stays pure)", () => {
    const offenders = tsFiles(path.join(repoRoot, "core")).filter((f) => /from\s+["']@pulumi\/|require\(["']@pulumi\//.test(fs.readFileSync(f, "utf8")));
    assert.deepEqual(offenders.map((f) => path.relative(repoRoot, f)), []);
  });

  it("only cli/ ends the process", () => {
    const dirs = ["core", "components", "providers"].map((d) => path.join(repoRoot, d)).filter(fs.existsSync);
    const offenders = dirs.flatMap(tsFiles).filter((f) => /process\.exit\(/.test(fs.readFileSync(f, "utf8")));
    assert.deepEqual(offenders.map((f) => path.relative(repoRoot, f)), []);
  });

  it("the committed JSON Schemas match the zod schemas (run `npm run schema` if this fails)", () => {
    for (const [rel, content] of Object.entries(renderSchemas())) {
      assert.equal(fs.readFileSync(path.join(repoRoot, rel), "utf8"), content, `${rel} is stale`);
    }
  });

  it("the JSON Schemas describe the discriminated unions and reject unknown keys", () => {
    const bp = JSON.parse(fs.readFileSync(path.join(repoRoot, "blueprints/blueprint.schema.json"), "utf8"));
    assert.equal(bp.additionalProperties, false);
    const kinds = bp.properties.cni.oneOf.map((o: { properties: { kind: { const: string } } }) => o.properties.kind.const);
    assert.deepEqual(kinds, ["cilium", "flannel", "weave"]);
  });
});
