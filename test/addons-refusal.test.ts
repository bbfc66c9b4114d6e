/**
 * Replace-only: a live cluster's CNI and pod CIDR. Each case runs the real Addons component under
 * mocks in a child process (a refused run leaves Pulumi's runtime failed, as `pulumi up` would),
 * with the network identity the cluster recorded at its first deployment.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { describe, it } from "node:test";

interface Outcome {
  error: string | null;
  registered: string[];
  created: string[];
}

function run(recordedCni: string, recordedPodCidr: string): Outcome {
  const r = spawnSync(process.execPath, ["--import", "tsx", path.join(__dirname, "addons-support", "refusal-run.ts"), recordedCni, recordedPodCidr], { encoding: "utf8", timeout: 120_000 });
  const line = r.stdout.trim().split("\n").pop() ?? "";
  assert.ok(line.startsWith("{"), `child printed its outcome (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
  return JSON.parse(line) as Outcome;
}

// The example bare-metal cluster: Flannel on 10.66.0.0/16.
const cniResources = ["live-namespace-kube-flannel", "live-flannel"];

describe("replace-only network of a live cluster", () => {
  it("unchanged: the CNI and everything after it are applied", () => {
    const o = run("flannel", "10.66.0.0/16");
    assert.equal(o.error, null);
    for (const n of [...cniResources, "live-traefik", "live-storageclass-local-path"]) assert.ok(o.created.includes(n), `${n} is created`);
  });

  it("another CNI recorded: refused with the explanation, and the CNI is never touched", () => {
    const o = run("cilium", "10.66.0.0/16");
    assert.match(o.error ?? "", /refusing to change the pod network of live cluster live/);
    assert.match(o.error ?? "", /cni\.kind: the cluster was built with cilium and the blueprint now asks for flannel; this is replace-only on a live cluster: revert the change, or build a new cluster/);
    assert.ok(o.registered.includes("live-network-identity"), "the record itself was read");
    for (const n of o.registered) assert.ok(!/flannel|ingress|storageclass|local-path|metallb/.test(n), `${n} must not reach the engine`);
  });

  it("another pod CIDR recorded: refused the same way", () => {
    const o = run("flannel", "10.99.0.0/16");
    assert.match(o.error ?? "", /networking\.podCidr: the cluster's pods use 10\.99\.0\.0\/16 and the configuration now says 10\.66\.0\.0\/16/);
    for (const n of cniResources) assert.ok(!o.registered.includes(n));
  });
});
