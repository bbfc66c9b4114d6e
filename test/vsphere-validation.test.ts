/**
 * Address rules the vSphere platform relies on: static IPs inside the node network and not on its
 * network/broadcast address, a gateway that is no node, DNS servers for static VMs, and node and
 * VIP addresses unique across the whole fleet (also for bare-metal hosts).
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { fleetIssues, fleetWarnings } from "../core/resolve/fleet";
import { blueprintRaw, describeIssues, issuesOf, resolveRaw, stackConfigRaw } from "./support/fixtures";

type Doc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const fra1File = "stacks/Pulumi.vsphere-fra1.yaml";
const vars = (cfg: Doc) => cfg["clusterkit:variables"];
function fra1(mutate: (v: Doc) => void = () => {}) {
  const cfg = stackConfigRaw("vsphere-fra1");
  mutate(vars(cfg));
  return resolveRaw("vsphere-ha", blueprintRaw("vsphere-ha"), "vsphere-fra1", cfg);
}
/** ams1 moved onto fra1's network: its ranges overlap, and `ips` decides which addresses clash. */
function ams1OnFra1Network(ips: { vip: string; first: string }) {
  const cfg = stackConfigRaw("vsphere-ams1");
  Object.assign(vars(cfg), {
    nodeCidr: "10.3.10.0/24",
    gateway: "10.3.10.1",
    controlPlaneVip: ips.vip,
    nodeIps: [ips.first, "10.3.10.32", "10.3.10.33", "10.3.10.34", "10.3.10.35", "10.3.10.36"],
    ingressAddressPool: "10.3.10.200-10.3.10.210",
  });
  return resolveRaw("vsphere-ha", blueprintRaw("vsphere-ha"), "vsphere-ams1", cfg);
}
const only = (issues: ReturnType<typeof fleetIssues>, re: RegExp) => issues.filter((i) => re.test(i.message));

describe("per-stack address rules", () => {
  const cases: { name: string; mutate: (v: Doc) => void; path: string; message: RegExp }[] = [
    { name: "node IP is the broadcast address", mutate: (v) => (v.nodeIps[5] = "10.3.10.255"), path: "config.clusterkit:variables.nodeIps[5]", message: /network or broadcast address of 10\.3\.10\.0\/24/ },
    { name: "node IP is the network address", mutate: (v) => (v.nodeIps[0] = "10.3.10.0"), path: "config.clusterkit:variables.nodeIps[0]", message: /network or broadcast address/ },
    { name: "gateway is a node", mutate: (v) => (v.gateway = "10.3.10.12"), path: "config.clusterkit:variables.gateway", message: /the gateway address is already taken by vsphere-fra1-cp-2/ },
    { name: "gateway is the VIP", mutate: (v) => (v.gateway = "10.3.10.10"), path: "config.clusterkit:variables.gateway", message: /the gateway address is already taken by the control-plane VIP/ },
    { name: "static IPs without DNS servers", mutate: (v) => delete v.nameservers, path: "config.clusterkit:variables.nameservers", message: /static node IPs need DNS servers/ },
    { name: "node IP in the service range", mutate: (v) => (v.nodeIps[1] = "10.128.32.5"), path: "config.clusterkit:variables.nodeIps[1]", message: /sits in the service range|outside the node network/ },
    { name: "two nodes share an IP", mutate: (v) => (v.nodeIps[4] = "10.3.10.14"), path: "config.clusterkit:variables.nodeIps[4]", message: /same address as vsphere-fra1-workers-1/ },
    { name: "VIP on a node", mutate: (v) => (v.controlPlaneVip = "10.3.10.13"), path: "config.clusterkit:variables.controlPlaneVip", message: /already node vsphere-fra1-cp-3's address/ },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const issues = issuesOf(() => fra1(c.mutate));
      const hit = issues.find((i) => i.path === c.path && c.message.test(i.message));
      assert.ok(hit, `expected ${c.path} ~ ${c.message}, got:\n${describeIssues(issues)}`);
      assert.equal(hit.file, fra1File);
    });
  }
  it("DHCP needs no gateway or DNS servers, and warns to reserve the leases", () => {
    const dhcp = (v: Doc) => (delete v.nodeIps, delete v.gateway, delete v.nameservers);
    assert.deepEqual(issuesOf(() => fra1(dhcp)), []);
    const warnings = fra1(dhcp).warnings.filter((w) => /DHCP leases/.test(w.message));
    assert.deepEqual(warnings.map((w) => [w.file, w.path]), [[fra1File, "config.clusterkit:variables.nodeIps"]]);
    assert.match(warnings[0].message, /reserve one address per VM/);
    assert.deepEqual(fra1().warnings.filter((w) => /DHCP/.test(w.message)), [], "static addresses need no warning");
  });
});

describe("fleet-wide address uniqueness", () => {
  it("the example fleet is clean", () => {
    const stacks = ["vsphere-fra1", "vsphere-ams1"].map((s) => resolveRaw("vsphere-ha", blueprintRaw("vsphere-ha"), s, stackConfigRaw(s)));
    assert.deepEqual(fleetIssues(stacks), []);
  });
  it("a node IP taken by another stack's node is reported on the stack being checked, at its nodeIps entry", () => {
    const [a, b] = [fra1(), ams1OnFra1Network({ vip: "10.3.10.20", first: "10.3.10.11" })];
    const clash = only(fleetIssues([a, b], new Set(["vsphere-ams1"])), /has the address of/);
    assert.deepEqual(
      clash.map((i) => [i.file, i.path, i.message, i.found]),
      [["stacks/Pulumi.vsphere-ams1.yaml", "config.clusterkit:variables.nodeIps[0]", `node vsphere-ams1-cp-1 has the address of node vsphere-fra1-cp-1 in stack vsphere-fra1 (in ${fra1File}: config.clusterkit:variables.nodeIps[0])`, "10.3.10.11"]],
    );
    // Without focus, each clash is reported once, on the later stack in name order.
    assert.deepEqual(only(fleetIssues([a, b]), /has the address of/).map((i) => i.path), ["config.clusterkit:variables.nodeIps[0]"]);
    assert.equal(only(fleetIssues([a, b]), /has the address of/)[0].file, fra1File);
  });
  it("a VIP taken by another stack is reported at controlPlaneVip", () => {
    const clash = only(fleetIssues([fra1(), ams1OnFra1Network({ vip: "10.3.10.10", first: "10.3.10.31" })], new Set(["vsphere-ams1"])), /has the address of/);
    assert.deepEqual(clash.map((i) => [i.path, i.message]), [["config.clusterkit:variables.controlPlaneVip", `the control-plane VIP has the address of the control-plane VIP in stack vsphere-fra1 (in ${fra1File}: config.clusterkit:variables.controlPlaneVip)`]]);
  });
  it("a node IP equal to another stack's VIP is caught too", () => {
    const clash = only(fleetIssues([fra1(), ams1OnFra1Network({ vip: "10.3.10.20", first: "10.3.10.10" })], new Set(["vsphere-ams1"])), /has the address of/);
    assert.deepEqual(clash.map((i) => i.message), [`node vsphere-ams1-cp-1 has the address of the control-plane VIP in stack vsphere-fra1 (in ${fra1File}: config.clusterkit:variables.controlPlaneVip)`]);
  });
  it("a command on one stack sees the same clash as a warning on the other stack's file, naming its own", () => {
    const [a, b] = [fra1(), ams1OnFra1Network({ vip: "10.3.10.20", first: "10.3.10.11" })];
    const warned = fleetWarnings(a, [b]).filter((w) => /has the address of/.test(w.message));
    assert.deepEqual(warned.map((w) => [w.file, w.path]), [["stacks/Pulumi.vsphere-ams1.yaml", "config.clusterkit:variables.nodeIps[0]"]]);
    assert.match(warned[0].message, new RegExp(`^node vsphere-ams1-cp-1 \\(10\\.3\\.10\\.11\\) has the address of node vsphere-fra1-cp-1 in stack vsphere-fra1 \\(in ${fra1File}: config\\.clusterkit:variables\\.nodeIps\\[0\\]\\); .*clusterkit validate fails`));
    assert.deepEqual(fleetWarnings(a, [a]), [], "a stack never clashes with itself");
  });
  it("two stacks may not build clusters of the same name", () => {
    const ams1 = stackConfigRaw("vsphere-ams1");
    ams1["clusterkit:clusterName"] = "vsphere-fra1";
    const b = resolveRaw("vsphere-ha", blueprintRaw("vsphere-ha"), "vsphere-ams1", ams1);
    const clash = only(fleetIssues([fra1(), b]), /cluster name/);
    assert.deepEqual(clash.map((i) => [i.file, i.path, i.found]), [["stacks/Pulumi.vsphere-ams1.yaml", "config.clusterkit:clusterName", "vsphere-fra1"]]);
    assert.match(clash[0].message, new RegExp(`of stack vsphere-fra1 \\(in ${fra1File}: config\\.clusterkit:clusterName\\)`));
  });
  it("bare-metal hosts are named by their hosts[] entry", () => {
    const ber1 = resolveRaw("baremetal-ha", blueprintRaw("baremetal-ha"), "metal-ber1", stackConfigRaw("metal-ber1"));
    const cfg = stackConfigRaw("metal-nyc1");
    Object.assign(vars(cfg), { nodeCidr: "10.5.0.0/24", controlPlaneVip: "10.5.0.20", ingressAddressPool: "10.5.0.200-10.5.0.210" });
    vars(cfg).hosts.forEach((h: Doc, i: number) => (h.address = `10.5.0.${31 + i}`));
    vars(cfg).hosts[4].address = "10.5.0.15";
    const nyc1 = resolveRaw("baremetal-ha", blueprintRaw("baremetal-ha"), "metal-nyc1", cfg);
    const clash = only(fleetIssues([ber1, nyc1], new Set(["metal-nyc1"])), /has the address of/);
    assert.deepEqual(clash.map((i) => [i.file, i.path, i.found]), [["stacks/Pulumi.metal-nyc1.yaml", "config.clusterkit:variables.hosts[4].address", "10.5.0.15"]]);
  });
});
