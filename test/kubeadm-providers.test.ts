// Unit tests of the kubeadm providers' pure decisions: what a change of inputs means (replace,
// update, refuse), the join order, label/taint changes, parsing of kubeadm/etcdctl output, the
// quorum rule, and how rendered files get their runtime secrets.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { placeholders } from "../core/render/kubeadm";
import { parseMemberList, quorumAfterRemoval, quorumLostProblem, quorumOf, type EtcdMember } from "../providers/kubeadm/cluster/etcd";
import { etcdVerdict } from "../providers/kubeadm/phases/clean-half-joined";
import { parseNode } from "../providers/kubeadm/cluster/kubectl";
import { parseJoinCommand, randomBootstrapToken, randomCertificateKey } from "../providers/kubeadm/cluster/tokens";
import { diffHostPrep, diffNode } from "../providers/kubeadm/diff";
import { underLock } from "../providers/kubeadm/paths";
import { beforeKubeadm, fillSecrets, kubeadmConfig, steadyFiles, unfilled } from "../providers/kubeadm/phases/files";
import { metadataChange } from "../providers/kubeadm/phases/node-metadata";
import { planNodes, waitsFor, type PlannedHost } from "../providers/kubeadm/plan";
import { kubeadmDone, parseFacts, partialInit, type HostFacts } from "../providers/kubeadm/probe";
import { stackSpec } from "./render-kubeadm-specs";
import { unobserved } from "../providers/kubeadm/observe";
import type { HostPrepOutputs, NodeOutputs } from "../providers/kubeadm/types";

const node: NodeOutputs = {
  cluster: "c1",
  name: "cp-1",
  address: "10.0.0.11",
  ssh: { user: "root", port: 22, hostKey: "SHA256:" + "a".repeat(43) },
  privateKey: "KEY",
  connection: { trustOnFirstUse: false, bastion: null, concurrency: 10 },
  role: "control-plane",
  init: true,
  kubernetesVersion: "1.34.1",
  controlPlanes: [],
  kubeadmCommand: ["kubeadm", "init", "--config", "/etc/kubernetes/clusterkit/kubeadm.yaml", "--upload-certs"],
  files: [],
  secretFiles: [],
  configHash: "h1",
  clusterConfigHash: "v2:c1",
  labels: {},
  taints: [],
  kubeconfig: "KUBECONFIG",
  observed: unobserved,
};

describe("diff", () => {
  it("state whose keys come back in another order, at any depth, is no change", () => {
    const reversed = (v: unknown): unknown =>
      Array.isArray(v) ? v.map(reversed) : v && typeof v === "object" ? Object.fromEntries(Object.entries(v).reverse().map(([k, x]) => [k, reversed(x)])) : v;
    const withLabels = { ...node, labels: { b: "2", a: "1" }, files: [{ path: "/a", content: "x", mode: "0600", when: "before-kubeadm" as const, ephemeral: false }] };
    const state = reversed(withLabels) as NodeOutputs;
    assert.notEqual(JSON.stringify(state.ssh), JSON.stringify(withLabels.ssh), "the keys really are in another order");
    assert.deepEqual(diffNode(state, withLabels), { changes: false, replaces: [], deleteBeforeReplace: false });
  });

  it("no change, no diff", () => {
    assert.deepEqual(diffNode(node, { ...node }), { changes: false, replaces: [], deleteBeforeReplace: false });
  });

  it("a new address is another machine: replaced, the old one leaving first when the name stays", () => {
    assert.deepEqual(diffNode(node, { ...node, address: "10.0.0.99" }), { changes: true, replaces: ["address"], deleteBeforeReplace: true });
    const renamed = diffNode(node, { ...node, name: "cp-9", address: "10.0.0.99" });
    assert.deepEqual(renamed.replaces, ["name", "address"]);
    assert.equal(renamed.deleteBeforeReplace, false, "a new name joins before the old one leaves");
    assert.deepEqual(diffNode(node, { ...node, role: "worker" }).replaces, ["role"]);
  });

  it("connection settings, labels, taints, files and the control-plane list are updates", () => {
    for (const change of [
      { ssh: { ...node.ssh, port: 2222 } },
      { privateKey: "OTHER" },
      { labels: { a: "b" } },
      { taints: [{ key: "k", effect: "NoSchedule" }] },
      { configHash: "h2" },
      { controlPlanes: [{ name: "cp-2", address: "10.0.0.12", port: 22, user: "root", hostKey: null }] },
    ]) {
      assert.deepEqual(diffNode(node, { ...node, ...change }), { changes: true, replaces: [], deleteBeforeReplace: false }, JSON.stringify(change));
    }
  });

  it("drift seen by refresh makes an update", () => {
    assert.equal(diffNode({ ...node, observed: { ...unobserved, drift: ["the node has not joined"] } }, node).changes, true);
  });

  it("a Kubernetes version one minor or patch up is an upgrade (an update); two minors up or down is refused", () => {
    const up = { ...node, kubernetesVersion: "1.35.0", clusterConfigHash: "v2:c1-at-1.35", configHash: "h2", clusterConfigBase: "b1" };
    assert.deepEqual(diffNode({ ...node, clusterConfigBase: "b1" }, up), { changes: true, replaces: [], deleteBeforeReplace: false });
    assert.equal(diffNode(node, { ...node, kubernetesVersion: "1.34.3" }).changes, true, "a patch release");
    assert.throws(() => diffNode(node, { ...node, kubernetesVersion: "1.36.3" }), /runs Kubernetes 1\.34\.1; 1\.36\.3 is 2 minors ahead, and kubeadm upgrades one minor at a time/);
    assert.throws(() => diffNode(node, { ...node, kubernetesVersion: "1.33.5" }), /going back to 1\.33\.5 is a downgrade/);
    assert.throws(() => diffNode(node, { ...node, kubernetesVersion: "1.34.0" }), /downgrade/);
    // Something else in the cluster-wide configuration changed along with the version: refused.
    assert.throws(() => diffNode({ ...node, clusterConfigBase: "b1" }, { ...up, clusterConfigBase: "b2" }), /the Kubernetes version and the cluster-wide kubeadm configuration changed together/);
  });

  it("a change of the cluster-wide kubeadm configuration, on state without the per-component record, fails on any control plane that recorded its hash, not on workers", () => {
    assert.throws(() => diffNode(node, { ...node, clusterConfigHash: "v2:c2" }), /written before clusterkit recorded what each component reads/);
    assert.throws(() => diffNode({ ...node, init: false }, { ...node, init: false, clusterConfigHash: "v2:c2" }), /written before clusterkit recorded what each component reads/);
    assert.equal(diffNode({ ...node, restartOn: { kubelet: "a" } }, { ...node, restartOn: { kubelet: "b" }, clusterConfigHash: "v2:c2" }).changes, true, "with the record: a reconfiguration");
    const worker = { ...node, role: "worker" as const, init: false, clusterConfigHash: "", kubeconfig: "" };
    assert.equal(diffNode(worker, { ...worker, configHash: "h9" }).changes, true);
  });

  it("state from before: a hash of the older form or none is recorded by an update, not refused", () => {
    assert.deepEqual(diffNode({ ...node, clusterConfigHash: "c1" }, node), { changes: true, replaces: [], deleteBeforeReplace: false });
    assert.equal(diffNode({ ...node, init: false, clusterConfigHash: "" }, { ...node, init: false }).changes, true);
    // A joined control plane without the admin kubeconfig in its state gets it at the next update.
    assert.equal(diffNode({ ...node, init: false, kubeconfig: "" }, { ...node, init: false }).changes, true);
  });

  it("host preparation: new scripts update, a new address replaces, pending steps update", () => {
    const prep = { name: "w", address: "10.0.0.5", ssh: node.ssh, privateKey: "K", connection: node.connection, detectOs: "d", steps: [], stepsHash: "s1", os: "debian", pending: [] } as HostPrepOutputs;
    assert.deepEqual(diffHostPrep(prep, { ...prep }), { changes: false, replaces: [], deleteBeforeReplace: false });
    assert.deepEqual(diffHostPrep(prep, { ...prep, stepsHash: "s2" }).replaces, []);
    assert.equal(diffHostPrep(prep, { ...prep, stepsHash: "s2" }).changes, true);
    assert.deepEqual(diffHostPrep(prep, { ...prep, address: "10.0.0.6" }).replaces, ["address"]);
    assert.equal(diffHostPrep({ ...prep, pending: ["containerd"] }, prep).changes, true);
  });
});

describe("order", () => {
  it("control planes one after another, workers only after the first", () => {
    const order = waitsFor([
      { name: "cp-1", role: "control-plane" },
      { name: "cp-2", role: "control-plane" },
      { name: "cp-3", role: "control-plane" },
      { name: "w-1", role: "worker" },
      { name: "w-2", role: "worker" },
    ]);
    assert.deepEqual(Object.fromEntries(order), { "cp-1": null, "cp-2": "cp-1", "cp-3": "cp-2", "w-1": "cp-1", "w-2": "cp-1" });
  });
});

describe("labels and taints", () => {
  it("only what changed is set or removed", () => {
    const c = metadataChange(
      { labels: { a: "1", b: "2" }, taints: [{ key: "x", effect: "NoSchedule" }, { key: "y", value: "1", effect: "NoExecute" }] },
      { labels: { a: "1", b: "3", c: "4" }, taints: [{ key: "y", value: "2", effect: "NoExecute" }] },
    );
    assert.deepEqual(c.setLabels, { b: "3", c: "4" });
    assert.deepEqual(c.removeLabels, []);
    assert.deepEqual(c.setTaints, [{ key: "y", value: "2", effect: "NoExecute" }]);
    assert.deepEqual(c.removeTaints, [{ key: "x", effect: "NoSchedule" }]);
    assert.deepEqual(metadataChange({ labels: { a: "1" }, taints: [] }, { labels: {}, taints: [] }).removeLabels, ["a"]);
  });
});

describe("parsing what the hosts print", () => {
  it("kubeadm token create --print-join-command", () => {
    const out = `kubeadm join 10.77.1.250:6443 --token abcdef.0123456789abcdef --discovery-token-ca-cert-hash sha256:${"e".repeat(64)} \n`;
    assert.deepEqual(parseJoinCommand(out), { endpoint: "10.77.1.250:6443", token: "abcdef.0123456789abcdef", caCertHash: `sha256:${"e".repeat(64)}` });
    assert.equal(parseJoinCommand("error: timed out"), null);
  });

  it("etcdctl member list -w simple keeps ids as hex strings", () => {
    const ms = parseMemberList("8e9e05c52164694d, started, cp-1, https://10.0.0.11:2380, https://10.0.0.11:2379, false\nffffffffffffffff, unstarted, , https://10.0.0.12:2380, , false\n");
    assert.deepEqual(ms[0], { id: "8e9e05c52164694d", started: true, name: "cp-1", peerUrls: ["https://10.0.0.11:2380"], clientUrls: ["https://10.0.0.11:2379"], learner: false });
    assert.equal(ms[1].id, "ffffffffffffffff");
    assert.equal(ms[1].started, false);
  });

  it("kubectl get node -o json", () => {
    const n = parseNode({ metadata: { name: "w-1", labels: { "node-role.kubernetes.io/control-plane": "" } }, spec: { unschedulable: true }, status: { conditions: [{ type: "Ready", status: "False", reason: "KubeletNotReady", message: "cni plugin not initialized" }], nodeInfo: { kubeletVersion: "v1.34.1" }, addresses: [{ type: "InternalIP", address: "10.0.0.5" }] } });
    assert.equal(n.ready, false);
    assert.equal(n.reason, "KubeletNotReady");
    assert.equal(n.unschedulable, true);
    assert.equal(n.internalIp, "10.0.0.5");
  });

  it("the facts probe", () => {
    const f = parseFacts("admin=1\nkubelet_conf=1\napiserver=0\ntraces=1\npending=0\ninit_started=1\ninit_complete=0\nrestart_pending=1\nreload_pending=0\nkubeadm_config=1\nreconfigure_pending=kube-scheduler kubelet \nos_patch_done=2026-12\napplied=abc\nkubelet=v1.34.1\nkubeadm=v1.34.1\nactive=active\n");
    assert.deepEqual(f, {
      adminConf: true,
      kubeletConf: true,
      apiServerManifest: false,
      traces: true,
      pendingConfig: false,
      initStarted: true,
      initComplete: false,
      kubeadmConfigMap: true,
      apiServerRestartPending: true,
      authnReloadPending: false,
      upgradeTarget: null,
      upgradeKubeadmDone: null,
      upgradeCordoned: false,
      reconfigurePending: ["kube-scheduler", "kubelet"],
      osPatchDone: "2026-12",
      restoreSeeded: false,
      appliedHash: "abc",
      kubeletVersion: "v1.34.1",
      kubeadmVersion: "v1.34.1",
      kubeletActive: true,
    });
    assert.equal(parseFacts("applied=\nkubelet=\nactive=inactive").appliedHash, null);
  });
});

describe("quorum", () => {
  const m = (id: string): EtcdMember => ({ id, started: true, name: id, peerUrls: [], clientUrls: [], learner: false });
  const members = [m("a"), m("b"), m("c")];
  it("3 healthy members: removing one leaves 2 of 2", () => {
    assert.deepEqual(quorumAfterRemoval(members, new Map([["a", true], ["b", true], ["c", true]]), members[2]), { ok: true, remaining: 2, healthy: 2, needed: 2 });
  });
  it("one already unhealthy: removing a healthy one breaks quorum, removing the unhealthy one does not", () => {
    const health = new Map([["a", true], ["b", false], ["c", true]]);
    assert.equal(quorumAfterRemoval(members, health, members[2]).ok, false);
    assert.equal(quorumAfterRemoval(members, health, members[1]).ok, true);
  });
  it("the last member can never be removed this way", () => {
    assert.equal(quorumAfterRemoval([m("a")], new Map([["a", true]]), m("a")).ok, false);
  });
  it("a quorum is lost when fewer than a majority are healthy and no member that answers sees a leader; learners do not vote", () => {
    assert.equal(quorumOf(members, new Map([["a", true], ["b", false], ["c", true]])).lost, false);
    assert.equal(quorumOf(members, new Map([["a", true]])).lost, false, "a healthy member proves a leader");
    const lost = quorumOf(members, new Map(), { running: [members[0]], leader: false });
    assert.deepEqual({ lost: lost.lost, needed: lost.needed }, { lost: true, needed: 2 });
    assert.equal(quorumOf(members, new Map(), { running: [...members], leader: true }).lost, false, "all unhealthy but led (a raised alarm): not a lost quorum");
    const learner = { ...m("d"), learner: true };
    assert.equal(quorumOf([m("a"), learner], new Map([["a", true], ["d", false]])).lost, false, "a learner that does not answer costs no quorum");
    assert.equal(quorumOf([], new Map()).lost, false, "no member list, no verdict");
  });
  it("the refusal names who runs leaderless and who is silent, and points to the restore runbook", () => {
    const p = quorumLostProblem(quorumOf(members, new Map(), { running: [members[0]], leader: false }), "metal-ber1");
    assert.match(p.message, /^etcd of metal-ber1 has lost its quorum: no member has a leader, 1 of 3 members answer, and a quorum needs 2 \(running without a leader: a; not answering: b, c\)/);
    assert.match(p.hint, /"Disaster recovery: restoring etcd"/);
    assert.match(p.hint, /clusterkit etcd restore --stack <stack> --snapshot <bundle> --confirm metal-ber1/);
  });
});

describe("runtime secrets", () => {
  it("tokens and keys are random, in kubeadm's formats", () => {
    assert.match(randomBootstrapToken(), /^[a-z0-9]{6}\.[a-z0-9]{16}$/);
    assert.match(randomCertificateKey(), /^[0-9a-f]{64}$/);
    assert.notEqual(randomBootstrapToken(), randomBootstrapToken());
  });

  it("placeholders are filled on the host side only, and none may be left", () => {
    const content = `token: ${placeholders.bootstrapToken}\ncaCertHashes: [${placeholders.caCertHash}]\ncertificateKey: ${placeholders.certificateKey}\n`;
    const filled = fillSecrets(content, { bootstrapToken: "abcdef.0123456789abcdef", caCertHash: "sha256:x" });
    assert.ok(filled.includes("abcdef.0123456789abcdef"));
    assert.deepEqual(unfilled(filled), ["certificateKey"]);
  });

  it("files: before kubeadm without the one-use config; steady state with the last entry per path", () => {
    const inputs = {
      ...node,
      files: [
        { path: "/k/kubeadm.yaml", content: `t: ${placeholders.bootstrapToken}`, mode: "0600", when: "before-kubeadm" as const, ephemeral: true },
        { path: "/m/kube-vip.yaml", content: "bootstrap", mode: "0600", when: "before-kubeadm" as const, ephemeral: false },
        { path: "/m/kube-vip.yaml", content: "steady", mode: "0600", when: "after-kubeadm" as const, ephemeral: false },
      ],
      secretFiles: [{ path: "/a/enc.yaml", content: "secret", mode: "0600", when: "before-kubeadm" as const, ephemeral: false }],
    };
    assert.deepEqual(beforeKubeadm(inputs).map((f) => [f.path, f.content, f.secret]), [["/m/kube-vip.yaml", "bootstrap", false], ["/a/enc.yaml", "secret", true]]);
    assert.deepEqual(steadyFiles(inputs).map((f) => [f.path, f.content]), [["/m/kube-vip.yaml", "steady"], ["/a/enc.yaml", "secret"]]);
    const cfg = kubeadmConfig(inputs, { bootstrapToken: "abcdef.0123456789abcdef" });
    assert.equal(cfg.content, "t: abcdef.0123456789abcdef");
    assert.equal(cfg.secret, true);
    assert.equal(cfg.mode, "0600");
  });

  it("kubeadm runs under the host lock, which the daemons it starts do not inherit", () => {
    assert.equal(underLock("kubeadm init"), "exec 9>/run/clusterkit-kubeadm.lock\nflock -w 900 9\n{\nkubeadm init\n} 9>&-");
  });
});

describe("which node initialised the cluster is state, not a list position", () => {
  const spec = stackSpec("metal-ber1");
  const hosts: PlannedHost[] = spec.nodes.map((n) => ({ name: n.name, role: n.role, address: n.address!, ssh: n.ssh, labels: n.labels, taints: n.taints }));
  const state = (hs: PlannedHost[]) =>
    new Map(planNodes(spec, hs).map((p): [string, NodeOutputs] => [p.node.name, { ...p.kubeadm, privateKey: "K", connection: node.connection, secretFiles: [], kubeconfig: p.node.role === "control-plane" ? "KUBECONFIG" : "", observed: unobserved }]));
  const diffs = (olds: Map<string, NodeOutputs>, hs: PlannedHost[]) =>
    Object.fromEntries(planNodes(spec, hs).filter((p) => olds.has(p.node.name)).map((p) => [p.node.name, diffNode(olds.get(p.node.name)!, { ...p.kubeadm, privateKey: "K", connection: node.connection, secretFiles: [] })]));
  const none = { changes: false, replaces: [], deleteBeforeReplace: false };
  const [cp1, cp2, cp3, ...workers] = hosts;

  it("reordering the control planes changes nothing on any node", () => {
    const olds = state(hosts);
    for (const order of [[cp2, cp1, cp3], [cp3, cp2, cp1]]) {
      const d = diffs(olds, [...order, ...workers]);
      assert.deepEqual(d, Object.fromEntries(hosts.map((h) => [h.name, none])), order.map((h) => h.name).join(","));
    }
  });

  it("removing the first control plane replaces nothing, and the control plane now listed first keeps having joined", () => {
    const d = diffs(state(hosts), [cp2, cp3, ...workers]);
    for (const [name, r] of Object.entries(d)) assert.deepEqual(r.replaces, [], name);
    assert.deepEqual(d[cp2.name], { changes: true, replaces: [], deleteBeforeReplace: false }, "only the set of control planes changed");
  });

  it("replacing a control plane (one removed, a new host added) is no cluster reconfiguration", () => {
    const cp4: PlannedHost = { ...cp3, name: "ber1-cp-4", address: "10.5.0.14" };
    const d = diffs(state(hosts), [cp1, cp2, cp4, ...workers]);
    for (const [name, r] of Object.entries(d)) assert.deepEqual(r.replaces, [], name);
    // The API server's SANs name no control plane: each one's own name and address are kubeadm's defaults.
    const sans = planNodes(spec, hosts)[0].kubeadm.files[0].content;
    assert.ok(!sans.includes(`- ${cp2.name}`) && !sans.includes(`- ${cp2.address}`), sans);
  });

  it("state without the init field: derived from the command the node ran", () => {
    const olds = state(hosts);
    const legacy = new Map([...olds].map(([k, v]) => [k, { ...v, init: undefined as unknown as boolean }]));
    assert.deepEqual(diffs(legacy, [cp2, cp1, cp3, ...workers])[cp1.name], none);
  });
});

describe("kubeadm init completion", () => {
  const f = (x: Partial<HostFacts>): HostFacts => ({ ...parseFacts(""), ...x });

  it("admin.conf alone is not a completed init; the marker or the kubeadm-config ConfigMap is", () => {
    assert.equal(kubeadmDone(f({ adminConf: true, traces: true }), true), false);
    assert.equal(kubeadmDone(f({ adminConf: true, initComplete: true }), true), true);
    assert.equal(kubeadmDone(f({ adminConf: true, kubeadmConfigMap: true }), true), true);
  });

  it("an init that failed after writing admin.conf is partial when clusterkit started it; ambiguous otherwise", () => {
    assert.equal(partialInit(f({ adminConf: true, traces: true, initStarted: true })), "partial");
    assert.equal(partialInit(f({ traces: true })), "partial");
    assert.equal(partialInit(f({ adminConf: true, traces: true })), "ambiguous");
    assert.equal(partialInit(f({ adminConf: true, traces: true, initStarted: true, initComplete: true })), "none");
    assert.equal(partialInit(f({ adminConf: true, traces: true, kubeadmConfigMap: true })), "none");
    assert.equal(partialInit(f({})), "none");
  });

  it("a restore's seed is not a failed init until one started over it, and then it is never reset", () => {
    assert.equal(partialInit(f({ traces: true, restoreSeeded: true })), "none");
    assert.equal(partialInit(f({ traces: true, restoreSeeded: true, initStarted: true, adminConf: true })), "seeded");
    assert.equal(partialInit(f({ traces: true, restoreSeeded: true, initComplete: true })), "none");
  });
});

describe("half-joined control planes", () => {
  const member = (x: Partial<EtcdMember>): EtcdMember => ({ id: "a", started: true, name: "cp-2", peerUrls: [], clientUrls: [], learner: false, ...x });
  it("a started learner that was never promoted is half-joined", () => {
    assert.deepEqual(etcdVerdict(member({ learner: true })), { half: true, why: "its etcd member is a learner that was never promoted" });
    assert.deepEqual(etcdVerdict(member({})), { half: false });
    assert.equal(etcdVerdict(member({ started: false })).half, true);
    assert.equal(etcdVerdict(undefined).half, true);
  });

  it("etcdctl member list -w simple shows a learner", () => {
    assert.equal(parseMemberList("8e9e05c52164694d, started, cp-2, http://10.0.0.12:2380, http://10.0.0.12:2379, true\n")[0].learner, true);
  });
});
