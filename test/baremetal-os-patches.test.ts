// Bare metal over real SSH: rolling OS patches (osPatches: rolling). Naming a round and running
// `pulumi up` updates every node's packages (the Kubernetes packages stay held) and reboots the
// nodes whose update needs it, one at a time, control planes first, each drained first and back
// healthy (node Ready; on a control plane its API server and every etcd member, real etcd) before
// the next goes. The same round again changes nothing; a round with nothing that needs a reboot
// reboots nothing. A drain a PodDisruptionBudget blocks and a failed package update each stop the
// round at their node, and the next up resumes it; an etcd member down refuses the round before any
// node changes. The reboot stand-in (test/hosts/standins/lib/boot.sh) ends every process of the
// host, takes it off the network, and boots it with a new boot id, an empty /run and its enabled
// units and static pods started again. A cluster created with a round set takes it on each machine
// before kubeadm, without a drain (RHEL family). Needs root (test/hosts/setup-deps.sh).
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { osPatchWait } from "../providers/kubeadm/phases/os-patch/markers";
import { osPatchDonePath } from "../providers/kubeadm/paths";
import { errorsOf, TestCluster } from "./baremetal/cluster";
import { nodeStates } from "./baremetal/nodes";

const cps = ["cp-1", "cp-2", "cp-3"];
const workers = ["w-1", "w-2"];
const all = [...cps, ...workers];
const standinState = "/var/lib/clusterkit-standin";
const etcdReal = "ETCDCTL_API=3 /usr/local/libexec/clusterkit-standin/etcdctl";
const etcdLib = "source /usr/local/lib/clusterkit-standin/lib/common.sh && source \"$STANDIN_LIB/etcd.sh\"";

const openssl = { name: "openssl", base: "3.0.15-1~deb12u1", version: "3.0.17-1~deb12u1" };
const kernel = { name: "linux-image-amd64", base: "6.1.129-1", version: "6.1.140-1", reboot: true, newPackage: true };

interface BootEvent {
  ms: number;
  host: string;
  what: "down" | "network" | "up";
}

describe("bare metal over SSH: rolling OS patches", () => {
  let c: TestCluster;
  const setRound = (round: string, reboot: "if-required" | "always" | "never" = "if-required") => c.editBlueprint((b) => (b.osPatches = { kind: "rolling", round, reboot }));
  const bootIds = async () => Object.fromEntries(await Promise.all(all.map(async (n) => [n, (await c.fleet.host(n).readFile(`${standinState}/boot_id`)).trim()] as const)));
  const pkg = async (n: string, name: string) => (await c.fleet.host(n).exec(`cat ${standinState}/packages/${name} 2>/dev/null || true`)).stdout.trim();
  const boots = (): BootEvent[] => {
    const file = path.join(c.fleet.clusterStateDir, "boots.log");
    if (!fs.existsSync(file)) return [];
    return fs
      .readFileSync(file, "utf8")
      .split("\n")
      .filter(Boolean)
      .map((l) => l.split(" "))
      .map(([ms, host, what]) => ({ ms: Number(ms), host, what: what as BootEvent["what"] }));
  };
  const done = async (n: string) => (await c.fleet.host(n).exec(`cat ${osPatchDonePath} 2>/dev/null || true`)).stdout.trim();

  before(async () => {
    osPatchWait.intervalMs = 200;
    c = await TestCluster.start({ controlPlanes: 3, workers: 2 });
    const r = await c.up();
    assert.deepEqual(errorsOf(r), []);
  });

  after(async () => {
    await c?.stop();
  });

  it("a round updates every node's packages, the Kubernetes packages held, and reboots those that need it one at a time, control planes first, each healthy before the next", async () => {
    await c.fleet.publishOsUpdates([openssl, kernel]);
    const kubeletBefore = await Promise.all(all.map((n) => pkg(n, "kubelet")));
    const idsBefore = await bootIds();
    setRound("2026-12");
    const r = await c.up();
    assert.deepEqual(errorsOf(r), [], c.logs.slice(-30).join("\n"));
    for (const [i, n] of all.entries()) {
      assert.equal(await pkg(n, "openssl"), openssl.version, n);
      assert.equal(await pkg(n, "linux-image-amd64"), kernel.version, `${n}: the kernel, which needs a new package, was not kept back`);
      assert.equal(await pkg(n, "kubelet"), kubeletBefore[i], `${n}: kubelet is held`);
      assert.equal(await done(n), "2026-12", n);
      assert.equal(await c.fleet.host(n).exists("/run/reboot-required"), false, `${n} rebooted since the update`);
    }
    const idsAfter = await bootIds();
    for (const n of all) assert.notEqual(idsAfter[n], idsBefore[n], `${n} rebooted`);

    const ev = boots();
    const downs = ev.filter((e) => e.what === "down");
    assert.deepEqual(downs.slice(0, 3).map((e) => e.host), cps, "control planes first, in order");
    assert.deepEqual(downs.slice(3).map((e) => e.host).sort(), workers);
    // One at a time: a node goes down only after the one before it is back with its static pods.
    for (let i = 1; i < downs.length; i++) {
      const prevUp = ev.find((e) => e.host === downs[i - 1].host && e.what === "up" && e.ms >= downs[i - 1].ms);
      assert.ok(prevUp && downs[i].ms >= prevUp.ms, `${downs[i].host} went down before ${downs[i - 1].host} was back`);
    }
    const health = JSON.parse((await c.fleet.host("cp-1").exec(`${etcdReal} endpoint health --cluster -w json`)).stdout) as { health: boolean }[];
    assert.deepEqual(health.map((h) => h.health), [true, true, true], "every etcd member healthy");
    assert.ok(Object.values(await nodeStates(c.fleet.host("cp-1"))).every((s) => !s.cordoned), "every node uncordoned");
    await c.refresh();
    for (const [n, st] of c.nodeState) {
      assert.deepEqual(st.observed.drift, [], n);
      assert.equal(st.observed.osPatchRound, "2026-12", n);
    }
  });

  it("the same round again changes nothing; a new round whose updates need no reboot reboots no node", async () => {
    const again = await c.up();
    assert.deepEqual(errorsOf(again), []);
    assert.deepEqual(again.updated, []);
    const idsBefore = await bootIds();
    const tzdata = { name: "tzdata", base: "2025a-0+deb12u1", version: "2025b-0+deb12u1" };
    await c.fleet.publishOsUpdates([openssl, kernel, tzdata]);
    setRound("2026-12b");
    const r = await c.up();
    assert.deepEqual(errorsOf(r), [], c.logs.slice(-30).join("\n"));
    for (const n of all) {
      assert.equal(await pkg(n, "tzdata"), tzdata.version, n);
      assert.equal(await done(n), "2026-12b", n);
    }
    assert.deepEqual(await bootIds(), idsBefore, "no node rebooted");
  });

  it("a blocked drain stops the round at that node, uncordoned; a failed package update leaves its node cordoned; the next up resumes both", async () => {
    await c.fleet.publishOsUpdates([openssl, { ...kernel, version: "6.1.150-1" }]);
    await c.fleet.host("w-2").breakStep("drain", true);
    await c.fleet.host("w-1").failOnce("package-install");
    setRound("2027-01");
    const r = await c.up();
    assert.deepEqual([...r.errors.keys()].sort(), workers, errorsOf(r).join("\n"));
    assert.match(r.errors.get("w-1")!.message, /updating the OS packages failed \(exit 100\):.*Unable to fetch some archives.*stays cordoned until the round finishes here/s);
    assert.match(r.errors.get("w-2")!.message, /draining w-2 for OS patch round 2027-01 did not finish within 600 s: shop\/web-0 could not be evicted.*the node was uncordoned and the round stops here/s);
    let states = await nodeStates(c.fleet.host("cp-1"));
    assert.equal(states["w-1"].cordoned, true, "w-1 stays cordoned: its packages are half-way");
    assert.equal(states["w-2"].cordoned, false);
    for (const n of cps) assert.equal(await done(n), "2027-01", n);

    await c.fleet.host("w-2").breakStep("drain", false);
    const idsBefore = await bootIds();
    const resumed = await c.up();
    assert.deepEqual(errorsOf(resumed), [], c.logs.slice(-30).join("\n"));
    const idsAfter = await bootIds();
    for (const n of workers) {
      assert.equal(await done(n), "2027-01", n);
      assert.equal(await pkg(n, "linux-image-amd64"), "6.1.150-1", n);
      assert.notEqual(idsAfter[n], idsBefore[n], `${n} rebooted in the resumed run`);
    }
    for (const n of cps) assert.equal(idsAfter[n], idsBefore[n], `${n} had finished the round: not rebooted again`);
    states = await nodeStates(c.fleet.host("cp-1"));
    assert.ok(Object.values(states).every((s) => !s.cordoned), "every node uncordoned");
  });

  it("an etcd member down refuses the round on the first control plane before any node changes", async () => {
    const cp3 = c.fleet.host("cp-3");
    assert.equal((await cp3.exec(`${etcdLib} && etcd_stop`)).code, 0);
    const idsBefore = await bootIds();
    await c.fleet.publishOsUpdates([openssl, { ...kernel, version: "6.1.160-1" }]);
    setRound("2027-02");
    try {
      const r = await c.up();
      assert.ok(r.errors.has("cp-1"), errorsOf(r).join("\n"));
      assert.match(r.errors.get("cp-1")!.message, /etcd member\(s\) not healthy: cp-3.*bring them back \(or remove their control planes from the inventory\), then patch/s);
      for (const n of all) {
        assert.equal(await done(n), "2027-01", `${n} left alone`);
        assert.equal(await pkg(n, "linux-image-amd64"), "6.1.150-1", n);
      }
      assert.deepEqual(await bootIds(), idsBefore, "no node rebooted");
    } finally {
      const restart = `${etcdLib} && mapfile -d '' args <"$ETCD_ARGS_FILE" && { setsid "\${args[@]}" </dev/null >>"$ETCD_LOG" 2>&1 & echo $! >"$ETCD_PID_FILE"; } && etcd_wait_healthy`;
      assert.equal((await cp3.exec(restart)).code, 0);
    }
    const r = await c.up();
    assert.deepEqual(errorsOf(r), [], c.logs.slice(-30).join("\n"));
    for (const n of all) assert.equal(await done(n), "2027-02", n);
  });
});

describe("bare metal over SSH: rolling OS patches on the RHEL family", () => {
  let c: TestCluster;
  const bootId = async (n: string) => (await c.fleet.host(n).readFile(`${standinState}/boot_id`)).trim();

  before(async () => {
    osPatchWait.intervalMs = 200;
    c = await TestCluster.start({ controlPlanes: 1, workers: 1, osRelease: "rhel" });
  });

  after(async () => {
    await c?.stop();
  });

  const hosts = ["cp-1", "w-1"];
  const pkg = async (n: string, name: string) => (await c.fleet.host(n).exec(`cat ${standinState}/packages/${name} 2>/dev/null || true`)).stdout.trim();

  it("a cluster created with a round set is created on patched machines: each takes the round before kubeadm, without a drain", async () => {
    await c.fleet.publishOsUpdates([{ name: "kernel", base: "5.14.0-503.11.1.el9_5", version: "5.14.0-503.12.1.el9_5", reboot: true }]);
    c.editBlueprint((b) => (b.osPatches = { kind: "rolling", round: "r0" }));
    const before = await Promise.all(hosts.map(bootId));
    const r = await c.up();
    assert.deepEqual(errorsOf(r), [], c.logs.slice(-30).join("\n"));
    for (const [i, n] of hosts.entries()) {
      assert.equal(await pkg(n, "kernel"), "5.14.0-503.12.1.el9_5", n);
      assert.notEqual(await bootId(n), before[i], `${n} rebooted`);
      assert.equal((await c.fleet.host(n).exec(`cat ${osPatchDonePath}`)).stdout.trim(), "r0", n);
    }
    const calls = [...(await c.calls()).values()].flat();
    assert.ok(!calls.some((x) => x.tool === "kubectl" && (x.argv.includes("drain") || x.argv.includes("cordon"))), "nothing to drain before kubeadm");
    for (const n of hosts) assert.ok(c.logs.some((l) => l.includes(`${n}: OS patch round r0 before kubeadm`)), n);
    await c.refresh();
    for (const [n, st] of c.nodeState) assert.deepEqual(st.observed.drift, [], n);
  });

  it("dnf upgrades past nothing the Kubernetes repository excludes, and `dnf needs-restarting -r` decides the reboot", async () => {
    const kubelet = await Promise.all(hosts.map((n) => pkg(n, "kubelet")));
    const before1 = await Promise.all(hosts.map(bootId));
    await c.fleet.publishOsUpdates([{ name: "kernel", base: "5.14.0-503.11.1.el9_5", version: "5.14.0-503.14.1.el9_5", reboot: true }]);
    c.editBlueprint((b) => (b.osPatches = { kind: "rolling", round: "r1" }));
    const r = await c.up();
    assert.deepEqual(errorsOf(r), [], c.logs.slice(-30).join("\n"));
    for (const [i, n] of hosts.entries()) {
      assert.equal(await pkg(n, "kernel"), "5.14.0-503.14.1.el9_5", n);
      assert.equal(await pkg(n, "kubelet"), kubelet[i], `${n}: excluded by the Kubernetes repository`);
      assert.notEqual(await bootId(n), before1[i], `${n} rebooted: a core package changed`);
      assert.equal((await c.fleet.host(n).exec("dnf needs-restarting -r")).code, 0, `${n}: nothing left to reboot for`);
    }
    const before2 = await Promise.all(hosts.map(bootId));
    await c.fleet.publishOsUpdates([{ name: "kernel", base: "5.14.0-503.11.1.el9_5", version: "5.14.0-503.14.1.el9_5", reboot: true }, { name: "vim-minimal", base: "8.2.2637-21.el9", version: "8.2.2637-22.el9" }]);
    c.editBlueprint((b) => (b.osPatches = { kind: "rolling", round: "r2" }));
    const r2 = await c.up();
    assert.deepEqual(errorsOf(r2), [], c.logs.slice(-30).join("\n"));
    assert.deepEqual(await Promise.all(hosts.map(bootId)), before2, "no reboot for a package that is not a core one");
    for (const n of hosts) assert.equal(await pkg(n, "vim-minimal"), "8.2.2637-22.el9", n);
  });
});
