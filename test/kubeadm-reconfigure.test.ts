// Reconfiguration of a running kubeadm cluster, decided without a host: which components each
// setting's change restarts on which nodes (core/render/kubeadm/reconfigure.ts, as the provider's
// inputs carry it), which settings are refused before anything changes, and what the diff does
// with state from before the per-component record.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { clusterConfiguration } from "../core/render/kubeadm/cluster-configuration";
import { kubeProxyConfiguration } from "../core/render/kubeadm/kube-proxy";
import { changedComponents, componentInputs, configMapData, reconfigureConfig, type Component } from "../core/render/kubeadm/reconfigure";
import type { ClusterSpec } from "../core/spec";
import { diffNode } from "../providers/kubeadm/diff";
import { unobserved } from "../providers/kubeadm/observe";
import { nodeWork } from "../providers/kubeadm/phases/reconfigure";
import { parsePending } from "../providers/kubeadm/phases/reconfigure/marker";
import { planNodes, type PlannedHost } from "../providers/kubeadm/plan";
import type { NodeInputs, NodeOutputs } from "../providers/kubeadm/types";
import { issuesOf, resolveRaw, blueprintRaw, stackConfigRaw } from "./support/fixtures";
import { kubeadmStacks, stackSpec, withVersion } from "./render-kubeadm-specs";

const hostsOf = (spec: ClusterSpec): PlannedHost[] =>
  spec.nodes.map((n) => ({ name: n.name, role: n.role, address: n.address!, ssh: { ...n.ssh }, labels: n.labels, taints: n.taints }));

/** Per node, the components a change from `a` to `b` restarts (nodes with none left out). */
function restarts(a: ClusterSpec, b: ClusterSpec): Record<string, Component[]> {
  const [olds, news] = [inputsOf(a), inputsOf(b)];
  const out: Record<string, Component[]> = {};
  for (const [name, n] of news) {
    const changed = changedComponents(olds.get(name)!.restartOn!, n.restartOn!);
    if (changed.length) out[name] = changed;
  }
  return out;
}

const edit = (f: (s: ClusterSpec) => void, base = "metal-ber1") => {
  const s = stackSpec(base);
  f(s);
  return s;
};

const cpsAnd = (spec: ClusterSpec, cpList: Component[], workerList: Component[] = []) =>
  Object.fromEntries(spec.nodes.flatMap((n) => (n.role === "control-plane" ? [[n.name, cpList]] : workerList.length ? [[n.name, workerList]] : [])));

const deployed = { privateKey: "K", connection: { trustOnFirstUse: false, bastion: null, concurrency: 10 }, secretFiles: [] };
const inputsOf = (spec: ClusterSpec) => new Map(planNodes(spec, hostsOf(spec)).map((p) => [p.node.name, { ...p.kubeadm, ...deployed } as NodeInputs]));
const asState = (i: NodeInputs): NodeOutputs => ({ ...i, kubeconfig: i.role === "control-plane" ? "KC" : "", observed: unobserved });

describe("reconfiguration: what each setting restarts where", () => {
  const base = stackSpec("metal-ber1");

  it("a controller-manager, scheduler or etcd flag: that static pod on every control plane, nothing on workers", () => {
    const cm = edit((s) => (s.controlPlane.extraArgs.controllerManager = { "node-monitor-grace-period": "50s" }));
    assert.deepEqual(restarts(base, cm), cpsAnd(base, ["kube-controller-manager"]));
    const sched = edit((s) => (s.controlPlane.extraArgs.scheduler = { "kube-api-qps": "100" }));
    assert.deepEqual(restarts(base, sched), cpsAnd(base, ["kube-scheduler"]));
    const etcd = edit((s) => (s.controlPlane.extraArgs.etcd = { "quota-backend-bytes": "8589934592" }));
    assert.deepEqual(restarts(base, etcd), cpsAnd(base, ["etcd"]));
    assert.deepEqual((clusterConfiguration(etcd) as { etcd: unknown }).etcd, { local: { extraArgs: [{ name: "quota-backend-bytes", value: "8589934592" }] } });
    assert.equal("etcd" in clusterConfiguration(base), false, "no etcd section without flags: existing clusters' documents stay as they were");
  });

  it("an API server flag (audit log settings): kube-apiserver on every control plane; its files stay with apiServerRestartOn", () => {
    const audit = edit((s) => (s.security.auditLog.maxAgeDays = 7));
    assert.deepEqual(restarts(base, audit), cpsAnd(base, ["kube-apiserver"]));
    const podSecurity = edit((s) => (s.security.podSecurity.enforce = "restricted"));
    assert.deepEqual(restarts(base, podSecurity), {}, "the admission file is restart-apiserver's, not a manifest change");
  });

  it("the kubelet configuration: the kubelet on every node, control planes and workers", () => {
    const anon = edit((s) => (s.security.kubeletAnonymousAuth = true));
    assert.deepEqual(restarts(base, anon), cpsAnd(base, ["kubelet"], ["kubelet"]));
    assert.ok(Object.keys(restarts(base, anon)).some((n) => base.nodes.find((x) => x.name === n)?.role === "worker"));
  });

  it("the image mirror: every static pod and kubeadm's add-ons on control planes", () => {
    const mirrored = edit((s) => (s.mirrors.images = "registry.example.com"));
    assert.deepEqual(restarts(base, mirrored), cpsAnd(base, ["etcd", "kube-apiserver", "kube-controller-manager", "kube-scheduler", "addons"]));
  });

  it("kube-proxy's mode: kube-proxy on every node (one DaemonSet rollout), and the rendered KubeProxyConfiguration says nftables", () => {
    const nft = edit((s) => (s.networking.kubeProxyMode = "nftables"));
    assert.deepEqual(restarts(base, nft), cpsAnd(base, ["kube-proxy"], ["kube-proxy"]));
    assert.equal((kubeProxyConfiguration(nft) as { mode: string }).mode, "nftables");
    assert.equal((kubeProxyConfiguration(base) as { mode: string }).mode, "iptables");
  });

  it("new certSANs: the API server's certificate reissued (then the server restarted)", () => {
    const sans = edit((s) => s.controlPlane.certSANs.push("api.example.com"));
    assert.deepEqual(restarts(base, sans), cpsAnd(base, ["apiserver-certificate"]));
  });

  it("an upgrade's own changes are not a reconfiguration: the diff leaves them to the upgrade", () => {
    const next = withVersion(base, "1.35.0");
    const [olds, news] = [inputsOf(base), inputsOf(next)];
    for (const [name, n] of news) assert.equal(diffNode(asState(olds.get(name)!), n).changes, true, name);
  });

  it("every key of every rendered ClusterConfiguration has a component that reads it (or is fixed)", () => {
    for (const stack of kubeadmStacks) {
      const s = stackSpec(stack);
      assert.doesNotThrow(() => componentInputs(s), stack);
      s.mirrors.images = "registry.example.com";
      s.controlPlane.extraArgs.etcd = { "quota-backend-bytes": "1" };
      assert.doesNotThrow(() => componentInputs(s), `${stack} with every optional section`);
    }
  });

  it("the config kubeadm init phase reads holds this node's endpoint and no secret; the ConfigMaps keep kube-proxy's kubeconfig", () => {
    const cp = base.nodes.find((n) => n.role === "control-plane")!;
    const cfg = reconfigureConfig(base, cp);
    assert.match(cfg, new RegExp(`advertiseAddress: ${cp.address!.replace(/\./g, "\\.")}`));
    assert.match(cfg, /kind: ClusterConfiguration/);
    assert.doesNotMatch(cfg, /bootstrapTokens|certificateKey|token:/);
    const data = configMapData(base);
    assert.match(data["kube-proxy"]!["config.conf"], /kubeconfig: \/var\/lib\/kube-proxy\/kubeconfig.conf/);
    assert.match(data["kubelet-config"].kubelet, /kind: KubeletConfiguration/);
  });

  it("a worker acts on its kubelet only; a control plane on everything; the marker's names are read back in rollout order", () => {
    assert.deepEqual(nodeWork("worker", ["kube-proxy", "kubelet", "etcd"]), ["kubelet"]);
    assert.deepEqual(nodeWork("control-plane", ["kubelet", "kube-scheduler", "etcd"]), ["etcd", "kube-scheduler", "kubelet"]);
    assert.deepEqual(parsePending("kubelet kube-controller-manager bogus "), ["kube-controller-manager", "kubelet"]);
  });
});

describe("reconfiguration: refused before anything changes", () => {
  const base = stackSpec("metal-ber1");
  const cp = base.nodes.find((n) => n.role === "control-plane")!.name;
  const worker = base.nodes.find((n) => n.role === "worker")!.name;
  const refusal = (next: ClusterSpec, node = cp) => {
    const olds = asState(inputsOf(base).get(node)!);
    const news = inputsOf(next).get(node)!;
    return () => diffNode(olds, news);
  };

  for (const [what, change, re] of [
    ["the pod range", (s: ClusterSpec) => (s.networking.podCidr = "10.200.0.0/16"), /the pod range \(networking\.podCidr in the blueprint, or the podCidr variable\) changed from "[^"]+" to "10\.200\.0\.0\/16", which cannot change on a running cluster: the pod range is split into every node's podCIDR.*a new pod range needs a new cluster/s],
    ["the service range", (s: ClusterSpec) => (s.networking.serviceCidr = "10.201.0.0/16"), /the service range \(networking\.serviceCidr in the blueprint, or the serviceCidr variable\) changed .*Service's ClusterIP.*a new service range needs a new cluster/s],
    ["the CNI", (s: ClusterSpec) => (s.cni = { ...s.cni, kind: s.cni.kind === "flannel" ? "weave" : "flannel" } as ClusterSpec["cni"]), /cni in the blueprint changed from .*cannot be swapped under a running cluster.*keep the CNI/s],
    ["the cluster name", (s: ClusterSpec) => (s.name = "another"), /clusterkit:clusterName .* changed from "[^"]+" to "another".*kubeadm cannot rename a cluster.*new stack/s],
    ["the DNS domain", (s: ClusterSpec) => (s.networking.dnsDomain = "corp.local"), /networking\.dnsDomain .*resolv\.conf/s],
  ] as const) {
    it(`${what}: refused on control planes and workers, with why and what to do instead`, () => {
      const next = edit(change);
      for (const n of [cp, worker]) {
        assert.throws(refusal(next, n), (e: Error & { exitCode?: number }) => {
          assert.match(e.message, re, n);
          return true;
        });
      }
    });
  }

  it("a reconfiguration together with an upgrade is refused: one after the other", () => {
    const next = withVersion(edit((s) => (s.controlPlane.extraArgs.controllerManager = { "node-monitor-grace-period": "50s" })), "1.35.0");
    assert.throws(refusal(next), /the Kubernetes version and the cluster-wide kubeadm configuration changed together.*change kubernetesVersion alone/s);
  });

  it("state from before the per-component record: a change is refused with how to record it; without a change the next update records it", () => {
    const next = edit((s) => (s.controlPlane.extraArgs.controllerManager = { "node-monitor-grace-period": "50s" }));
    const old = asState(inputsOf(base).get(cp)!);
    delete old.restartOn;
    delete old.fixedSettings;
    delete old.reconfigure;
    assert.throws(() => diffNode(old, inputsOf(next).get(cp)!), /written before clusterkit recorded what each component reads.*run pulumi up once \(it records them and changes nothing on the hosts\)/s);
    assert.deepEqual(diffNode(old, inputsOf(base).get(cp)!), { changes: true, replaces: [], deleteBeforeReplace: false }, "recorded by an update");
    assert.deepEqual(diffNode(asState(inputsOf(base).get(cp)!), inputsOf(base).get(cp)!), { changes: false, replaces: [], deleteBeforeReplace: false });
  });

  it("a controller-manager flag change is an update on control planes, nothing on workers", () => {
    const next = edit((s) => (s.controlPlane.extraArgs.controllerManager = { "node-monitor-grace-period": "50s" }));
    const [olds, news] = [inputsOf(base), inputsOf(next)];
    for (const [name, n] of news) {
      const d = diffNode(asState(olds.get(name)!), n);
      assert.deepEqual(d, { changes: n.role === "control-plane", replaces: [], deleteBeforeReplace: false }, name);
    }
  });
});

describe("reconfiguration: blueprint settings", () => {
  it("extraArgs: flags without --, values as strings, profiling kept off, and not on EKS", () => {
    const bp = blueprintRaw("baremetal-ha");
    bp.controlPlane.extraArgs = { controllerManager: { "node-monitor-grace-period": "50s", "concurrent-deployment-syncs": 10 } };
    assert.deepEqual(resolveRaw("baremetal-ha", bp, "metal-ber1", stackConfigRaw("metal-ber1")).spec.controlPlane.extraArgs.controllerManager, { "concurrent-deployment-syncs": "10", "node-monitor-grace-period": "50s" });
    const bad = blueprintRaw("baremetal-ha");
    bad.controlPlane.extraArgs = { scheduler: { profiling: true } };
    const issues = issuesOf(() => resolveRaw("baremetal-ha", bad, "metal-ber1", stackConfigRaw("metal-ber1")));
    assert.ok(issues.some((i) => i.path === "controlPlane.extraArgs.scheduler.profiling" && /profiling off/.test(i.message)), JSON.stringify(issues));
    bad.controlPlane.extraArgs = { scheduler: { "--v": "2" } };
    const dashed = issuesOf(() => resolveRaw("baremetal-ha", bad, "metal-ber1", stackConfigRaw("metal-ber1")));
    assert.ok(dashed.some((i) => i.file === "blueprints/baremetal-ha.yaml" && /without the leading --/.test(i.message)), JSON.stringify(dashed));
    const eks = blueprintRaw("eks-standard");
    eks.controlPlane.extraArgs = { etcd: { "quota-backend-bytes": "1" } };
    const onEks = issuesOf(() => resolveRaw("eks-standard", eks, "prod-us-east-1", stackConfigRaw("prod-us-east-1")));
    assert.ok(onEks.some((i) => i.path === "controlPlane.extraArgs.etcd" && /EKS runs its own control plane/.test(i.message)), JSON.stringify(onEks));
  });
});
