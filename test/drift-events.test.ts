/**
 * Drift from recorded engine events (the stand-in's fixtures, in Pulumi's apitype.EngineEvent
 * format): per-resource changes, secret redaction, the report's schema (checked with ajv, and
 * embedded verbatim in docs/fleet.md) and the Markdown summary.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import Ajv2020 from "ajv/dist/2020";
import { changeSummaryFromEvents, driftFromEvents, errorDiagnostics, parsePropertyPath, reportOnlyUpdates, snapshotReports, type EngineEventLike } from "../core/fleet/drift-events";
import { classifyFailure } from "../core/fleet/drift-errors";
import { renderDriftMarkdown, snapshotLines } from "../core/fleet/drift-markdown";
import { buildReport, driftReportJsonSchema, exitCodeOf, type StackDrift } from "../core/fleet/drift-report";
import { redact, SECRET_SIG, SIG_KEY } from "../core/fleet/redact";
import { repoRoot } from "./support/temp-project";

function fixture(name: string, stack: string, region = "eu-west-1"): EngineEventLike[] {
  const text = fs.readFileSync(path.join(repoRoot, "test", "standins", "pulumi", "fixtures", `${name}.jsonl`), "utf8");
  return text
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l.replaceAll("{{stack}}", stack).replaceAll("{{region}}", region)));
}

const secret = { [SIG_KEY]: SECRET_SIG, ciphertext: "[secret]" };

describe("driftFromEvents", () => {
  it("finds nothing in a refresh where every resource is the same", () => {
    const events = fixture("eks-clean", "prod-us-east-1", "us-east-1");
    assert.deepEqual(driftFromEvents(events), []);
    assert.deepEqual(changeSummaryFromEvents(events), { same: 9 });
  });

  it("reports each changed or deleted resource with the old and new value of each property", () => {
    const drift = driftFromEvents(fixture("eks-drift", "prod-eu-west-1"));
    assert.deepEqual(
      drift.map((r) => [r.type, r.name, r.change]),
      [
        ["aws:ec2/defaultSecurityGroup:DefaultSecurityGroup", "prod-eu-west-1-default-sg", "update"],
        ["aws:ec2/route:Route", "prod-eu-west-1-private-eu-west-1a-default", "delete"],
        ["aws:eks/cluster:Cluster", "prod-eu-west-1", "update"],
      ],
    );
    assert.deepEqual(drift[2].properties, [
      { path: "tags.Owner", kind: "add", new: "jane@example.com" },
      { path: "tagsAll.Owner", kind: "add", new: "jane@example.com" },
    ]);
    assert.equal(drift[0].properties[0].path, "ingress[0]");
    assert.deepEqual((drift[0].properties[0].new as { cidrBlocks: string[] }).cidrBlocks, ["0.0.0.0/0"]);
    assert.equal(drift[0].urn, "urn:pulumi:prod-eu-west-1::clusterkit::clusterkit:index:Cluster$clusterkit:eks:EksCluster$aws:ec2/defaultSecurityGroup:DefaultSecurityGroup::prod-eu-west-1-default-sg");
    assert.deepEqual(drift[1].properties, []);
  });

  it("redacts secrets on both sides, and never lets a secret's text into the report", () => {
    const drift = driftFromEvents(fixture("vsphere-drift", "vsphere-fra1", "fra1"));
    const vm = drift.find((r) => r.type === "vsphere:index/virtualMachine:VirtualMachine")!;
    assert.deepEqual(vm.properties, [
      { path: 'extraConfig["guestinfo.userdata"]', kind: "update", old: "[secret]", new: "[secret]" },
      { path: "memory", kind: "update", old: 16384, new: 32768 },
      { path: "numCpus", kind: "update", old: 8, new: 16 },
    ]);
    const k8s = drift.find((r) => r.type === "kubernetes:core/v1:Secret")!;
    assert.deepEqual(k8s.properties, [{ path: "data", kind: "update", old: "[secret]", new: "[secret]" }]);
    assert.ok(!JSON.stringify(drift).includes(SIG_KEY));
  });

  it("redacts a secret shown in plain text by --show-secrets, and values under secret-sounding names", () => {
    const plain = { [SIG_KEY]: SECRET_SIG, plaintext: '"hunter2"' };
    const urn = "urn:pulumi:s::clusterkit::random:index/randomPassword:RandomPassword::pw";
    const st = (outputs: Record<string, unknown>) => ({ type: "random:index/randomPassword:RandomPassword", urn, outputs, inputs: {} });
    const events: EngineEventLike[] = [
      { resourcePreEvent: { metadata: { op: "refresh", urn, type: st({}).type } } },
      {
        resOutputsEvent: {
          metadata: { op: "update", urn, type: st({}).type, old: st({ result: plain, keepers: { apiToken: "abc" } }), new: st({ result: "hunter3", keepers: { apiToken: "abd" } }), diffs: ["result", "keepers"] },
        },
      },
    ];
    const [r] = driftFromEvents(events);
    assert.deepEqual(r.properties, [
      { path: "keepers", kind: "update", old: "[secret]", new: "[secret]" },
      { path: "result", kind: "update", old: "[secret]", new: "[secret]" },
    ]);
    assert.ok(!JSON.stringify(r).includes("hunter"));
    assert.deepEqual(redact({ a: [secret], password: "x", nested: { privateKey: null } }), { a: ["[secret]"], password: "[secret]", nested: { privateKey: null } });
  });

  it("falls back to the changed output keys when the engine gives no diff (legacy refresh)", () => {
    const urn = "urn:pulumi:s::clusterkit::aws:s3/bucketV2:BucketV2::logs";
    const type = "aws:s3/bucketV2:BucketV2";
    const events: EngineEventLike[] = [
      { resourcePreEvent: { metadata: { op: "refresh", urn, type } } },
      { resOutputsEvent: { metadata: { op: "update", urn, type, old: { outputs: { tags: { a: "1" }, arn: "x" } }, new: { outputs: { tags: { a: "2" }, arn: "x" } } } } },
      // An update that is not the outcome of a refresh step is not drift.
      { resOutputsEvent: { metadata: { op: "update", urn: `${urn}2`, type, old: { outputs: {} }, new: { outputs: { x: 1 } } } } },
    ];
    assert.deepEqual(driftFromEvents(events), [{ urn, type, name: "logs", change: "update", properties: [{ path: "tags", kind: "update", old: { a: "1" }, new: { a: "2" } }] }]);
  });

  it("a new scheduled etcd snapshot is a report, not drift; a stale one is drift through observed.drift", () => {
    const urn = "urn:pulumi:s::clusterkit::clusterkit:kubeadm:KubeadmCluster$pulumi-nodejs:dynamic/clusterkit:KubeadmNode::cp-1";
    const type = "pulumi-nodejs:dynamic/clusterkit:KubeadmNode";
    const snap = (name: string) => ({ newest: { name, takenAt: "2026-12-04T10:00:00.000Z", bytes: 2048 }, onNode: 3, lastFailure: null, timerActive: true });
    const step = (drift: string[], detailed: boolean): EngineEventLike[] => [
      { resourcePreEvent: { metadata: { op: "refresh", urn, type } } },
      {
        resOutputsEvent: {
          metadata: {
            op: "update",
            urn,
            type,
            old: { outputs: { name: "cp-1", observed: { drift: [], etcdSnapshots: snap("a") } } },
            new: { outputs: { name: "cp-1", observed: { drift, etcdSnapshots: snap("b") } } },
            detailedDiff: detailed ? { "observed.etcdSnapshots.newest.name": { kind: "update" }, ...(drift.length ? { "observed.drift[0]": { kind: "add" } } : {}) } : null,
          },
        },
      },
    ];
    for (const detailed of [true, false]) {
      assert.deepEqual(driftFromEvents(step([], detailed)), []);
      assert.equal(reportOnlyUpdates(step([], detailed)), 1);
      const stale = driftFromEvents(step(["the newest scheduled etcd snapshot is 5.0 h old (backup.etcd.schedule.maxAgeHours: 3)"], detailed));
      assert.equal(stale.length, 1);
      assert.ok(stale[0].properties.every((p) => !p.path.startsWith("observed.etcdSnapshots")), JSON.stringify(stale[0].properties));
      assert.equal(reportOnlyUpdates(step(["x"], detailed)), 0);
    }
    // The report carries each newest snapshot's age and size, from the refreshed outputs.
    const same: EngineEventLike = { resOutputsEvent: { metadata: { op: "same", urn: urn.replace("cp-1", "cp-2"), type, new: { outputs: { name: "cp-2", observed: { drift: [], etcdSnapshots: { newest: null, onNode: 0, lastFailure: { at: "2026-12-04T10:30:00Z", what: "no space" }, timerActive: false } } } } } } };
    assert.deepEqual(snapshotReports([...step([], true), same], new Date("2026-12-04T10:42:00.000Z")), [
      { node: "cp-1", newest: { name: "b", takenAt: "2026-12-04T10:00:00.000Z", ageSeconds: 2520, bytes: 2048 }, onNode: 3, lastFailure: null, timerActive: true },
      { node: "cp-2", newest: null, onNode: 0, lastFailure: { at: "2026-12-04T10:30:00Z", what: "no space" }, timerActive: false },
    ]);
    const st: StackDrift = { stack: "metal-ber1", status: "clean", durationSeconds: 2, changeSummary: { same: 2 }, resources: [], error: null, etcdSnapshots: snapshotReports([...step([], true), same], new Date("2026-12-04T10:42:00.000Z")) };
    assert.deepEqual(snapshotLines(st), [
      "etcd snapshots on cp-1: newest 2026-12-04T10:00:00.000Z (42 min old, 2.0 KiB), 3 on the node",
      "etcd snapshots on cp-2: no snapshot yet, 0 on the node, timer not active; last run failed at 2026-12-04T10:30:00Z: no space",
    ]);
    const md = renderDriftMarkdown(buildReport([st], { generatedAt: "2026-12-04T10:42:00.000Z", pulumiVersion: null, shard: null }));
    assert.match(md, /^\| metal-ber1 \| cp-1 \| `2026-12-04T10:00:00\.000Z` \| 42 min \| 2\.0 KiB \| 3 \|$/m);
  });

  it("parses Pulumi property paths", () => {
    assert.deepEqual(parsePropertyPath('spec.template.metadata.labels["app.kubernetes.io/name"]'), ["spec", "template", "metadata", "labels", "app.kubernetes.io/name"]);
    assert.deepEqual(parsePropertyPath("ingress[0].cidrBlocks[12]"), ["ingress", 0, "cidrBlocks", 12]);
  });
});

describe("failures", () => {
  it("reads an auth failure from the provider's diagnostic", () => {
    const events = fixture("aws-no-credentials", "prod-eu-west-1");
    const diags = errorDiagnostics(events);
    const e = classifyFailure("code: 255\n stdout: Previewing refresh (prod-eu-west-1)\n stderr: \n", diags, null);
    assert.equal(e.kind, "auth");
    assert.match(e.message, /^pulumi:providers:aws resource 'default_7_48_0' has a problem: No valid credential sources found\./);
  });

  it("tells a missing stack, a backend login, a timeout and anything else apart", () => {
    assert.equal(classifyFailure("stderr: error: no stack named 'metal-nyc1' found", [], null).kind, "stack-not-found");
    assert.equal(classifyFailure("error: PULUMI_ACCESS_TOKEN must be set for login during non-interactive CLI sessions", [], null).kind, "auth");
    assert.equal(classifyFailure("", [], 30).kind, "timeout");
    assert.match(classifyFailure("", [], 30).message, /^no result after 30s/);
    assert.deepEqual(classifyFailure("lots of progress\nerror: could not load plugin aws\nmore", [], null), { kind: "cli", message: "error: could not load plugin aws" });
  });
});

describe("the report", () => {
  const clean: StackDrift = { stack: "b", status: "clean", durationSeconds: 3, changeSummary: { same: 4 }, resources: [], error: null, etcdSnapshots: [] };
  const drifted: StackDrift = { stack: "a", status: "drifted", durationSeconds: 4, changeSummary: { update: 1 }, resources: driftFromEvents(fixture("eks-drift", "a")), error: null, etcdSnapshots: [] };
  const failed: StackDrift = { stack: "c", status: "error", durationSeconds: 1, changeSummary: {}, resources: [], error: { kind: "timeout", message: "no result after 5s" }, etcdSnapshots: [] };

  it("exits 0 without drift, 1 with drift and 2 when a stack could not be checked", () => {
    assert.equal(exitCodeOf([clean]), 0);
    assert.equal(exitCodeOf([clean, drifted]), 1);
    assert.equal(exitCodeOf([clean, drifted, failed]), 2);
  });

  it("validates against its JSON Schema, sorted by stack", () => {
    const report = buildReport([clean, failed, drifted], { generatedAt: "2026-01-02T03:04:05.000Z", pulumiVersion: "3.248.0", shard: { index: 1, count: 2 } });
    assert.deepEqual(report.stacks.map((s) => s.stack), ["a", "b", "c"]);
    assert.deepEqual(report.summary, { stacks: 3, clean: 1, drifted: 1, errors: 1, driftedResources: 3 });
    const ajv = new Ajv2020({ strict: false });
    const validate = ajv.compile(driftReportJsonSchema());
    assert.ok(validate(JSON.parse(JSON.stringify(report))), ajv.errorsText(validate.errors));
    assert.ok(!validate({ ...report, exitCode: 3 }));
  });

  it("is documented in docs/fleet.md with exactly the schema the code produces", () => {
    const doc = fs.readFileSync(path.join(repoRoot, "docs", "fleet.md"), "utf8");
    const block = /<!-- drift-report-schema -->\n```json\n([\s\S]*?)\n```/.exec(doc);
    assert.ok(block, "docs/fleet.md has no drift-report-schema block");
    assert.deepEqual(JSON.parse(block[1]), driftReportJsonSchema());
  });

  it("renders a Markdown summary with a table, the changed properties and no secret", () => {
    const vs: StackDrift = { ...drifted, stack: "vsphere-fra1", resources: driftFromEvents(fixture("vsphere-drift", "vsphere-fra1", "fra1")) };
    const md = renderDriftMarkdown(buildReport([clean, drifted, failed, vs], { generatedAt: "2026-01-02T03:04:05.000Z", pulumiVersion: "3.248.0", shard: null }));
    assert.match(md, /^## Drift report: 1 stack\(s\) could not be checked$/m);
    assert.match(md, /^\| a \| ⚠️ drifted \| 3 \| 4s \|$/m);
    assert.match(md, /^\| c \| ❌ not checked \| – \| 1s \|$/m);
    assert.match(md, /^\*\*timeout\*\*: no result after 5s$/m);
    assert.match(md, /^\| `tags\.Owner` \| _\(none\)_ \| `jane@example\.com` \|$/m);
    assert.match(md, /^\| `numCpus` \| `8` \| `16` \|$/m);
    assert.match(md, /^\| `data` \| `\[secret\]` \| `\[secret\]` \|$/m);
    assert.ok(!md.includes(SIG_KEY));
  });
});
