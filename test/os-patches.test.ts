/**
 * Rolling OS patches, the parts that need no host: the inputs every node gets, how a round change
 * shows in the diff (an update of every node, never a replacement), the markers a node keeps and
 * how they tell a reboot that happened from one that did not.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { diffNode } from "../providers/kubeadm/diff";
import { observe, unobserved } from "../providers/kubeadm/observe";
import { parsePatchState, rebootedFor } from "../providers/kubeadm/phases/os-patch/markers";
import { osPatchInputs, planNodes, type PlannedHost } from "../providers/kubeadm/plan";
import { hostArtifacts } from "../core/render/host";
import type { ClusterSpec } from "../core/spec";
import type { NodeOutputs } from "../providers/kubeadm/types";
import { stackSpec } from "./render-kubeadm-specs";

const withRound = (spec: ClusterSpec, round: string, reboot: "if-required" | "always" | "never" = "if-required"): ClusterSpec => ({ ...spec, osPatches: { kind: "rolling", round, reboot, rebootTimeoutSeconds: 900 } });

describe("OS patch rounds in the plan", () => {
  const base = stackSpec("metal-ber1");
  const hosts: PlannedHost[] = base.nodes.map((n) => ({ name: n.name, role: n.role, address: n.address!, ssh: n.ssh, labels: n.labels, taints: n.taints }));
  const state = (spec: ClusterSpec) => new Map(planNodes(spec, hosts).map((p): [string, NodeOutputs] => [p.node.name, { ...p.kubeadm, privateKey: "K", connection: {} as unknown as NodeOutputs["connection"], secretFiles: [], kubeconfig: p.node.role === "control-plane" ? "KUBECONFIG" : "", observed: unobserved }]));
  const diffs = (olds: Map<string, NodeOutputs>, spec: ClusterSpec) => planNodes(spec, hosts).map((p) => diffNode(olds.get(p.node.name)!, { ...olds.get(p.node.name)!, ...p.kubeadm }));

  it("without a round, no node carries one, and no patch script is written", () => {
    assert.equal(osPatchInputs(base), null);
    assert.ok(planNodes(base, hosts).every((p) => p.kubeadm.osPatches === null));
    assert.ok(!hostArtifacts(base).some((a) => a.path.startsWith("hosts/os-patch")));
  });

  it("every node gets the same round and scripts; plan --out writes both scripts", () => {
    const spec = withRound(base, "2026-12");
    const p = osPatchInputs(spec)!;
    assert.deepEqual({ round: p.round, reboot: p.reboot, rebootTimeoutSeconds: p.rebootTimeoutSeconds }, { round: "2026-12", reboot: "if-required", rebootTimeoutSeconds: 900 });
    assert.match(p.patchScript, /apt-get .* upgrade --with-new-pkgs/);
    assert.match(p.patchScript, /dnf -y -q upgrade --refresh/);
    assert.match(p.rebootRequiredScript, /\/var\/run\/reboot-required/);
    assert.match(p.rebootRequiredScript, /needs-restarting -r/);
    assert.ok(planNodes(spec, hosts).every((n) => JSON.stringify(n.kubeadm.osPatches) === JSON.stringify(p)));
    assert.deepEqual(hostArtifacts(spec).filter((a) => a.path.startsWith("hosts/os-patch")).map((a) => a.path), ["hosts/os-patch-packages.apply.sh", "hosts/os-patch-reboot-required.check.sh"]);
  });

  it("a new round is an update of every node, never a replacement; the same round is no change; state from before rounds equals none", () => {
    const olds = state(withRound(base, "2026-12"));
    for (const d of diffs(olds, withRound(base, "2027-01"))) assert.deepEqual(d, { changes: true, replaces: [], deleteBeforeReplace: false });
    for (const d of diffs(olds, withRound(base, "2026-12"))) assert.equal(d.changes, false);
    const legacy = new Map([...state(base)].map(([k, v]) => [k, { ...v, osPatches: undefined }]));
    for (const d of diffs(legacy, base)) assert.equal(d.changes, false);
  });
});

describe("a node's OS patch markers", () => {
  const out = (boot: string, bootId: string) => `done=2026-12\nround=2027-01\npackages=2027-01\ncordoned=1\nboot=${boot}\nboot_id=${bootId}\n`;

  it("are read in one command", () => {
    assert.deepEqual(parsePatchState(out("2027-01 aaa", "aaa")), { done: "2026-12", round: "2027-01", packages: "2027-01", cordoned: true, boot: { round: "2027-01", bootId: "aaa" }, bootId: "aaa" });
    assert.deepEqual(parsePatchState("done=\nround=\npackages=\ncordoned=0\nboot=\nboot_id=bbb\n"), { done: null, round: null, packages: null, cordoned: false, boot: null, bootId: "bbb" });
  });

  it("a reboot happened for this round only when the node runs another boot than the one it asked from", () => {
    assert.equal(rebootedFor(parsePatchState(out("2027-01 aaa", "bbb")), "2027-01"), true);
    assert.equal(rebootedFor(parsePatchState(out("2027-01 aaa", "aaa")), "2027-01"), false, "asked, not yet gone down: ask again");
    assert.equal(rebootedFor(parsePatchState(out("2026-12 aaa", "bbb")), "2027-01"), false, "a reboot of another round does not count");
    assert.equal(rebootedFor(parsePatchState("boot=\nboot_id=bbb\n"), "2027-01"), false);
  });
});

describe("refresh", () => {
  it("names an unfinished round as drift", async () => {
    const facts = "admin=1\nkubelet_conf=1\napiserver=1\ntraces=1\npending=0\ninit_started=1\ninit_complete=1\nrestart_pending=0\nreload_pending=0\napplied=H\nupgrade_target=\nupgrade_kubeadm=\nupgrade_cordoned=0\nreconfigure_pending=\nos_patch_done=2026-12\nkubelet=v1.34.1\nkubeadm=v1.34.1\nactive=active\n";
    const host = { name: "w-1", address: "10.0.0.21", read: async () => facts, run: async () => ({ code: 0, stdout: "", stderr: "" }), test: async () => false };
    const spec = withRound(stackSpec("metal-ber1"), "2027-01");
    const worker = planNodes(spec, spec.nodes.map((n) => ({ name: n.name, role: n.role, address: n.address!, ssh: n.ssh, labels: n.labels, taints: n.taints }))).find((p) => p.node.role === "worker")!;
    const ctx = { label: "w-1", inputs: { ...worker.kubeadm, configHash: "H", privateKey: "", connection: {}, secretFiles: [] }, host, peers: [], facts: null } as unknown as Parameters<typeof observe>[0];
    const o = await observe(ctx);
    assert.equal(o.osPatchRound, "2026-12");
    assert.ok(o.drift.includes("OS patch round 2027-01 has not finished here (last finished: 2026-12); pulumi up resumes it"), o.drift.join("; "));
  });
});
