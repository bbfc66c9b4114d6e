// Bare metal, end to end over real SSH: an HA cluster (3 control planes, 3 workers) on fake hosts
// (real sshd, stand-in kubeadm/kubectl/systemctl/apt, real etcd), driven through the kubeadm
// providers as the engine drives them. Then a re-run that must change nothing, a refresh, and a
// grep for secrets over everything captured. Needs root (test/hosts/setup-deps.sh).
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { renderTree } from "../cli/plan/render-tree";
import { runProgramOffline } from "../cli/plan/run-program";
import { kubeadmNode } from "../providers/kubeadm/runtime";
import { TestCluster } from "./baremetal/cluster";
import { captureExchanges, leaks, secretsSeen } from "./baremetal/secrets-grep";
import { describeCall } from "./baremetal/standin-log";
import { exampleRoot } from "./support/temp-project";

interface Csr { metadata: { name: string }; spec: { signerName: string; username: string }; status: { conditions?: { type: string; status: string }[] } }

/** Every CSR in the cluster, as `kubectl get csr -o json` lists them on cp-1. */
async function csrs(c: TestCluster): Promise<Csr[]> {
  const r = await c.fleet.host("cp-1").exec("kubectl --kubeconfig /etc/kubernetes/admin.conf get csr -o json");
  assert.equal(r.code, 0, r.stderr);
  return (JSON.parse(r.stdout) as { items: Csr[] }).items;
}

/** Names of the `kubectl certificate approve` calls in these logs. */
const approvals = (calls: Map<string, { tool: string; argv: string[] }[]>) =>
  [...calls.values()].flat().filter((x) => x.tool === "kubectl" && x.argv.includes("certificate")).flatMap((x) => x.argv.slice(x.argv.indexOf("approve") + 1));

/** Files written under these trees after `marker` was touched, per host. */
async function writtenSince(c: TestCluster, marker: string): Promise<string[]> {
  const out: string[] = [];
  for (const h of c.fleet.hosts) {
    const r = await h.exec(`find /etc /var/lib/kubelet /usr/local/bin -xdev -newer ${marker} \\( -type f -o -type l \\) 2>/dev/null | sort`);
    for (const f of r.stdout.split("\n").filter(Boolean)) out.push(`${h.name}:${f}`);
  }
  return out;
}

describe("bare metal over SSH: HA bootstrap", () => {
  let c: TestCluster;
  const capture = captureExchanges();

  before(async () => {
    c = await TestCluster.start({ controlPlanes: 3, workers: 3 });
  });

  after(async () => {
    capture.restore();
    await c?.stop();
  });

  it("brings up 3 control planes and 3 workers from scratch", async () => {
    const r = await c.up();
    assert.deepEqual([...r.errors].map(([k, e]) => `${k}: ${e.message}`), []);
    assert.deepEqual(r.skipped, []);
    for (const n of c.names) {
      const s = c.nodeState.get(n)!;
      assert.equal(s.observed.registered, true, `${n} registered`);
      assert.equal(s.observed.kubeletActive, true, `${n} kubelet running`);
      assert.deepEqual(s.observed.drift, [], `${n} converged`);
      assert.equal(s.observed.appliedConfigHash, s.configHash);
    }
    const members = (await c.fleet.host("cp-1").exec("etcdctl member list -w simple")).stdout.trim().split("\n");
    assert.equal(members.length, 3, members.join("\n"));
    assert.ok(members.every((m) => m.includes(", started, ")), members.join("\n"));
    const kubeconfig = c.nodeState.get("cp-1")!.kubeconfig;
    assert.match(kubeconfig, /^apiVersion: v1/m);
    assert.match(kubeconfig, new RegExp(`server: https://10\\.77\\.${c.fleet.slot}\\.250:6443`));
    // Every control plane keeps it, so the cluster's kubeconfig outlives the node that initialised it.
    assert.match(c.nodeState.get("cp-2")!.kubeconfig, new RegExp(`server: https://10\\.77\\.${c.fleet.slot}\\.250:6443`));
    assert.equal(c.nodeState.get("w-1")!.kubeconfig, "", "workers have none");
  });

  it("approves each kubelet's serving certificate request, and only those", async () => {
    const all = await csrs(c);
    for (const n of c.names) {
      const mine = all.filter((x) => x.spec.signerName === "kubernetes.io/kubelet-serving" && x.spec.username === `system:node:${n}`);
      assert.ok(mine.length >= 1, `${n} filed a serving CSR`);
      for (const x of mine) assert.ok(x.status.conditions?.some((k) => k.type === "Approved" && k.status === "True"), `${n}: ${x.metadata.name} approved`);
    }
    const approved = approvals(await c.calls());
    assert.deepEqual([...approved].sort(), all.map((x) => x.metadata.name).sort(), "approved exactly the serving CSRs, each once");
  });

  it("initialises once, joins control planes one at a time and workers alongside them", async () => {
    const calls = await c.calls();
    const kubeadm = (h: string, sub: string) => calls.get(h)!.filter((x) => x.tool === "kubeadm" && x.argv[0] === sub);
    assert.equal(kubeadm("cp-1", "init").length, 1);
    for (const h of ["cp-2", "cp-3", "w-1", "w-2", "w-3"]) assert.equal(kubeadm(h, "init").length, 0, `${h} never inits`);
    const span = (h: string) => {
      const j = kubeadm(h, "join")[0];
      const end = Date.parse(j.time) + j.durationMs;
      return { start: end - j.durationMs, end };
    };
    const cp2 = span("cp-2");
    const cp3 = span("cp-3");
    assert.ok(cp3.start >= cp2.end, "control planes join one after the other");
    const workers = ["w-1", "w-2", "w-3"].map(span);
    assert.ok(workers.some((w) => w.start < cp3.start), "worker joins do not wait for the control-plane joins");
    // One short-lived token per join, each deleted after use; the init token too.
    const creates = calls.get("cp-1")!.filter((x) => x.tool === "kubeadm" && x.argv[0] === "token" && x.argv[1] === "create");
    assert.equal(creates.length, 5, creates.map(describeCall).join("\n"));
    assert.ok(creates.every((x) => x.argv.join(" ").includes("--ttl 15m") || x.argv.includes("--ttl=15m")), creates.map(describeCall).join("\n"));
    const left = (await c.fleet.host("cp-1").exec("kubeadm token list | tail -n +2")).stdout.trim();
    assert.equal(left, "", `no bootstrap token outlives its join:\n${left}`);
  });

  it("a re-run converges without running a single mutating command", async () => {
    const before = await c.calls();
    await Promise.all(c.fleet.hosts.map((h) => h.exec("touch /run/ck-rerun-marker")));
    // `pulumi up` with nothing changed: every diff is empty.
    for (const n of c.names) {
      const d = await kubeadmNode.diff("", c.nodeState.get(n)!, c.inputs(n).node);
      assert.deepEqual(d, { changes: false, replaces: [], deleteBeforeReplace: false }, n);
    }
    // As if the state were lost: create() again on every host, and update() with the same inputs.
    c.prepState.clear();
    c.nodeState.clear();
    const r = await c.up();
    assert.deepEqual([...r.errors].map(([k, e]) => `${k}: ${e.message}`), []);
    for (const n of c.names) await kubeadmNode.update("", c.nodeState.get(n)!, c.inputs(n).node);
    const afterRun = await c.calls();
    const fresh = new Map([...afterRun].map(([h, cs]) => [h, cs.slice(before.get(h)?.length ?? 0)]));
    assert.deepEqual(approvals(fresh), [], "the re-run approves nothing");
    const mutating = TestCluster.mutatingSince(before, afterRun);
    assert.deepEqual([...mutating].map(([h, cs]) => `${h}: ${cs.map(describeCall).join("; ")}`), []);
    assert.deepEqual(await writtenSince(c, "/run/ck-rerun-marker"), [], "no file written on any host");
  });

  it("refresh observes versions, registration, readiness, the applied config and etcd membership", async () => {
    await c.refresh();
    for (const n of c.names) {
      const o = c.nodeState.get(n)!.observed;
      assert.equal(o.kubeletVersion, `v${c.spec.kubernetes.version}`);
      assert.equal(o.kubeadmVersion, `v${c.spec.kubernetes.version}`);
      assert.equal(o.registered, true);
      assert.equal(o.ready, true);
      assert.equal(o.etcdMember, n.startsWith("cp-") ? true : null);
      assert.deepEqual(o.drift, []);
    }
    // Drift made outside clusterkit shows up, and the next up repairs it.
    await c.fleet.host("w-2").exec("rm -f /etc/kubernetes/clusterkit/applied-config.sha256");
    await c.refresh();
    assert.deepEqual(c.nodeState.get("w-2")!.observed.drift, ["no applied configuration recorded"]);
    const d = await kubeadmNode.diff("", c.nodeState.get("w-2")!, c.inputs("w-2").node);
    assert.equal(d.changes, true);
    assert.deepEqual(d.replaces, []);
    const r = await c.up(["w-2"]);
    assert.equal(r.errors.size, 0);
    assert.deepEqual(c.nodeState.get("w-2")!.observed.drift, []);
  });

  it("no token, certificate key, private key or kubeconfig in logs, errors, plan output or state", async () => {
    const secrets = secretsSeen(capture.exchanges, c.fleet.clientKey.privateKeyPem);
    const labels = new Set(secrets.map((s) => s.label));
    for (const l of ["bootstrap token", "certificate key", "kubeconfig credential", "SSH private key"]) assert.ok(labels.has(l), `the capture saw a ${l}`);

    const variables = JSON.stringify({
      nodeCidr: `10.77.${c.fleet.slot}.0/24`,
      podCidr: "10.240.0.0/16",
      serviceCidr: "10.241.0.0/20",
      controlPlaneVip: `10.77.${c.fleet.slot}.250`,
      ingressAddressPool: `10.77.${c.fleet.slot}.240-10.77.${c.fleet.slot}.249`,
      hosts: c.hosts.map((h) => ({ name: h.name, address: h.address, role: h.role, sshUser: "root", hostKey: h.ssh.hostKey })),
    });
    // The program finds its project from the working directory, as under Pulumi: the fixture's.
    const cwd = process.cwd();
    process.chdir(exampleRoot());
    const plan = await runProgramOffline({
      root: exampleRoot(),
      project: "clusterkit",
      stack: `metal-lab${c.fleet.slot}`,
      config: { "clusterkit:blueprint": "baremetal-ha", "clusterkit:region": `lab${c.fleet.slot}`, "clusterkit:variables": variables, "clusterkit:sshPrivateKey": c.fleet.clientKey.privateKeyPem },
      secretKeys: ["clusterkit:sshPrivateKey"],
    });
    process.chdir(cwd);
    assert.ok(plan.resources.some((r) => r.type === "pulumi-nodejs:dynamic/clusterkit:KubeadmNode"), "the plan shows the kubeadm nodes");

    const texts = [
      { where: "provider log", text: c.logs.join("\n") },
      { where: "errors", text: c.errors.join("\n") },
      { where: "plan output", text: `${renderTree(plan)}\n${JSON.stringify(plan.resources)}\n${plan.log.join("\n")}` },
      { where: "state (secret outputs are encrypted there)", text: c.serializedState({ withSecretOutputs: false }) },
    ];
    assert.deepEqual(leaks(texts, secrets), []);
    // Tokens and certificate keys are not even in the encrypted part of the state.
    const ephemeral = secrets.filter((s) => s.label === "bootstrap token" || s.label === "certificate key");
    assert.deepEqual(leaks([{ where: "state with secret outputs", text: c.serializedState({ withSecretOutputs: true }) }], ephemeral), []);
  });
});
