// Bare metal over real SSH: API server settings kept in files outside the static-pod manifest.
// The stand-in kube-apiserver (test/hosts/standins/lib/apiserver.sh) reads the admission (Pod
// Security), audit and encryption files only when its container starts, as the real one does, and
// reloads the AuthenticationConfiguration in place. So a Pod Security change takes effect only
// through a restart, one control plane at a time, each gated on /readyz and etcd health; an OIDC
// change takes effect without one; a server that does not come back stops the rollout there, and
// the re-run resumes it. Needs root (test/hosts/setup-deps.sh).
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { kubeadmPaths } from "../core/render/kubeadm";
import { apiServerRestartPendingPath, authnReloadPendingPath } from "../providers/kubeadm/paths";
import { authnReloadWait } from "../providers/kubeadm/phases/reload-authentication";
import { apiServerRestartWait } from "../providers/kubeadm/phases/restart-apiserver";
import { errorsOf, TestCluster } from "./baremetal/cluster";
import { captureExchanges, leaks, secretsSeen } from "./baremetal/secrets-grep";

interface ApiEvent {
  ms: number;
  host: string;
  event: string;
  id: string;
  detail: string;
}

const cps = ["cp-1", "cp-2", "cp-3"];

describe("bare metal over SSH: API server config files take effect", () => {
  let c: TestCluster;
  const capture = captureExchanges();
  const eventsFile = () => path.join(c.fleet.clusterStateDir, "apiservers", "events.log");
  const events = (): ApiEvent[] =>
    fs
      .readFileSync(eventsFile(), "utf8")
      .split("\n")
      .filter(Boolean)
      .map((l) => {
        const [ms, host, event, id, ...detail] = l.split(" ");
        return { ms: Number(ms), host, event, id, detail: detail.join(" ") };
      });
  const since = (n: number) => events().slice(n);
  /** What each server read when it started (or reloaded), per flag: the file's sha256. */
  const loaded = (host: string) =>
    Object.fromEntries(
      fs
        .readFileSync(path.join(c.fleet.clusterStateDir, "apiservers", host, "loaded"), "utf8")
        .split("\n")
        .filter(Boolean)
        .map((l) => l.split(" ")),
    );
  const sha = async (host: string, file: string) => createHash("sha256").update(await c.fleet.host(host).readFile(file)).digest("hex");
  const container = async (host: string) => (await c.fleet.host(host).exec("crictl ps -q --name '^kube-apiserver$'")).stdout.trim();
  const restartCycles = (evs: ApiEvent[]) => evs.filter((e) => e.event === "stop" || e.event === "start").map((e) => `${e.host} ${e.event}`);

  before(async () => {
    apiServerRestartWait.intervalMs = 200;
    authnReloadWait.intervalMs = 200;
    c = await TestCluster.start({
      controlPlanes: 3,
      workers: 0,
      fleet: { stepDurationsMs: { "apiserver-restart": 300, "apiserver-ready": 500, "apiserver-authn-reload": 300 } },
    });
    const r = await c.up();
    assert.deepEqual(errorsOf(r), []);
  });

  after(async () => {
    capture.restore();
    await c?.stop();
  });

  it("a Pod Security change restarts the API servers one control plane at a time, each back and healthy before the next", async () => {
    const n = events().length;
    const ids = await Promise.all(cps.map(container));
    assert.ok(ids.every(Boolean), "every control plane runs its API server");
    c.editBlueprint((bp) => (bp.security.podSecurity.enforce = "restricted"));
    const r = await c.up();
    assert.deepEqual(errorsOf(r), []);
    assert.deepEqual(r.updated.sort(), cps);
    const evs = since(n);
    // Strictly in turn: a server is stopped only once the one before it started again.
    assert.deepEqual(restartCycles(evs), cps.flatMap((h) => [`${h} stop`, `${h} start`]), evs.map((e) => `${e.host} ${e.event}`).join("\n"));
    const at = (h: string, ev: string) => evs.find((e) => e.host === h && e.event === ev)!.ms;
    for (let i = 1; i < cps.length; i++) {
      // ...and answered /readyz: the stand-in answers 500 ms after a start.
      assert.ok(at(cps[i], "stop") >= at(cps[i - 1], "start") + 500, `${cps[i]} stopped before ${cps[i - 1]} was ready`);
    }
    for (const [i, h] of cps.entries()) {
      const file = await c.fleet.host(h).readFile(kubeadmPaths.admissionConfigPath);
      assert.match(file, /enforce: restricted/);
      assert.equal(loaded(h)["admission-control-config-file"], await sha(h, kubeadmPaths.admissionConfigPath), `${h} runs with the new admission config`);
      assert.notEqual(await container(h), ids[i], `${h} runs a new container`);
      assert.equal(await c.fleet.host(h).exists(apiServerRestartPendingPath), false);
    }
    await c.refresh();
    for (const h of cps) assert.deepEqual(c.nodeState.get(h)!.observed.drift, [], h);
  });

  it("an OIDC change is reloaded by the running API servers, without a restart", async () => {
    const n = events().length;
    const ids = await Promise.all(cps.map(container));
    c.editBlueprint((bp) => (bp.oidc = { issuerUrl: "https://login.example.test/realms/ops", clientId: "kubernetes" }));
    const r = await c.up();
    assert.deepEqual(errorsOf(r), []);
    const evs = since(n);
    assert.deepEqual(restartCycles(evs), [], "no API server restarted");
    assert.deepEqual(
      evs.filter((e) => e.event === "reload").map((e) => `${e.host} ${e.detail}`),
      cps.map((h) => `${h} ok`),
    );
    for (const [i, h] of cps.entries()) {
      assert.match(await c.fleet.host(h).readFile(kubeadmPaths.authenticationConfigPath), /login\.example\.test/);
      assert.equal(loaded(h)["authentication-config"], await sha(h, kubeadmPaths.authenticationConfigPath), `${h} serves the new authentication config`);
      assert.equal(await container(h), ids[i], `${h} kept its container`);
      assert.equal(await c.fleet.host(h).exists(authnReloadPendingPath), false);
    }
  });

  it("an API server that does not come back stops the rollout at its node; the re-run resumes from there", async () => {
    const cp2 = c.fleet.host("cp-2");
    const timeout = apiServerRestartWait.timeoutMs;
    apiServerRestartWait.timeoutMs = 4_000;
    await cp2.breakStep("apiserver-start", true);
    const cp3Container = await container("cp-3");
    const cp3Admission = await sha("cp-3", kubeadmPaths.admissionConfigPath);
    c.editBlueprint((bp) => (bp.security.podSecurity.enforce = "baseline"));
    try {
      const r = await c.up();
      assert.deepEqual([...r.errors.keys()], ["cp-2"], errorsOf(r).join("\n"));
      assert.match(r.errors.get("cp-2")!.message, /kube-apiserver did not come back healthy within 4 s of its restart for the changed \/etc\/kubernetes\/clusterkit\/apiserver\/admission-config\.yaml/);
      assert.match(r.errors.get("cp-2")!.message, /the control planes after this one were left as they are/);
      assert.deepEqual(r.skipped, ["cp-3"]);
    } finally {
      apiServerRestartWait.timeoutMs = timeout;
    }
    assert.equal(await container("cp-3"), cp3Container, "cp-3 was not restarted");
    assert.equal(await sha("cp-3", kubeadmPaths.admissionConfigPath), cp3Admission, "cp-3's files were not touched");
    // The cluster still answers through the endpoint: cp-1 and cp-3 serve.
    const nodes = await c.fleet.host("cp-1").exec("kubectl --kubeconfig /etc/kubernetes/admin.conf get nodes -o name");
    assert.equal(nodes.code, 0, nodes.stderr);
    await c.refresh();
    assert.ok(c.nodeState.get("cp-2")!.observed.drift.includes("kube-apiserver has not restarted since a file it reads at start-up changed"), c.nodeState.get("cp-2")!.observed.drift.join("; "));

    await cp2.breakStep("apiserver-start", false);
    const n = events().length;
    const r = await c.up();
    assert.deepEqual(errorsOf(r), []);
    const evs = since(n);
    const cp2Ready = Math.max(...evs.filter((e) => e.host === "cp-2" && e.event === "start").map((e) => e.ms));
    const cp3Stop = evs.find((e) => e.host === "cp-3" && e.event === "stop")?.ms;
    assert.ok(cp3Stop !== undefined && cp3Stop >= cp2Ready + 500, "cp-3 restarts only once cp-2 is healthy again");
    for (const h of cps) {
      assert.match(await c.fleet.host(h).readFile(kubeadmPaths.admissionConfigPath), /enforce: baseline/);
      assert.equal(loaded(h)["admission-control-config-file"], await sha(h, kubeadmPaths.admissionConfigPath), h);
    }
    await c.refresh();
    for (const h of cps) assert.deepEqual(c.nodeState.get(h)!.observed.drift, [], h);
  });

  it("no token, certificate key, private key or kubeconfig in logs, errors or state", () => {
    const secrets = secretsSeen(capture.exchanges, c.fleet.clientKey.privateKeyPem);
    assert.ok(secrets.length > 0);
    const state = c.serializedState({ withSecretOutputs: false });
    assert.deepEqual(leaks([{ where: "provider log", text: c.logs.join("\n") }, { where: "errors", text: c.errors.join("\n") }, { where: "state", text: state }], secrets), []);
  });
});
