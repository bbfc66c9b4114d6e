// Bare metal over real SSH: a `kubeadm init` that fails at wait-control-plane (the API server
// never becomes healthy) leaves admin.conf behind, as the real kubeadm does. The re-run must see
// that init did not complete, reset that node only and init again; a cluster that did come up
// (one made before clusterkit recorded init completion) must never be reset, and one whose API
// does not answer is refused rather than guessed about. Needs root (test/hosts/setup-deps.sh).
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { initCompletePath, initStartedPath } from "../providers/kubeadm/paths";
import { kubeadmNode } from "../providers/kubeadm/runtime";
import { errorsOf, TestCluster } from "./baremetal/cluster";
import { describeCall } from "./baremetal/standin-log";

describe("bare metal over SSH: a failed kubeadm init", () => {
  let c: TestCluster;
  const cp1 = () => c.fleet.host("cp-1");
  const callsSince = async (before: Map<string, { tool: string; argv: string[] }[]>, host: string) => ((await c.calls()).get(host) ?? []).slice(before.get(host)?.length ?? 0).map((x) => describeCall(x as never));

  before(async () => {
    c = await TestCluster.start({ controlPlanes: 1, workers: 1, fleet: { failOnce: [{ host: "cp-1", step: "init" }] } });
  });

  after(async () => {
    await c?.stop();
  });

  it("fails at wait-control-plane, leaving what the real kubeadm leaves", async () => {
    const r = await c.up();
    assert.deepEqual([...r.errors.keys()], ["cp-1"]);
    assert.match(r.errors.get("cp-1")!.message, /kubeadm-init: command failed/);
    assert.match(r.errors.get("cp-1")!.message, /kube-apiserver is not healthy/);
    assert.deepEqual(r.skipped, ["w-1"]);
    for (const f of ["/etc/kubernetes/admin.conf", "/etc/kubernetes/super-admin.conf", "/etc/kubernetes/pki/ca.crt", "/etc/kubernetes/manifests/kube-apiserver.yaml", "/etc/kubernetes/manifests/etcd.yaml", "/var/lib/etcd/member", initStartedPath]) {
      assert.equal(await cp1().exists(f), true, f);
    }
    assert.equal(await cp1().exists(initCompletePath), false);
    const api = await cp1().exec("kubectl --kubeconfig /etc/kubernetes/admin.conf get nodes");
    assert.notEqual(api.code, 0, "the API does not answer");
  });

  it("the re-run resets that node, runs kubeadm init again and joins the worker", async () => {
    const before = await c.calls();
    const r = await c.up();
    assert.deepEqual(errorsOf(r), []);
    const calls = (await callsSince(before, "cp-1")).filter((x) => /^kubeadm (reset|init)/.test(x));
    assert.deepEqual(calls.map((x) => x.split(" ").slice(0, 2).join(" ")), ["kubeadm reset", "kubeadm init"], calls.join("\n"));
    assert.equal(await cp1().exists(initCompletePath), true);
    for (const n of ["cp-1", "w-1"]) {
      assert.equal(c.nodeState.get(n)!.observed.registered, true, n);
      assert.deepEqual(c.nodeState.get(n)!.observed.drift, [], n);
    }
    assert.ok(c.nodeState.get("cp-1")!.kubeconfig.includes("kind: Config"));
  });

  it("a cluster initialised before the completion marker existed is recognised through its kubeadm-config ConfigMap, never reset", async () => {
    await cp1().exec(`rm -f ${initCompletePath} ${initStartedPath}`);
    await c.refresh();
    assert.deepEqual(c.nodeState.get("cp-1")!.observed.drift, [], "refresh sees a completed init");
    // The next update (any change would make one) records the marker and does nothing else.
    const before = await c.calls();
    const state = c.nodeState.get("cp-1")!;
    c.nodeState.set("cp-1", (await kubeadmNode.update("", state, c.inputs("cp-1").node)).outs);
    assert.deepEqual(TestCluster.mutatingSince(before, await c.calls()).get("cp-1")?.map(describeCall) ?? [], []);
    assert.equal(await cp1().exists(initCompletePath), true, "the marker is recorded");
  });

  it("admin.conf without any record of init, and no API answering: refused, nothing reset", async () => {
    await cp1().exec(`rm -f ${initCompletePath} ${initStartedPath}`);
    const apiDown = path.join(c.fleet.clusterStateDir, "api-down");
    fs.writeFileSync(apiDown, "");
    const before = await c.calls();
    try {
      // (Refreshing the worker would fail: its node cannot be looked up while the API is down.)
      c.nodeState.set("cp-1", (await kubeadmNode.read("", c.nodeState.get("cp-1")!)).props);
      assert.deepEqual(c.nodeState.get("cp-1")!.observed.drift, ["kubeadm init has not completed"]);
      const r = await c.up(["cp-1"]);
      const e = r.errors.get("cp-1");
      assert.ok(e, errorsOf(r).join("\n"));
      assert.match(e.message, /no record of it completing .* refusing to reset a control plane that may belong to a running cluster/);
      assert.match(e.message, /hint: if the API server is down, bring it back/);
      assert.deepEqual(TestCluster.mutatingSince(before, await c.calls()).get("cp-1")?.map(describeCall) ?? [], []);
      assert.equal(await cp1().exists("/etc/kubernetes/admin.conf"), true);
    } finally {
      fs.rmSync(apiDown, { force: true });
    }
    const r = await c.up();
    assert.deepEqual(errorsOf(r), []);
    assert.equal(await cp1().exists(initCompletePath), true);
  });
});
