/**
 * EKS upgrades by one minor per `pulumi up`: the pure decision, the version guard's diff as the
 * engine calls it (in the preview, before the cluster that depends on it changes), where its
 * refusals point, and what `validate` says about the STANDARD upgrade policy.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ClusterkitError, formatIssue, type Issue } from "../core/errors";
import { eksStandardSupportEnds } from "../core/eks/support-calendar";
import { checkVersionStep, decideVersionStep, nextMinor } from "../core/eks/version-step";
import { eksClusterArgs } from "../core/render/eks/args";
import { eksKubernetes } from "../core/versions";
import { eksVersionGuard } from "../providers/eks-version/runtime";
import type { EksVersionGuardInputs } from "../providers/eks-version/types";
import { blueprintRaw, resolveRaw, stackConfigRaw, type Raw } from "./support/fixtures";

const BP = "blueprints/eks-standard.yaml";
const STACK = "stacks/Pulumi.prod-us-east-1.yaml";
const subject = { stack: "prod-us-east-1", file: BP, path: "kubernetesVersion" };

async function refusal(p: Promise<unknown>): Promise<Issue> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  assert.ok(err instanceof ClusterkitError, "refused with a ClusterkitError");
  assert.equal(err.exitCode, 2);
  assert.equal(err.issues.length, 1);
  return err.issues[0];
}

describe("decideVersionStep", () => {
  const cases: [string, string, string, string][] = [
    ["same minor", "1.33", "1.33", "unchanged"],
    ["one minor up", "1.33", "1.34", "upgrade"],
    ["two minors up", "1.33", "1.35", "too-far"],
    ["one minor down", "1.34", "1.33", "downgrade"],
    ["one minor up across a two-digit boundary", "1.9", "1.10", "upgrade"],
  ];
  for (const [name, from, to, kind] of cases) it(name, () => assert.equal(decideVersionStep(from, to).kind, kind));
  it("names the minor that was skipped", () => assert.deepEqual(decideVersionStep("1.32", "1.35"), { kind: "too-far", next: "1.33" }));
  it("nextMinor counts, not concatenates", () => assert.equal(nextMinor("1.9"), "1.10"));
});

describe("checkVersionStep", () => {
  it("lets one minor up and the same minor through", () => {
    assert.equal(checkVersionStep(subject, "1.33", "1.34").kind, "upgrade");
    assert.equal(checkVersionStep(subject, "1.34", "1.34").kind, "unchanged");
  });
});

describe("EksVersionGuard diff (as the engine calls it, in the preview and before the cluster changes)", () => {
  const guard = (version: string, clusterName = "prod-us-east-1"): EksVersionGuardInputs => ({ ...subject, clusterName, version });

  it("refuses two minors at once, naming the field, both versions and one minor per pulumi up", async () => {
    const issue = await refusal(eksVersionGuard.diff("id", guard("1.33"), guard("1.35")));
    assert.equal(issue.file, BP);
    assert.equal(issue.path, "kubernetesVersion");
    assert.equal(issue.expected, '"1.33" or "1.34"');
    assert.equal(issue.found, '"1.35"');
    assert.match(issue.message, /one minor version at a time; the cluster runs 1\.33 .*1\.35 skips 1\.34; nothing was changed/);
    assert.match(issue.hint ?? "", /one minor per pulumi up: set kubernetesVersion to "1\.34", pulumi up --stack prod-us-east-1, then .*"1\.35"/);
    assert.match(formatIssue(issue), /^blueprints\/eks-standard\.yaml: kubernetesVersion: EKS upgrades a control plane one minor version at a time/);
  });

  it("refuses a downgrade, which EKS cannot do, with the way out", async () => {
    const issue = await refusal(eksVersionGuard.diff("id", guard("1.34"), guard("1.33")));
    assert.equal(issue.path, "kubernetesVersion");
    assert.equal(issue.found, '"1.33"');
    assert.match(issue.message, /cannot downgrade a control plane; the cluster runs 1\.34/);
    assert.match(issue.hint ?? "", /keep kubernetesVersion "1\.34".*clusterkit clone-region/);
  });

  it("lets one minor up change the guard, and the same version change nothing", async () => {
    assert.deepEqual(await eksVersionGuard.diff("id", guard("1.33"), guard("1.34")), { changes: true, replaces: [], deleteBeforeReplace: false });
    assert.deepEqual(await eksVersionGuard.diff("id", guard("1.34"), guard("1.34")), { changes: false, replaces: [], deleteBeforeReplace: false });
    assert.deepEqual((await eksVersionGuard.update("id", guard("1.33"), guard("1.34"))).outs, guard("1.34"), "the new minor is what the next pulumi up compares with");
  });

  it("starts over for a renamed cluster, which EKS creates anew at any version", async () => {
    assert.deepEqual(await eksVersionGuard.diff("id", guard("1.32"), guard("1.35", "prod-us-east-1b")), { changes: true, replaces: ["clusterName"], deleteBeforeReplace: false });
  });

  it("records the version on create: a first pulumi up takes any version", async () => {
    assert.deepEqual(await eksVersionGuard.create(guard("1.35")), { id: "prod-us-east-1/prod-us-east-1", outs: guard("1.35") });
  });
});

describe("EKS upgrade settings in the resolved spec", () => {
  const resolveWith = (mutate: (bp: Raw, cfg: Raw) => void) => {
    const bp = blueprintRaw("eks-standard");
    const cfg = stackConfigRaw("prod-us-east-1");
    mutate(bp, cfg);
    return resolveRaw("eks-standard", bp, "prod-us-east-1", cfg);
  };

  it("points the guard at the blueprint's kubernetesVersion, or at the stack when it overrides it", () => {
    const plain = eksClusterArgs(resolveWith(() => {}).spec);
    assert.deepEqual(plain.versionGuard, { stack: "prod-us-east-1", file: BP, path: "kubernetesVersion" });
    const overridden = eksClusterArgs(resolveWith((_bp, cfg) => { cfg["clusterkit:overrides"] = { kubernetesVersion: "1.35" }; }).spec);
    assert.deepEqual(overridden.versionGuard, { stack: "prod-us-east-1", file: STACK, path: "config.clusterkit:overrides.kubernetesVersion" });
    assert.equal(overridden.version, "1.35");
  });

  it("keeps the EXTENDED upgrade policy by default, written out, and warns about nothing", () => {
    const r = resolveWith(() => {});
    assert.deepEqual(eksClusterArgs(r.spec).upgradePolicy, { supportType: "EXTENDED" });
    assert.deepEqual(r.warnings.filter((w) => w.path.includes("supportType")), []);
  });

  it("on the STANDARD policy, warns what AWS's own upgrade means for the pinned minor", () => {
    const r = resolveWith((bp) => { bp.platform.supportType = "standard"; });
    assert.deepEqual(eksClusterArgs(r.spec).upgradePolicy, { supportType: "STANDARD" });
    const warnings = r.warnings.filter((w) => w.path === "platform.supportType");
    assert.equal(warnings.length, 1);
    const [w] = warnings;
    assert.equal(w.file, BP);
    assert.match(w.message, /on 2026-12-02, when 1\.34 leaves EKS standard support, AWS upgrades the control plane to 1\.35 on its own, while kubernetesVersion still pins "1\.34"/);
    assert.match(w.message, /node groups and add-ons stay on 1\.34/);
    assert.match(w.message, /Raise kubernetesVersion to "1\.35" and pulumi up before that date; if AWS was first, run pulumi refresh/);
  });

  it("says so when AWS would move the cluster to a minor clusterkit does not support yet", () => {
    const r = resolveWith((_bp, cfg) => { cfg["clusterkit:overrides"] = { kubernetesVersion: "1.35", platform: { supportType: "standard" } }; });
    const [w] = r.warnings.filter((x) => x.path.endsWith("supportType"));
    assert.equal(w.file, STACK);
    assert.equal(w.path, "config.clusterkit:overrides.platform.supportType");
    assert.match(w.message, /to 1\.36 \(a minor clusterkit does not support yet\)/);
  });

  it("knows when standard support ends for every EKS minor clusterkit accepts", () => {
    assert.deepEqual(Object.keys(eksStandardSupportEnds).sort(), [...eksKubernetes].sort());
    for (const d of Object.values(eksStandardSupportEnds)) assert.match(d, /^\d{4}-\d{2}-\d{2}$/);
  });
});
