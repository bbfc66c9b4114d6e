// Issue #12 stage 4: the real Pulumi engine runs the program. The CLI and language host built from
// Pulumi's published Go modules (test/upstream/build.sh), a local backend, plugins installed with
// `pulumi plugin install --file` and automatic downloads off, drive a bare-metal stack on the SSH
// host fleet (real sshd, stand-in kubeadm/kubelet, real etcd): preview of a new stack, up, refresh,
// a second up that changes nothing, stack export without a secret in clear, `clusterkit drift`
// against this CLI, and destroy, with the real dynamic-provider process loading our providers.
// The add-ons go to a real etcd and kube-apiserver on loopback (the fleet's control planes are
// stand-ins), through the real Kubernetes provider; what the program leaves out (the Helm charts,
// the random plugin) is said in test/upstream/engine-program.ts.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { parse } from "yaml";
import type { K8sObject } from "../core/render/addons/k8s";
import { addonPlan } from "../core/render/addons/plan";
import { resolveProgram } from "../components/program-config";
import { kubeletVersions } from "./baremetal/nodes";
import { startFleet, type Fleet } from "./hosts/harness";
import { realSecrets, stackSpec } from "./render-kubeadm-specs";
import { adminKubeconfig, startControlPlane, stopAll, type ControlPlane, type ControlPlaneTools } from "./upstream/control-plane";
import { builtInKind } from "./upstream/engine-addons";
import { EngineProject, must, runtimeOptions, type RunResult } from "./upstream/engine-project";
import { discovery, objectPath } from "./upstream/kube-api";
import { findTools, tierSkip } from "./upstream/tools";

const tools = findTools(["pulumi", "pulumi-language-nodejs", "pulumi-resource-pulumi-nodejs", "pulumi-resource-kubernetes", "kubeadm", "etcd", "kube-apiserver", "kube-controller-manager"]);

/** The change counts of a `--json` preview or update, by operation. */
function changeSummary(r: RunResult): Record<string, number> {
  const out = JSON.parse(r.stdout) as { changeSummary?: Record<string, number> };
  return out.changeSummary ?? {};
}

const text = (r: RunResult) => `exit ${r.code}\n${r.stdout}\n${r.stderr}`;

describe("the real Pulumi engine: a bare-metal stack on the host fleet", tierSkip("upstream-engine", tools), () => {
  let fleet: Fleet;
  let e: EngineProject;
  /** The real API server the add-ons go to. */
  let api: ControlPlane;
  const apiScratch = fs.mkdtempSync(path.join(os.tmpdir(), "clusterkit-engine-api-"));
  const encryption = { keys: [{ name: "key1", secret: randomBytes(32).toString("base64") }] };
  const redact = (t: string) => t.split(encryption.keys[0].secret).join("<secret>");

  before(async () => {
    fleet = await startFleet([
      { name: "cp-1", role: "control-plane" },
      { name: "w-1", role: "worker" },
    ]);
    e = await EngineProject.create(fleet, tools.paths.pulumi.replace(/\/pulumi$/, ""));
    await e.init();
    api = await startControlPlane({ tools: tools.paths as unknown as ControlPlaneTools, spec: stackSpec("metal-ber1"), secrets: realSecrets, encryption, scratch: apiScratch, redact });
    await must(e.pulumi(["config", "set", "--secret", "clusterkit-test:addonsKubeconfig", "--stack", e.stack], { input: adminKubeconfig(api) }));
  });

  after(async () => {
    e?.cleanup();
    await fleet?.stop();
    await stopAll();
    fs.rmSync(apiScratch, { recursive: true, force: true });
  });

  /** The add-on objects the stack's plan holds that the API server can serve without the charts. */
  function addonObjects(): K8sObject[] {
    const config = (parse(e.project.read(`stacks/Pulumi.${e.stack}.yaml`)) as { config: Record<string, unknown> }).config;
    const plan = addonPlan(resolveProgram(e.project.root, e.stack, config).spec);
    const installs = [plan.cni, ...plan.storage, ...plan.ingress];
    return [plan.networkIdentity, ...installs.flatMap((i) => [...i.namespaces, ...(i.prerequisites ?? []), ...i.objects]), ...plan.oidc].filter(builtInKind);
  }

  /** Each object's state on the API server: its labels, or null when it is not there (or is being deleted). */
  async function onTheServer(objects: K8sObject[]): Promise<Map<string, Record<string, string> | null>> {
    const find = discovery(api.api);
    const out = new Map<string, Record<string, string> | null>();
    for (const o of objects) {
      const ref = await find(o.apiVersion, o.kind);
      assert.ok(ref, `the API server serves ${o.apiVersion} ${o.kind}`);
      const r = await api.api.request("GET", objectPath(ref, o));
      assert.ok(r.status === 200 || r.status === 404, `GET ${objectPath(ref, o)}: ${r.status} ${r.text}`);
      const live = r.status === 200 && !r.body.metadata.deletionTimestamp;
      out.set(`${o.kind} ${o.metadata.namespace ?? ""}/${o.metadata.name}`, live ? (r.body.metadata.labels ?? {}) : null);
    }
    return out;
  }

  it("the language host gets Pulumi.yaml's runtime options", () => {
    // The tier passes them as flags (see engine-project.ts); a change to Pulumi.yaml must change both.
    assert.deepEqual(EngineProject.shippedRuntimeOptions(), runtimeOptions);
  });

  it("a first preview of the new stack, every kubeconfig unknown, succeeds", async () => {
    const r = await e.pulumi(["preview", "--stack", e.stack, "--json"]);
    assert.equal(r.code, 0, text(r));
    const summary = changeSummary(r);
    assert.ok((summary.create ?? 0) >= 6, `creates the cluster: ${JSON.stringify(summary)}`);
  });

  it("the preview check bites: a stack without its SSH key fails with the command that sets it", async () => {
    const stack = `${e.stack}-nokey`;
    e.writeStack(stack, ["cp-1", "w-1"]);
    await must(e.pulumi(["stack", "init", stack, "--secrets-provider", "passphrase"]));
    const r = await e.pulumi(["preview", "--stack", stack]);
    await must(e.pulumi(["stack", "rm", stack, "--yes", "--force"]));
    e.removeStackFile(stack);
    assert.notEqual(r.code, 0, text(r));
    assert.match(r.stdout + r.stderr, new RegExp(`pulumi config set --secret clusterkit:sshPrivateKey --stack ${stack}`));
  });

  it("up builds the cluster through the real dynamic-provider process, over SSH", async () => {
    const r = await e.pulumi(["up", "--stack", e.stack, "--yes", "--skip-preview"]);
    assert.equal(r.code, 0, text(r));
    const nodes = await fleet.host("cp-1").exec("kubectl --kubeconfig /etc/kubernetes/admin.conf get nodes -o name");
    assert.equal(nodes.code, 0, nodes.stderr);
    assert.deepEqual(nodes.stdout.trim().split("\n").sort(), ["node/cp-1", "node/w-1"]);
    const url = await must(e.pulumi(["stack", "output", "apiServerUrl", "--stack", e.stack]));
    assert.equal(url.stdout.trim(), `https://10.77.${fleet.slot}.250:6443`);
    const kubeconfig = await must(e.pulumi(["stack", "output", "kubeconfig", "--stack", e.stack, "--show-secrets"]));
    assert.equal(kubeconfig.stdout.trim(), (await fleet.host("cp-1").readFile("/etc/kubernetes/admin.conf")).trim());
  });

  it("up sent every add-on object to the real API server, with our labels", async () => {
    const objects = addonObjects();
    assert.ok(objects.length >= 8, `the plan holds add-on objects: ${objects.map((o) => o.kind).join(", ")}`);
    const live = await onTheServer(objects);
    assert.deepEqual([...live].filter(([, labels]) => labels === null).map(([k]) => k), [], "every object is on the API server");
    for (const o of objects) {
      const labels = live.get(`${o.kind} ${o.metadata.namespace ?? ""}/${o.metadata.name}`)!;
      for (const [k, v] of Object.entries(o.metadata.labels ?? {})) assert.equal(labels[k], v, `${o.kind} ${o.metadata.name}: label ${k}`);
    }
  });

  it("refresh, then a second up changes nothing", async () => {
    const refresh = await e.pulumi(["refresh", "--stack", e.stack, "--yes", "--skip-preview"]);
    assert.equal(refresh.code, 0, text(refresh));
    const preview = await e.pulumi(["preview", "--stack", e.stack, "--json"]);
    assert.equal(preview.code, 0, text(preview));
    assert.deepEqual(Object.keys(changeSummary(preview)), ["same"], text(preview));
    const up = await e.pulumi(["up", "--stack", e.stack, "--yes", "--expect-no-changes"]);
    assert.equal(up.code, 0, text(up));
  });

  it("the no-change check bites: a host changed outside clusterkit makes a change, and up repairs it", async () => {
    await fleet.host("w-1").exec("rm -f /etc/kubernetes/clusterkit/applied-config.sha256");
    await must(e.pulumi(["refresh", "--stack", e.stack, "--yes", "--skip-preview"]));
    const r = await e.pulumi(["preview", "--stack", e.stack, "--expect-no-changes"]);
    assert.notEqual(r.code, 0, text(r));
    assert.match(r.stdout, /w-1/);
    await must(e.pulumi(["up", "--stack", e.stack, "--yes", "--skip-preview"]));
    const again = await e.pulumi(["preview", "--stack", e.stack, "--expect-no-changes"]);
    assert.equal(again.code, 0, text(again));
  });

  it("an add-on object deleted on the API server: refresh finds it gone, up puts it back", async () => {
    const sc = addonObjects().find((o) => o.kind === "StorageClass");
    assert.ok(sc, "the stack has a storage class");
    const gone = await api.api.request("DELETE", `/apis/storage.k8s.io/v1/storageclasses/${sc.metadata.name}`);
    assert.equal(gone.status, 200, gone.text);
    await must(e.pulumi(["refresh", "--stack", e.stack, "--yes", "--skip-preview"]));
    const r = await e.pulumi(["preview", "--stack", e.stack, "--expect-no-changes"]);
    assert.notEqual(r.code, 0, text(r));
    assert.match(r.stdout, new RegExp(`storageclass-${sc.metadata.name}`));
    await must(e.pulumi(["up", "--stack", e.stack, "--yes", "--skip-preview"]));
    assert.notEqual((await onTheServer([sc])).get(`StorageClass /${sc.metadata.name}`), null, "up created it again");
  });

  it("stack export holds no token, key, kubeconfig or password in clear", async () => {
    const secrets = await secretsOnTheHosts(fleet, e);
    secrets.push({ label: "add-ons API server client key", value: Buffer.from(api.kroot.admin.key, "utf8").toString("base64") });
    const state = (await must(e.pulumi(["stack", "export", "--stack", e.stack]))).stdout;
    assert.ok(state.includes("KubeadmNode"), "the export is the state");
    assert.deepEqual(secrets.filter((s) => state.includes(s.value)).map((s) => s.label), []);
    // The grep bites: the same state with its secrets decrypted holds each of the state's secrets.
    const clear = (await must(e.pulumi(["stack", "export", "--stack", e.stack, "--show-secrets"]))).stdout;
    for (const label of ["SSH private key", "encryption key", "admin kubeconfig client key", "add-ons API server client key"]) {
      assert.ok(secrets.some((s) => s.label === label && clear.includes(s.value)), `${label} is in the state, encrypted`);
    }
  });

  it("clusterkit drift against this CLI: 0 when clean, 1 with the drift made on a host, 2 for a stack never deployed", async () => {
    const root = ["--pulumi-root", tools.paths.pulumi.replace(/\/bin\/pulumi$/, "")];
    // As in CI, where confirmations are skipped (the real CLI took that for --yes and refused).
    // The real Kubernetes provider leaves a kubeconfig file (the admin client key) in TMPDIR each
    // time it is configured; the commands above have left some. Drift runs it in a TMPDIR of its own
    // and removes that, so its refresh adds none.
    const kubeconfigs = () => fs.readdirSync(e.tmpDir).filter((f) => f.startsWith("kubeconfig"));
    const left = kubeconfigs();
    assert.ok(left.length > 0, `the provider writes its kubeconfig to TMPDIR (${e.tmpDir} holds ${fs.readdirSync(e.tmpDir).join(", ")})`);
    const clean = await e.clusterkit(["drift", "--stacks", e.stack, ...root], { PULUMI_SKIP_CONFIRMATIONS: "true" });
    assert.equal(clean.code, 0, text(clean));
    assert.match(clean.stdout, /1 stack\(s\): 1 clean/);
    assert.deepEqual(kubeconfigs(), left, "clusterkit drift leaves no kubeconfig in TMPDIR");
    assert.deepEqual(fs.readdirSync(e.tmpDir).filter((f) => f.startsWith("clusterkit-drift-")), []);

    await fleet.host("w-1").exec("rm -f /etc/kubernetes/clusterkit/applied-config.sha256");
    const drifted = await e.clusterkit(["drift", "--stacks", e.stack, ...root]);
    assert.equal(drifted.code, 1, text(drifted));
    assert.match(drifted.stdout, /~ pulumi-nodejs:dynamic\/clusterkit:KubeadmNode w-1/);
    assert.match(drifted.stdout, /no applied configuration recorded/);
    // A preview-only refresh writes nothing: the state still says converged, and up repairs the host.
    await must(e.pulumi(["up", "--stack", e.stack, "--yes", "--skip-preview"]));

    const never = `${e.stack}-new`;
    e.writeStack(never, ["cp-1", "w-1"]);
    const missing = await e.clusterkit(["drift", "--stacks", never, ...root]);
    e.removeStackFile(never);
    assert.equal(missing.code, 2, text(missing));
    assert.match(missing.stdout, /stack-not-found/);
  });

  // Issue #13's acceptance, as a user runs it: edit the stack, read the plan against the exported
  // state, `pulumi up`; then the next minor with the connection cut half-way, finished by the next `up`.
  it("an upgrade: kubernetesVersion to the next minor, plan --state shows it node by node, pulumi up moves every node", async () => {
    assert.deepEqual(await kubeletVersions(fleet.host("cp-1")), { "cp-1": "v1.34.1", "w-1": "v1.34.1" });
    e.setOverride(e.stack, "kubernetesVersion", "1.35");
    const stateFile = `${e.tmpDir}/state.json`;
    fs.writeFileSync(stateFile, (await must(e.pulumi(["stack", "export", "--stack", e.stack]))).stdout);
    const plan = await e.clusterkit(["plan", "--stack", e.stack, "--state", stateFile, "--json"]);
    fs.rmSync(stateFile);
    assert.equal(plan.code, 0, text(plan));
    const changes = (JSON.parse(plan.stdout) as { changes: { resources: { name: string; type: string; action: string; keys: string[] }[]; kubeadmOrder: { name: string; action: string; after: string | null }[] } }).changes;
    for (const name of ["cp-1", "w-1"]) {
      const node = changes.resources.find((r) => r.type.endsWith(":KubeadmNode") && r.name === name);
      assert.ok(node && node.action === "update" && node.keys.includes("kubernetesVersion"), `${name}: ${JSON.stringify(node)}`);
    }
    assert.deepEqual(changes.kubeadmOrder.map((n) => [n.name, n.action, n.after]), [["cp-1", "update", null], ["w-1", "update", "cp-1"]]);

    const up = await e.pulumi(["up", "--stack", e.stack, "--yes", "--skip-preview"]);
    assert.equal(up.code, 0, text(up));
    assert.deepEqual(await kubeletVersions(fleet.host("cp-1")), { "cp-1": "v1.35.0", "w-1": "v1.35.0" });
    const again = await e.pulumi(["preview", "--stack", e.stack, "--expect-no-changes"]);
    assert.equal(again.code, 0, text(again));
  });

  it("the next minor with the connection cut half-way: pulumi up fails, the next pulumi up finishes the job", async () => {
    const cp1 = fleet.host("cp-1");
    // Cut once cp-1's `kubeadm upgrade apply` is under way: the stand-in marks its wait for the
    // static pods (4 s here). The engine's own output comes too late to time it: it is buffered.
    await fleet.setStepDuration("upgrade", 4000);
    e.setOverride(e.stack, "kubernetesVersion", "1.36");
    let ended = false;
    const running = e.pulumi(["up", "--stack", e.stack, "--yes", "--skip-preview"]).finally(() => (ended = true));
    const applying = await fleet.inStep("cp-1", "upgrade", 300_000);
    // (The message awaits the run, so it is built only on failure.)
    if (!applying || ended) assert.fail(`pulumi up ended before cp-1's upgrade began:\n${text(await running)}`);
    await new Promise((res) => setTimeout(res, 500));
    await fleet.cutConnections("cp-1");
    const cut = await running;
    await fleet.setStepDuration("upgrade", 0);
    assert.notEqual(cut.code, 0, text(cut));
    assert.match(cut.stdout, /cp-1/);
    assert.doesNotMatch(cut.stdout + cut.stderr, /\n\s+(pulumi:\S+ \S+\s+)?at \S+ \(/, "no stack trace");
    // The API server may be down here (the stand-in's stopped, the cut killed the kubeadm that was
    // to start it again), so the worker's kubelet is asked directly.
    assert.match((await fleet.host("w-1").exec("kubelet --version")).stdout, /v1\.35\.0/, "the worker waited for its control plane");

    const resumed = await e.pulumi(["up", "--stack", e.stack, "--yes", "--skip-preview"]);
    assert.equal(resumed.code, 0, text(resumed));
    assert.deepEqual(await kubeletVersions(fleet.host("cp-1")), { "cp-1": "v1.36.3", "w-1": "v1.36.3" });
    assert.equal((await cp1.exec("ls /etc/kubernetes/clusterkit/upgrade-* 2>/dev/null || true")).stdout.trim(), "", "no upgrade marker is left");
    const again = await e.pulumi(["preview", "--stack", e.stack, "--expect-no-changes"]);
    assert.equal(again.code, 0, text(again));
  });

  it("an unconfirmed destroy removes nothing and prints no stack trace; a confirmed one removes everything", async () => {
    const objects = addonObjects();
    const resources = () => must(e.pulumi(["stack", "export", "--stack", e.stack])).then((r) => (JSON.parse(r.stdout) as { deployment: { resources?: unknown[] } }).deployment.resources ?? []);
    const before = (await resources()).length;
    const refused = await e.pulumi(["destroy", "--stack", e.stack, "--yes", "--skip-preview"]);
    assert.notEqual(refused.code, 0, text(refused));
    assert.match(refused.stdout, new RegExp(`refusing to destroy cluster ${e.stack}: nothing was removed`));
    assert.match(refused.stdout, new RegExp(`CLUSTERKIT_DESTROY_CLUSTER=${e.stack} pulumi destroy`));
    assert.doesNotMatch(refused.stdout + refused.stderr, /\n\s+(pulumi:\S+ \S+\s+)?at \S+ \(/, "no stack trace");
    // The guard is deleted first, so the refusal comes before anything else is touched.
    assert.equal((await resources()).length, before, "the state still holds every resource");
    assert.deepEqual([...(await onTheServer(objects))].filter(([, v]) => v === null).map(([k]) => k), [], "every add-on object is still on the API server");
    for (const h of fleet.hosts) {
      const kept = await h.exec("ls /etc/kubernetes/*.conf 2>/dev/null || true");
      assert.notEqual(kept.stdout.trim(), "", `${h.name} was not reset`);
    }

    const r = await e.pulumi(["destroy", "--stack", e.stack, "--yes", "--skip-preview"], { env: { CLUSTERKIT_DESTROY_CLUSTER: e.stack } });
    assert.equal(r.code, 0, text(r));
    const state = JSON.parse((await must(e.pulumi(["stack", "export", "--stack", e.stack]))).stdout) as { deployment: { resources?: unknown[] } };
    assert.deepEqual(state.deployment.resources ?? [], []);
    assert.deepEqual([...(await onTheServer(objects))].filter(([, v]) => v !== null).map(([k]) => k), [], "destroy removed the add-on objects");
    for (const h of fleet.hosts) {
      const left = await h.exec("ls /etc/kubernetes/*.conf 2>/dev/null || true");
      assert.equal(left.stdout.trim(), "", `${h.name} was reset`);
    }
  });
});

/** Secret values as the hosts hold them, found independently of the code under test. */
async function secretsOnTheHosts(fleet: Fleet, e: EngineProject): Promise<{ label: string; value: string }[]> {
  const out: { label: string; value: string }[] = [];
  for (const line of fleet.clientKey.privateKeyPem.split("\n")) if (line.length >= 40 && !line.startsWith("-----")) out.push({ label: "SSH private key", value: line });
  out.push({ label: "encryption key", value: e.encryptionKey }, { label: "secrets passphrase", value: e.passphrase });
  const admin = await fleet.host("cp-1").readFile("/etc/kubernetes/admin.conf");
  for (const m of admin.matchAll(/client-key-data:\s*(\S+)/g)) out.push({ label: "admin kubeconfig client key", value: m[1] });
  const ca = await fleet.host("cp-1").readFile("/etc/kubernetes/pki/ca.key");
  for (const line of ca.split("\n")) if (line.length >= 40 && !line.startsWith("-----")) out.push({ label: "cluster CA key", value: line });
  for (const h of fleet.hosts) {
    for (const c of await h.readLog()) {
      for (const m of c.argv.join(" ").matchAll(/\b[a-z0-9]{6}\.[a-z0-9]{16}\b/g)) out.push({ label: "bootstrap token", value: m[0] });
    }
  }
  assert.ok(out.some((s) => s.label === "admin kubeconfig client key"), "found the admin client key");
  return out;
}
