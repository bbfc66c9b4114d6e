/**
 * The nightly drift job must be able to reach what it refreshes on EKS: the refresh of in-cluster
 * resources goes through the stored kubeconfig, which runs `aws eks get-token` against the API
 * endpoint (private by default). The workflow therefore runs where the deployer's network rules
 * say (a configurable runner) and stops with a clear error, before any stack is refreshed, when the
 * runner lacks the AWS CLI, instead of reporting every EKS stack as "could not be checked".
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import { parse } from "yaml";
import { repoRoot } from "./support/temp-project";

type Step = { name?: string; run?: string; uses?: string };
const wf = parse(fs.readFileSync(path.join(repoRoot, ".github", "workflows", "drift.yml"), "utf8"));
const job = wf.jobs.drift as { "runs-on": string; steps: Step[] };
const driftAt = job.steps.findIndex((s) => /npx clusterkit drift/.test(s.run ?? ""));

describe("drift workflow reaches private EKS clusters", () => {
  it("runs on a runner the repository chooses (one inside or routed into the VPCs)", () => {
    assert.match(job["runs-on"], /vars\.DRIFT_RUNNER/);
  });

  it("checks for the AWS CLI the EKS kubeconfig runs, before drift", () => {
    assert.ok(driftAt > 0);
    const check = job.steps.slice(0, driftAt).find((s) => /command -v aws/.test(s.run ?? ""));
    assert.ok(check, "a step before clusterkit drift checks `command -v aws`");
    assert.match(check.run!, /::error::.*aws eks get-token/, "and says why it is needed");
  });

  it("prints how each stack's API is reached, before drift", () => {
    const notes = job.steps.slice(0, driftAt).find((s) => /npx clusterkit validate/.test(s.run ?? ""));
    assert.ok(notes, "a step before clusterkit drift runs clusterkit validate, whose notes say how each EKS API is reached");
  });
});
