// Bare metal over real SSH: Kubernetes upgrades by editing the stack and running `pulumi up`. A
// 3+3 cluster goes 1.33 → 1.34 → 1.35 → 1.36: control planes one at a time (the first with
// `kubeadm upgrade apply`, the others `kubeadm upgrade node`), then workers one at a time, each
// drained through the eviction API; an etcd snapshot first. A skip of two minors is refused before
// anything changes, a drain blocked by a PodDisruptionBudget stops at that node and uncordons it,
// and a connection cut in the middle of a control plane's upgrade is finished by the next run. The
// first control plane has no etcdctl, as on a real kubeadm host (the snapshot comes from etcd's
// container). Then each of the preflight's cluster-wide refusals, made real on the fleet, stops
// 1.35 → 1.36 before any node changes.
// The stand-in kubeadm follows kubeadm's upgrade contract (test/hosts/standins/lib/kubeadm-upgrade.sh).
// Needs root (test/hosts/setup-deps.sh).
import assert from "node:assert/strict";
import fs from "node:fs";
import { after, before, describe, it } from "node:test";
import { etcdSnapshotDir } from "../providers/kubeadm/cluster/upgrade";
import { upgradeWait } from "../providers/kubeadm/phases/upgrade/target";
import { kubeadmNode } from "../providers/kubeadm/runtime";
import { errorsOf, TestCluster } from "./baremetal/cluster";
import { kubeletVersions, nodeStates } from "./baremetal/nodes";
import { describeCall } from "./baremetal/standin-log";
import type { StandinCall } from "./hosts/harness";

const K = "kubectl --kubeconfig /etc/kubernetes/admin.conf";
/** The real etcdctl, for the test's own checks and breakage (hosts may have none on PATH). */
const etcdReal = "ETCDCTL_API=3 /usr/local/libexec/clusterkit-standin/etcdctl";
const cps = ["cp-1", "cp-2", "cp-3"];
const workers = ["w-1", "w-2", "w-3"];

describe("bare metal over SSH: Kubernetes upgrades", () => {
  let c: TestCluster;
  const setVersion = (v: string) => c.editBlueprint((bp) => (bp.kubernetesVersion = v));
  const nodes = () => nodeStates(c.fleet.host("cp-1"));
  const versions = () => kubeletVersions(c.fleet.host("cp-1"));
  const all = (v: string) => Object.fromEntries([...cps, ...workers].map((n) => [n, v]));
  /** Every stand-in call since `before`, from every host, with the host it ran on. */
  const callsSince = async (before: Map<string, StandinCall[]>) =>
    [...(await c.calls())].flatMap(([host, calls]) => calls.slice(before.get(host)?.length ?? 0).map((x) => ({ host, ...x, start: Date.parse(x.time), end: Date.parse(x.time) + x.durationMs })));

  before(async () => {
    upgradeWait.intervalMs = 200;
    c = await TestCluster.start({ controlPlanes: 3, workers: 3 });
    setVersion("1.33");
    const r = await c.up();
    assert.deepEqual(errorsOf(r), []);
    assert.deepEqual(await versions(), all("v1.33.5"));
  });

  after(async () => {
    await c?.stop();
  });

  it("a skip of two minors is refused for every node before anything changes", async () => {
    setVersion("1.35");
    for (const n of [...cps, ...workers]) {
      // What the preview does: diff every node with the new inputs.
      await assert.rejects(() => kubeadmNode.diff("", c.nodeState.get(n)!, c.inputs(n).node), /runs Kubernetes 1\.33\.5; 1\.35\.0 is 2 minors ahead, and kubeadm upgrades one minor at a time.*upgrade to 1\.34 first/s, n);
    }
    setVersion("1.33");
  });

  it("1.33 → 1.34: an etcd snapshot, control planes one at a time, then workers one at a time; a second up does nothing", async () => {
    // As on a real kubeadm host, the first control plane has no etcdctl: etcd's own, in its container, takes the snapshot.
    const cp1 = c.fleet.host("cp-1");
    assert.equal((await cp1.exec("rm -f /usr/local/bin/etcdctl /usr/bin/etcdctl; command -v etcdctl")).code, 1);
    const before = await c.calls();
    setVersion("1.34");
    const r = await c.up();
    assert.deepEqual(errorsOf(r), [], c.logs.slice(-20).join("\n"));
    assert.deepEqual(await versions(), all("v1.34.1"));
    const calls = await callsSince(before);
    const upgrades = calls.filter((x) => x.tool === "kubeadm" && x.argv[0] === "upgrade" && x.code === 0);
    assert.deepEqual(
      upgrades.map((x) => `${x.host}: ${describeCall(x)}`),
      ["cp-1: kubeadm upgrade apply v1.34.1 --yes", "cp-2: kubeadm upgrade node", "cp-3: kubeadm upgrade node", ...upgrades.slice(3).map((x) => `${x.host}: kubeadm upgrade node`)],
      "apply once, on the first control plane; node everywhere else, control planes first",
    );
    assert.deepEqual(upgrades.slice(3).map((x) => x.host).sort(), workers);
    const kubeletRestart = (h: string) => calls.find((x) => x.host === h && x.tool === "systemctl" && x.argv.join(" ") === "restart kubelet")!;
    for (let i = 1; i < cps.length; i++) {
      assert.ok(upgrades[i].start >= kubeletRestart(cps[i - 1]).end, `${cps[i]} upgraded before ${cps[i - 1]} finished`);
    }
    const cpsDone = Math.max(...cps.map((h) => kubeletRestart(h).end));
    // Workers: drained (cordon … uncordon) one at a time, after every control plane.
    const window = (w: string) => {
      const of = (verb: string) => calls.filter((x) => x.tool === "kubectl" && x.argv.includes(verb) && x.argv.includes(w));
      return { from: Math.min(...of("cordon").map((x) => x.start)), to: Math.max(...of("uncordon").map((x) => x.end)) };
    };
    const windows = workers.map(window).sort((a, b) => a.from - b.from);
    assert.ok(windows[0].from >= cpsDone, "workers start after the last control plane");
    for (let i = 1; i < windows.length; i++) assert.ok(windows[i].from >= windows[i - 1].to, "one worker at a time");
    for (const w of workers) {
      const drains = calls.filter((x) => x.tool === "kubectl" && x.argv[2] === "drain" && x.argv.includes(w));
      assert.ok(drains.length === 1 && drains[0].argv.includes("--ignore-daemonsets"), `${w} drained once, through the eviction API`);
    }
    assert.match((await c.fleet.host("cp-1").exec(`ls ${etcdSnapshotDir}`)).stdout, /^before-v1\.34\.1-\d{8}T\d{6}Z\.db$/m);
    assert.ok(calls.some((x) => x.host === "cp-1" && x.tool === "crictl" && x.argv[0] === "exec" && x.argv.includes("snapshot") && x.code === 0), "the snapshot came from the etcd container");
    assert.equal((await cp1.exec(`${etcdReal} snapshot status ${etcdSnapshotDir}/before-v1.34.1-*.db -w json`)).code, 0, "a snapshot etcd can read");
    assert.ok(Object.values(await nodes()).every((n) => !n.cordoned), "every node uncordoned");
    const cm = JSON.parse((await c.fleet.host("cp-2").exec(`${K} -n kube-system get configmap kubeadm-config -o json`)).stdout);
    assert.match(cm.data.ClusterConfiguration, /kubernetesVersion: v1\.34\.1/);

    await c.assertSettled();
  });

  it("1.34 → 1.35 interrupted twice: a connection cut in the second control plane's kubeadm upgrade, then a drain a PodDisruptionBudget blocks; each next up resumes", async () => {
    await c.fleet.setStepDuration("upgrade", 4000);
    await c.fleet.host("w-2").breakStep("drain", true);
    setVersion("1.35");
    // Cut once cp-2's `kubeadm upgrade node` is under way: it backs up the manifests, then waits for the static pods (4 s; the stand-in marks the wait).
    const running = c.up();
    assert.ok(await c.fleet.inStep("cp-2", "upgrade", 300_000), "cp-2's kubeadm upgrade began");
    await new Promise((res) => setTimeout(res, 500));
    await c.fleet.cutConnections("cp-2");
    const cut = await running;
    assert.ok(cut.errors.has("cp-2"), errorsOf(cut).join("\n"));
    assert.deepEqual(cut.skipped, ["cp-3"]);
    // The workers stopped at once: the control plane they wait for failed in this run.
    for (const w of workers) assert.match(cut.errors.get(w)?.message ?? "", /the upgrade of control plane cp-2 failed in this run/, w);
    let state = await nodes();
    assert.equal(state["cp-1"].version, "v1.35.0");
    for (const n of ["cp-3", ...workers]) assert.equal(state[n].version, "v1.34.1", n);

    await c.fleet.setStepDuration("upgrade", 0);
    const blocked = await c.up();
    assert.deepEqual([...blocked.errors.keys()], ["w-2"], errorsOf(blocked).join("\n"));
    const msg = blocked.errors.get("w-2")!.message;
    assert.match(msg, /draining w-2 for its upgrade to v1\.35\.0 did not finish within 600 s: shop\/web-0 could not be evicted \(a PodDisruptionBudget allows no disruption now\); the node was uncordoned/);
    assert.match(msg, /kubectl get pdb -A/);
    state = await nodes();
    assert.deepEqual({ version: state["w-2"].version, cordoned: state["w-2"].cordoned }, { version: "v1.34.1", cordoned: false });
    for (const n of [...cps, "w-1", "w-3"]) assert.equal(state[n].version, "v1.35.0", n);

    await c.fleet.host("w-2").breakStep("drain", false);
    const done = await c.up();
    assert.deepEqual(errorsOf(done), [], c.logs.slice(-20).join("\n"));
    assert.deepEqual(await versions(), all("v1.35.0"));
    assert.ok(Object.values(await nodes()).every((n) => !n.cordoned), "every node uncordoned");
    await c.refresh();
    for (const [n, st] of c.nodeState) assert.deepEqual(st.observed.drift, [], n);
  });
  it("1.35 → 1.36 refused before any change on any node: API servers that disagree, a kubelet outside the skew policy, an etcd alarm, a CA ending within a day, a disk too small for kubeadm's backups", async () => {
    const state = c.fleet.clusterStateDir;
    const cp1 = c.fleet.host("cp-1");
    const cp2 = c.fleet.host("cp-2");
    const refusedWith = async (pattern: RegExp, expected = all("v1.35.0")) => {
      const before = await c.calls();
      const r = await c.up();
      assert.match(r.errors.get("cp-1")?.message ?? "", pattern, errorsOf(r).join("\n"));
      assert.match(r.errors.get("cp-1")!.message, /upgrade-preflight/);
      assert.deepEqual([...TestCluster.mutatingSince(before, await c.calls())].map(([h, cs]) => `${h}: ${cs.map(describeCall).join("; ")}`), [], "nothing changed on any host");
      for (const n of [...cps, ...workers]) assert.equal(await c.fleet.host(n).exists("/etc/kubernetes/clusterkit/upgrade-target"), false, n);
      assert.deepEqual(await versions(), expected);
    };
    setVersion("1.36");

    const serverVersion = `${state}/apiservers/cp-3/version`;
    const was = fs.readFileSync(serverVersion, "utf8");
    fs.writeFileSync(serverVersion, "v1.35.3\n");
    await refusedWith(/the API servers disagree on their version \(cp-1 v1\.35\.0, cp-2 v1\.35\.0, cp-3 v1\.35\.3\)/);
    fs.writeFileSync(serverVersion, was);

    const w3 = `${state}/nodes/w-3.json`;
    const node = fs.readFileSync(w3, "utf8");
    fs.writeFileSync(w3, JSON.stringify({ ...JSON.parse(node), status: { ...JSON.parse(node).status, nodeInfo: { ...JSON.parse(node).status.nodeInfo, kubeletVersion: "v1.32.4" } } }));
    // The versions read back are the API server's Node objects, so w-3 reads as the skewed kubelet it was made to report.
    await refusedWith(/the kubelet of w-3 \(v1\.32\.4\) would be more than 3 minors older than the API servers at v1\.36\.\d/, { ...all("v1.35.0"), "w-3": "v1.32.4" });
    fs.writeFileSync(w3, node);

    // A real etcd alarm, raised through etcd's API as a full backend raises it.
    const ep = `http://${cp2.address}:2379`;
    assert.match((await cp2.exec(`curl -sf -X POST ${ep}/v3/maintenance/alarm -d '{"action":"ACTIVATE","memberID":"1","alarm":"NOSPACE"}'`)).stdout, /NOSPACE/);
    await refusedWith(/etcd has raised alarm\(s\): NOSPACE on member 1.*etcdctl alarm disarm/s);
    assert.equal((await cp2.exec(`${etcdReal} --endpoints ${ep} alarm disarm`)).code, 0);

    // cp-2's front-proxy CA, re-issued from its own key to end in 20 hours; the first control plane checks every one.
    const ca = "/etc/kubernetes/pki/front-proxy-ca";
    assert.equal((await cp2.exec(`cp ${ca}.crt ${ca}.crt.orig && openssl req -x509 -new -key ${ca}.key -subj /CN=front-proxy-ca -days 1 -out ${ca}.crt 2>/dev/null`)).code, 0);
    assert.equal((await cp2.exec(`openssl x509 -checkend 86400 -noout -in ${ca}.crt`)).code, 1, "ends within a day");
    await refusedWith(/CA front-proxy-ca on cp-2 \(expires [^)]+\) ends within the upgrade's margin of 24 h; kubeadm renews .* never the CA itself/);
    assert.equal((await cp2.exec(`mv -f ${ca}.crt.orig ${ca}.crt`)).code, 0);

    await cp1.breakStep("disk-space", true);
    await refusedWith(/the file system at \S+ has 1 MiB free, but kubeadm's backup of the etcd data dir and the static pod manifests \(\/etc\/kubernetes\/tmp\)/);
    await cp1.breakStep("disk-space", false);

    setVersion("1.35");
    const again = await c.up();
    assert.deepEqual(errorsOf(again), []);
    assert.deepEqual(again.updated, []);
  });
});
