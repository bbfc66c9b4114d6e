// Bare metal over real SSH: reconfiguring a running cluster by editing the stack and running
// `pulumi up`, the way kubeadm documents it. A controller-manager flag and a kubelet setting
// change on a 3+2 cluster: kubeadm's ConfigMaps are patched first, then each control plane in turn
// regenerates its controller-manager static pod (`kubeadm init phase control-plane
// controller-manager`) and waits for the new container, /readyz and etcd before the next one
// starts; every node takes the new kubelet configuration (`kubeadm upgrade node phase
// kubelet-config`, a kubelet restart, Ready again), workers one at a time. A controller manager that
// does not come back stops the rollout at its node, which keeps its marker (refresh reports it) and
// the re-run resumes there; a pod-range change is refused for every node before anything changes;
// a second `up` does nothing. kube-proxy's mode and a new certificate name: kube-proxy's DaemonSet
// restarted once after its ConfigMap, each control plane's serving certificate reissued with the
// name, in turn. The stand-ins: test/hosts/standins/lib/kubeadm-phase.sh and
// lib/components.sh. Needs root (test/hosts/setup-deps.sh).
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { kubeadmNode } from "../providers/kubeadm/runtime";
import { reconfigurePendingPath } from "../providers/kubeadm/phases/reconfigure/marker";
import { reconfigureWait } from "../providers/kubeadm/phases/reconfigure/wait";
import { planNodes } from "../providers/kubeadm/plan";
import { errorsOf, TestCluster } from "./baremetal/cluster";
import { describeCall, isMutating } from "./baremetal/standin-log";
import type { StandinCall } from "./hosts/harness";

const K = "kubectl --kubeconfig /etc/kubernetes/admin.conf";
const cps = ["cp-1", "cp-2", "cp-3"];
const workers = ["w-1", "w-2"];
const cmManifest = "/etc/kubernetes/manifests/kube-controller-manager.yaml";

interface Timed extends StandinCall {
  host: string;
  start: number;
  end: number;
}

describe("bare metal over SSH: reconfiguring a running cluster", () => {
  let c: TestCluster;
  const callsSince = async (before: Map<string, StandinCall[]>): Promise<Timed[]> =>
    [...(await c.calls())].flatMap(([host, calls]) => calls.slice(before.get(host)?.length ?? 0).map((x) => ({ host, ...x, start: Date.parse(x.time), end: Date.parse(x.time) + x.durationMs })));
  /** "MS HOST EVENT NAME ID" lines of the stand-in's controller-manager and scheduler containers. */
  const componentEvents = () => {
    const f = path.join(c.fleet.clusterStateDir, "components", "events.log");
    return fs.existsSync(f)
      ? fs
          .readFileSync(f, "utf8")
          .split("\n")
          .filter(Boolean)
          .map((l) => {
            const [ms, host, event, name, id] = l.split(" ");
            return { ms: Number(ms), host, event, name, id };
          })
      : [];
  };
  const configMap = async (name: string) => JSON.parse((await c.fleet.host("cp-2").exec(`${K} -n kube-system get configmap ${name} -o json`)).stdout).data as Record<string, string>;
  const phaseCalls = (calls: Timed[], phase: string) => calls.filter((x) => x.tool === "kubeadm" && x.code === 0 && describeCall(x).includes(phase));

  before(async () => {
    reconfigureWait.intervalMs = 200;
    c = await TestCluster.start({ controlPlanes: 3, workers: 2 });
    const r = await c.up();
    assert.deepEqual(errorsOf(r), []);
  });

  after(async () => {
    await c?.stop();
  });

  it("a controller-manager flag and a kubelet setting: ConfigMaps first, then one control plane at a time behind its gate, workers one at a time; a second up does nothing", async () => {
    const before = await c.calls();
    const eventsBefore = componentEvents().length;
    c.editBlueprint((bp) => {
      bp.controlPlane.extraArgs = { controllerManager: { "node-monitor-grace-period": "50s" } };
      bp.security.kubeletAnonymousAuth = true;
    });
    const r = await c.up();
    assert.deepEqual(errorsOf(r), [], c.logs.slice(-20).join("\n"));
    assert.deepEqual([...r.updated].sort(), [...cps, ...workers].sort());
    const calls = await callsSince(before);

    // kubeadm's ConfigMaps hold the new configuration, patched before any node changed.
    assert.match((await configMap("kubeadm-config")).ClusterConfiguration, /name: node-monitor-grace-period\n\s+value: 50s/);
    assert.match((await configMap("kubelet-config")).kubelet, /anonymous:\n\s+enabled: true/);
    const patches = calls.filter((x) => x.tool === "kubectl" && x.argv.includes("patch"));
    assert.equal(patches.length, 2, "kubeadm-config and kubelet-config, each patched once");
    const patched = Math.max(...patches.map((x) => x.end));
    const early = calls.filter((x) => x.tool === "kubeadm" && isMutating(x) && x.start < patched);
    assert.deepEqual(early.map((x) => `${x.host}: ${describeCall(x)}`), [], "the ConfigMaps before any node's kubeadm");

    // Control planes: each regenerates its controller manager once, after the one before it has its new container back.
    const regen = phaseCalls(calls, "init phase control-plane controller-manager");
    assert.deepEqual(regen.map((x) => x.host), cps, "once per control plane, in order");
    assert.ok(regen.every((x) => x.argv.includes("--config") || x.argv.some((a) => a.startsWith("--config"))));
    const starts = componentEvents().slice(eventsBefore).filter((e) => e.event === "start" && e.name === "kube-controller-manager");
    assert.deepEqual(starts.map((e) => e.host), cps, "a new controller-manager container on each control plane");
    for (let i = 1; i < cps.length; i++) assert.ok(regen[i].start >= starts[i - 1].ms, `${cps[i]} regenerated before ${cps[i - 1]}'s controller manager was back`);
    for (const h of cps) assert.match(await c.fleet.host(h).readFile(cmManifest), /--node-monitor-grace-period=50s/, h);
    assert.equal(phaseCalls(calls, "init phase control-plane scheduler").length + phaseCalls(calls, "init phase etcd").length, 0, "nothing else regenerated");

    // The kubelet: every node once, workers one at a time.
    const kubeletConfig = phaseCalls(calls, "upgrade node phase kubelet-config");
    assert.deepEqual(kubeletConfig.map((x) => x.host).sort(), [...cps, ...workers].sort());
    for (const h of [...cps, ...workers]) assert.match(await c.fleet.host(h).readFile("/var/lib/kubelet/config.yaml"), /anonymous:\n\s+enabled: true/, h);
    const restart = (h: string) => calls.find((x) => x.host === h && x.tool === "systemctl" && x.argv.join(" ") === "restart kubelet")!;
    const w = workers.map((h) => ({ from: kubeletConfig.find((x) => x.host === h)!.start, to: restart(h).end })).sort((a, b) => a.from - b.from);
    assert.ok(w[1].from >= w[0].to, "one worker at a time (workerBatchSize 1)");
    for (const h of [...cps, ...workers]) assert.equal(await c.fleet.host(h).exists(reconfigurePendingPath), false, h);

    await c.assertSettled();
  });

  it("a controller manager that does not come back stops the rollout at its node; refresh reports it; the re-run resumes there", async () => {
    const cp2 = c.fleet.host("cp-2");
    const waitMs = reconfigureWait.staticPodMs;
    reconfigureWait.staticPodMs = 3000;
    await cp2.breakStep("component-start", true);
    c.editBlueprint((bp) => (bp.controlPlane.extraArgs = { controllerManager: { "node-monitor-grace-period": "40s" } }));
    try {
      const failed = await c.up();
      assert.deepEqual([...failed.errors.keys()], ["cp-2"], errorsOf(failed).join("\n"));
      assert.match(failed.errors.get("cp-2")!.message, /kube-controller-manager did not come back healthy within 3 s of regenerating its static pod \(no new kube-controller-manager container runs\); the control planes after this one were left as they are/);
      assert.match(failed.errors.get("cp-2")!.message, /crictl ps -a --name kube-controller-manager/);
      assert.deepEqual(failed.skipped, ["cp-3"]);
      assert.match(await c.fleet.host("cp-1").readFile(cmManifest), /--node-monitor-grace-period=40s/);
      assert.match(await c.fleet.host("cp-3").readFile(cmManifest), /--node-monitor-grace-period=50s/, "cp-3 untouched");
      assert.equal((await cp2.readFile(reconfigurePendingPath)).trim(), "kube-controller-manager");
      await c.refresh();
      const drift = c.nodeState.get("cp-2")!.observed.drift;
      assert.ok(drift.includes("a reconfiguration of kube-controller-manager started here and did not finish; pulumi up resumes it"), drift.join("; "));
    } finally {
      await cp2.breakStep("component-start", false);
    }
    const before = await c.calls();
    const resumed = await c.up();
    reconfigureWait.staticPodMs = waitMs;
    assert.deepEqual(errorsOf(resumed), [], c.logs.slice(-20).join("\n"));
    assert.deepEqual(resumed.updated, ["cp-2", "cp-3"]);
    const calls = await callsSince(before);
    assert.deepEqual(phaseCalls(calls, "init phase control-plane controller-manager").map((x) => x.host), ["cp-2", "cp-3"], "cp-1, done, is left alone");
    for (const h of cps) assert.match(await c.fleet.host(h).readFile(cmManifest), /--node-monitor-grace-period=40s/, h);
    assert.equal(await cp2.exists(reconfigurePendingPath), false);
    await c.refresh();
    for (const [n, s] of c.nodeState) assert.deepEqual(s.observed.drift, [], n);
  });

  it("a pod-range change is refused for every node before anything changes, saying why and what to do instead", async () => {
    const before = await c.calls();
    const spec = structuredClone(c.spec);
    spec.networking.podCidr = "10.250.0.0/16";
    const plans = planNodes(spec, c.hosts);
    for (const n of [...cps, ...workers]) {
      const news = { ...c.inputs(n).node, ...plans.find((p) => p.node.name === n)!.kubeadm };
      await assert.rejects(() => kubeadmNode.diff("", c.nodeState.get(n)!, news), /the pod range \(networking\.podCidr in the blueprint, or the podCidr variable\) changed from "10\.240\.0\.0\/16" to "10\.250\.0\.0\/16", which cannot change on a running cluster.*a new pod range needs a new cluster/s, n);
    }
    assert.deepEqual([...TestCluster.mutatingSince(before, await c.calls())], []);
  });

  it("kube-proxy's mode and a new API server name: kube-proxy restarted once with its new ConfigMap, each control plane's certificate reissued with the name, one at a time", async () => {
    const before = await c.calls();
    c.editBlueprint((bp) => {
      bp.networking.kubeProxyMode = "nftables";
      bp.controlPlane.certSANs = ["api.lab.example.com"];
    });
    const r = await c.up();
    assert.deepEqual(errorsOf(r), [], c.logs.slice(-20).join("\n"));
    assert.deepEqual([...r.updated].sort(), [...cps, ...workers].sort(), "every node records kube-proxy's new configuration");
    const calls = await callsSince(before);

    assert.match((await configMap("kube-proxy"))["config.conf"], /^mode: nftables$/m);
    assert.match((await configMap("kubeadm-config")).ClusterConfiguration, /certSANs:\n(\s+- .+\n)*\s+- api\.lab\.example\.com/);
    const restarts = calls.filter((x) => x.tool === "kubectl" && x.code === 0 && x.argv.includes("rollout") && x.argv.includes("restart"));
    assert.equal(restarts.length, 1, "kube-proxy's DaemonSet restarted once, for the whole cluster");
    const patched = Math.max(...calls.filter((x) => x.tool === "kubectl" && x.argv.includes("patch")).map((x) => x.end));
    assert.ok(restarts[0].start >= patched, "after its ConfigMap changed");

    const reissued = phaseCalls(calls, "init phase certs apiserver");
    assert.deepEqual(reissued.map((x) => x.host), cps, "once per control plane, in order");
    for (const h of cps) {
      const san = await c.fleet.host(h).exec("openssl x509 -noout -ext subjectAltName -in /etc/kubernetes/pki/apiserver.crt");
      assert.match(san.stdout, /DNS:api\.lab\.example\.com/, h);
      assert.match(san.stdout, /DNS:kubernetes\.default\.svc\.cluster\.local/, h);
    }
    assert.equal(calls.filter((x) => workers.includes(x.host) && x.tool === "kubeadm" && isMutating(x)).length, 0, "workers run no kubeadm phase");
    for (const h of [...cps, ...workers]) assert.equal(await c.fleet.host(h).exists(reconfigurePendingPath), false, h);
    await c.assertSettled();
  });
});
