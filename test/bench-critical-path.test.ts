/**
 * The bootstrap benchmark's model (test/bench/critical-path.ts), on made-up stand-in logs: every
 * step that slept is on the path, the certificate uploads included, and each node's slack says how
 * much later it could end without making the run longer. The bench's verdict is only as honest as
 * this model, so the model is checked here rather than trusted.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { criticalPath, type Durations } from "./bench/critical-path";

// The stand-ins' call record, named through the model so that this pure test runs with the unit
// tier (run-all.sh puts files that name the host harness in the host tier).
type StandinCall = Parameters<typeof criticalPath>[1] extends Map<string, (infer C)[]> ? C : never;

const d: Durations = { "package-install": 1000, init: 5000, join: 2000, "token-create": 100, "upload-certs": 300 };
const t0 = Date.parse("2026-12-04T10:00:00.000Z");

/** A stand-in call that started `at` ms after t0 and took `ms`. */
function call(tool: string, argv: string[], at: number, ms: number): StandinCall {
  return { tool, argv, cwd: "/", user: "root", sudoUser: null, time: new Date(t0 + at).toISOString(), durationMs: ms, code: 0 };
}
const install = (at: number) => call("apt-get", ["install", "-y", "containerd"], at, 1000);
const nodes = [
  { name: "cp-1", role: "control-plane" as const },
  { name: "cp-2", role: "control-plane" as const },
  { name: "w-1", role: "worker" as const },
];

describe("the bootstrap's critical path (bench model)", () => {
  it("charges init, then per control-plane join its token and certificate upload, and the workers alongside", () => {
    const logs = new Map<string, StandinCall[]>([
      ["cp-1", [install(0), call("kubeadm", ["init", "--config", "x"], 1000, 5000), call("kubeadm", ["token", "create"], 6000, 100), call("kubeadm", ["init", "phase", "upload-certs", "--upload-certs"], 6100, 300), call("kubeadm", ["token", "create"], 6400, 100)]],
      ["cp-2", [install(0), call("kubeadm", ["join", "x"], 6500, 2000)]],
      ["w-1", [install(0), call("kubeadm", ["join", "x"], 6500, 2000)]],
    ]);
    const cp = criticalPath(nodes, logs, d);
    // cp-1: 1 s prep + 5 s init; cp-2: waits for cp-1 (6 s), the upload (0.3 s, one for one join), then token + join.
    assert.equal(cp.kubeadm["cp-1"], 5000);
    assert.equal(cp.kubeadm["cp-2"], 100 + 300 + 2000);
    assert.equal(cp.kubeadm["w-1"], 100 + 2000);
    assert.equal(cp.uploadMs, 300);
    assert.equal(cp.end["cp-2"], 6000 + 2400);
    assert.equal(cp.end["w-1"], 6000 + 2100);
    assert.equal(cp.ms, 8400);
    assert.deepEqual(cp.slack, { "cp-1": 0, "cp-2": 0, "w-1": 300 });
  });

  it("gives a node whose host preparation ends late no slack, and the control plane before it the gap", () => {
    const logs = new Map<string, StandinCall[]>([
      ["cp-1", [install(0), call("kubeadm", ["init"], 1000, 5000), call("kubeadm", ["token", "create"], 6000, 100)]],
      // Three installs: cp-2 is ready to join only at 3 s... and w-1 only after 9 s.
      ["cp-2", [install(0), install(1000), install(2000), call("kubeadm", ["join"], 6100, 2000)]],
      ["w-1", Array.from({ length: 9 }, (_, i) => install(i * 1000)).concat(call("kubeadm", ["join"], 9000, 2000))],
    ]);
    const cp = criticalPath(nodes, logs, d);
    assert.equal(cp.prep["w-1"], 9000);
    assert.equal(cp.end["w-1"], 9000 + 2100);
    assert.equal(cp.ms, 11100, "the worker's preparation is on the path");
    assert.equal(cp.slack["w-1"], 0);
    // cp-2 ends at 6 + 2.1 = 8.1 s: 3 s before the end. cp-1 may end 3 s later too (the worker waits for its preparation, not for cp-1).
    assert.equal(cp.slack["cp-2"], 3000);
    assert.equal(cp.slack["cp-1"], 3000);
  });
});
