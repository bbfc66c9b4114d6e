// Bare metal over real SSH: taking nodes out. A worker is drained (eviction API) and reset; a
// control plane also loses its etcd member (real etcd); a removal that would break etcd quorum,
// and the removal of the last control plane, are refused. A control plane reset behind
// clusterkit's back rejoins after its stale etcd member is removed. Needs root.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { kubeadmNode } from "../providers/kubeadm/runtime";
import { destroyConfirmation } from "../providers/kubeadm/teardown/context";
import { TestCluster } from "./baremetal/cluster";
import { captureExchanges, leaks, secretsSeen } from "./baremetal/secrets-grep";
import { describeCall } from "./baremetal/standin-log";

describe("bare metal over SSH: removing nodes", () => {
  let c: TestCluster;
  const capture = captureExchanges();
  const members = async () =>
    (await c.fleet.host("cp-1").exec("etcdctl member list -w simple")).stdout
      .trim()
      .split("\n")
      .filter(Boolean);
  const nodeExists = async (name: string) => (await c.fleet.host("cp-1").exec(`kubectl --kubeconfig /etc/kubernetes/admin.conf get node ${name}`)).code === 0;
  const newCalls = async (host: string, since: number) => ((await c.calls()).get(host) ?? []).slice(since).map(describeCall);
  const callCount = async (host: string) => ((await c.calls()).get(host) ?? []).length;

  before(async () => {
    c = await TestCluster.start({ controlPlanes: 3, workers: 2 });
    const r = await c.up();
    assert.deepEqual([...r.errors].map(([k, e]) => `${k}: ${e.message}`), []);
    assert.equal((await members()).length, 3);
  });

  after(async () => {
    capture.restore();
    delete process.env[destroyConfirmation];
    await c?.stop();
  });

  it("removing a worker cordons and drains it through the eviction API, resets it and deletes its node", async () => {
    const [cp1Before, w2Before] = [await callCount("cp-1"), await callCount("w-2")];
    await c.remove("w-2");
    const cp1 = await newCalls("cp-1", cp1Before);
    const cordon = cp1.findIndex((x) => /^kubectl .*cordon w-2/.test(x));
    const drain = cp1.findIndex((x) => /^kubectl .*drain w-2/.test(x));
    const del = cp1.findIndex((x) => /^kubectl .*delete node w-2/.test(x));
    assert.ok(cordon >= 0 && drain > cordon && del > drain, cp1.join("\n"));
    assert.ok(!cp1[drain].includes("--disable-eviction"), "drain evicts (PodDisruptionBudgets hold)");
    assert.ok((await newCalls("w-2", w2Before)).some((x) => x.startsWith("kubeadm reset -f")));
    assert.equal(await nodeExists("w-2"), false);
    assert.equal(await c.fleet.host("w-2").exists("/etc/kubernetes/kubelet.conf"), false);
  });

  it("refuses a control-plane removal that would leave etcd without a quorum", async () => {
    const pid = (await c.fleet.host("cp-2").exec("cat /run/clusterkit-standin/etcd.pid")).stdout.trim();
    await c.fleet.host("cp-2").exec(`kill -STOP ${pid}`);
    const cp3Before = await callCount("cp-3");
    try {
      await assert.rejects(c.remove("cp-3"), (e: Error) => {
        assert.match(e.message, /refusing to remove cp-3: etcd would be left with 2 member\(s\), 1 healthy, and needs 2 healthy for a quorum/);
        assert.match(e.message, /hint: bring the unhealthy member\(s\) back first \(cp-2\)/);
        return true;
      });
    } finally {
      await c.fleet.host("cp-2").exec(`kill -CONT ${pid}`);
    }
    assert.equal((await members()).length, 3, "etcd untouched");
    assert.deepEqual((await newCalls("cp-3", cp3Before)).filter((x) => /^(kubeadm (reset|join|init)|kubectl .*(drain|cordon))/.test(x)), []);
    assert.equal(await nodeExists("cp-3"), true);
  });

  it("a control plane reset outside clusterkit rejoins after its stale etcd member is removed", async () => {
    const address = c.fleet.host("cp-3").address;
    await c.fleet.host("cp-3").exec("kubeadm reset -f >/dev/null 2>&1");
    assert.ok((await members()).some((m) => m.includes(`${address}:`)), "the stale member is still there");
    await c.refresh();
    assert.deepEqual(c.nodeState.get("cp-3")!.observed.drift, ["the node has not joined"]);
    const cp1Before = await callCount("cp-1");
    const r = await c.up(c.names.filter((n) => n !== "w-2"));
    assert.deepEqual([...r.errors].map(([k, e]) => `${k}: ${e.message}`), []);
    const cp1 = await newCalls("cp-1", cp1Before);
    assert.ok(cp1.some((x) => /^etcdctl member remove /.test(x)), cp1.join("\n"));
    const now = await members();
    assert.equal(now.length, 3, now.join("\n"));
    assert.ok(now.some((m) => m.includes(`${address}:`) && m.includes(", started, ")), now.join("\n"));
    assert.deepEqual(c.nodeState.get("cp-3")!.observed.drift, []);
  });

  it("removing a control plane drains it, removes its etcd member and resets it", async () => {
    const address = c.fleet.host("cp-3").address;
    const cp3Before = await callCount("cp-3");
    await c.remove("cp-3");
    const left = await members();
    assert.equal(left.length, 2, left.join("\n"));
    assert.ok(left.every((m) => !m.includes(`${address}:`)), left.join("\n"));
    assert.ok((await newCalls("cp-3", cp3Before)).some((x) => x.startsWith("kubeadm reset -f")));
    assert.equal(await nodeExists("cp-3"), false);
  });

  it("refuses to remove the last control plane unless the cluster's destruction is confirmed", async () => {
    await c.remove("w-1");
    await c.remove("cp-2");
    assert.equal((await members()).length, 1);
    await assert.rejects(c.remove("cp-1"), (e: Error) => {
      assert.match(e.message, /refusing to remove cp-1: this is the last control plane/);
      assert.ok(e.message.includes(`${destroyConfirmation}=${c.spec.name} pulumi destroy`), e.message);
      return true;
    });
    assert.equal(await c.fleet.host("cp-1").exists("/etc/kubernetes/admin.conf"), true, "nothing was reset");
    process.env[destroyConfirmation] = c.spec.name;
    await kubeadmNode.delete("", c.nodeState.get("cp-1")!);
    assert.equal(await c.fleet.host("cp-1").exists("/etc/kubernetes/admin.conf"), false);
  });

  it("no token, certificate key, private key or kubeconfig in logs or errors", () => {
    const secrets = secretsSeen(capture.exchanges, c.fleet.clientKey.privateKeyPem);
    assert.deepEqual(leaks([{ where: "provider log", text: c.logs.join("\n") }, { where: "errors", text: c.errors.join("\n") }], secrets), []);
  });
});
