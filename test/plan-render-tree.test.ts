/**
 * The text plan (cli/plan/render-tree.ts) on hand-made runs: nothing is ever cut, long values wrap
 * at the width, nested objects get one key per line, values known only after deploy read
 * "(known after apply)", and `wide` prints each input on one line.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { redactAfterApply } from "../cli/plan/known-after-apply";
import { renderTree } from "../cli/plan/render-tree";
import type { PlannedResource, ProgramRun } from "../cli/plan/run-program";

const urn = (name: string) => `urn:pulumi:s::clusterkit::test:index:Thing::${name}`;
const resource = (name: string, inputs: Record<string, unknown>, dependsOn: string[] = []): PlannedResource => ({
  urn: urn(name),
  type: "test:index:Thing",
  name,
  parent: null,
  custom: true,
  dependsOn,
  inputs,
});
const run = (resources: PlannedResource[], outputs: Record<string, unknown> = {}, afterApply: string[] = []): ProgramRun => ({ resources, outputs, log: [], afterApply });

const long = Array.from({ length: 40 }, (_, i) => `segment-${i}`).join(",");
const script = "#!/usr/bin/env bash\nset -euo pipefail\necho one\necho two\n";

describe("text plan", () => {
  const text = renderTree(
    run(
      [
        resource("a", {
          description: long,
          vpcConfig: { endpointPrivateAccess: true, endpointPublicAccess: false, publicAccessCidrs: ["203.0.113.10/32"] },
          kubeconfig: "[secret]",
          roleArn: "[unknown]",
          policy: JSON.stringify({ Statement: [{ Effect: "Allow", Resource: "arn:aws:kms:us-east-1:[unknown]" }] }),
          script,
        }),
        resource("b", { script }, Array.from({ length: 12 }, (_, i) => urn(`dependency-number-${i}`))),
      ],
      { apiServerUrl: "[unknown]" },
    ),
    {},
    { width: 80 },
  );
  const lines = text.split("\n");

  it("cuts nothing and stays within the width", () => {
    assert.doesNotMatch(text, /…/);
    for (const l of lines) assert.ok(l.length <= 80, `longer than 80: ${l}`);
    // Continuation lines put back together give the value unchanged.
    const start = lines.findIndex((l) => l.includes("description: "));
    let joined = lines[start].split("description: ")[1];
    for (let i = start + 1; !/^\s+\w+:/.test(lines[i]); i++) joined += lines[i].trimStart();
    assert.equal(joined, JSON.stringify(long));
  });

  it("shows nested objects one key per line", () => {
    assert.match(text, /^ +vpcConfig:\n +endpointPrivateAccess: true\n +endpointPublicAccess: false\n +publicAccessCidrs: \["203\.0\.113\.10\/32"\]$/m);
  });

  it("shows values known only after deploy as (known after apply), secrets as [secret]", () => {
    assert.match(text, /^ +roleArn: \(known after apply\)$/m);
    assert.match(text, /^ +apiServerUrl: \(known after apply\)$/m);
    assert.match(text, /^ +Resource: "arn:aws:kms:us-east-1:\(known after apply\)"$/m, "inside a JSON policy too");
    assert.match(text, /^ +kubeconfig: \[secret\]$/m);
    assert.doesNotMatch(text, /\[unknown\]/);
  });

  it("prints a text block in full once, then refers to it", () => {
    assert.match(text, /^ +script: \|\n +#!\/usr\/bin\/env bash\n +set -euo pipefail\n +echo one\n +echo two\n/m);
    assert.match(text, /^ +script: \(the same 4 lines as a script\)$/m);
  });

  it("wraps the dependency list instead of cutting it", () => {
    for (let i = 0; i < 12; i++) assert.match(text, new RegExp(`dependency-number-${i}\\b`));
  });

  it("wide: every input on one line, in full", () => {
    const wide = renderTree(run([resource("a", { description: long, vpcConfig: { endpointPrivateAccess: true, endpointPublicAccess: false, publicAccessCidrs: [] } })]), {}, { wide: true });
    assert.match(wide, new RegExp(`^ +description: ${JSON.stringify(long)}$`, "m"));
    assert.match(wide, /^ +vpcConfig: \{"endpointPrivateAccess":true,"endpointPublicAccess":false,"publicAccessCidrs":\[\]\}$/m);
    assert.doesNotMatch(wide, /…/);
  });
});

describe("values known only after deploy", () => {
  const arn = "arn:aws:iam::123456789012:role/r-1a2b3c4";
  const redacted = redactAfterApply(
    run(
      [resource("a", { roleArn: arn, policy: JSON.stringify({ Principal: { AWS: arn } }), name: "r", ids: ["a-id", "a-idx"], count: 3 })],
      { url: "https://X1.example.com" },
      [arn, "a-id", "X1"],
    ),
  );
  const inputs = redacted.resources[0].inputs;

  it("a whole value becomes [unknown], an embedded one is replaced in place", () => {
    assert.equal(inputs.roleArn, "[unknown]");
    assert.equal(inputs.policy, JSON.stringify({ Principal: { AWS: "[unknown]" } }));
    assert.equal(redacted.outputs.url, "https://[unknown].example.com");
  });

  it("leaves values that merely start like one alone", () => {
    assert.deepEqual(inputs.ids, ["[unknown]", "a-idx"]);
    assert.equal(inputs.name, "r");
    assert.equal(inputs.count, 3);
  });
});
