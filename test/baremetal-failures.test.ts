// Bare metal over real SSH when things go wrong: a worker's join fails, a connection is cut in
// the middle of a step, a node is left half-joined, a host presents the wrong key, a user has no
// passwordless sudo. Each time the re-run must finish the job and touch nothing else, and a
// refusal must say why. Needs root (test/hosts/setup-deps.sh).
import assert from "node:assert/strict";
import * as net from "node:net";
import { after, before, describe, it } from "node:test";
import { isSshError } from "../providers/ssh";
import { hostPreparation } from "../providers/kubeadm/runtime";
import { TestCluster } from "./baremetal/cluster";
import { captureExchanges, leaks, secretsSeen } from "./baremetal/secrets-grep";
import { describeCall } from "./baremetal/standin-log";

const summary = (m: Map<string, { tool: string; argv: string[] }[]>) => [...m].map(([h, cs]) => `${h}: ${cs.map((c) => describeCall(c as never)).join("; ")}`);

async function waitFor(what: string, fn: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await fn())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe("bare metal over SSH: failures and refusals", () => {
  let c: TestCluster;
  const capture = captureExchanges();

  before(async () => {
    c = await TestCluster.start({
      controlPlanes: 1,
      workers: 3,
      users: [
        { name: "deploy", sudo: "nopasswd" },
        { name: "ops", sudo: "none" },
      ],
      // w-3 is reached as a non-root user with passwordless sudo.
      sshUser: { "w-3": "deploy" },
      fleet: { failOnce: [{ host: "w-2", step: "join" }] },
    });
  });

  after(async () => {
    capture.restore();
    await c?.stop();
  });

  it("one worker's join fails; the re-run joins it without touching the others", async () => {
    const first = await c.up();
    assert.deepEqual([...first.errors.keys()], ["w-2"]);
    assert.match(first.errors.get("w-2")!.message, /host w-2 \(10\.77\.\d+\.\d+\): kubeadm-join: command failed/);
    for (const n of ["cp-1", "w-1", "w-3"]) assert.equal(c.nodeState.get(n)?.observed.registered, true, n);

    const before = await c.calls();
    const second = await c.up();
    assert.deepEqual([...second.errors.keys()], []);
    assert.equal(c.nodeState.get("w-2")!.observed.registered, true);
    const mutating = TestCluster.mutatingSince(before, await c.calls());
    assert.deepEqual([...mutating.keys()].sort(), ["cp-1", "w-2"], summary(mutating).join("\n"));
    // On the first control plane, only the token for w-2's join (made, then deleted) and the
    // approval of w-2's kubelet serving CSR.
    const words = (x: { tool: string; argv: string[] }) => `${x.tool} ${x.argv.filter((a) => a !== "--kubeconfig" && a !== "/etc/kubernetes/admin.conf").slice(0, 2).join(" ")}`;
    assert.deepEqual(mutating.get("cp-1")!.map(words), ["kubeadm token create", "kubeadm token delete", "kubectl certificate approve"]);
    const approved = mutating.get("cp-1")!.find((x) => x.tool === "kubectl")!.argv.at(-1)!;
    const csr = JSON.parse((await c.fleet.host("cp-1").exec(`kubectl --kubeconfig /etc/kubernetes/admin.conf get csr ${approved} -o json`)).stdout) as { spec: { username: string } };
    assert.equal(csr.spec.username, "system:node:w-2");
    assert.ok(mutating.get("w-2")!.some((x) => x.tool === "kubeadm" && x.argv[0] === "join"));
  });

  it("a non-root user with passwordless sudo bootstraps its host through sudo -n", async () => {
    assert.equal(c.nodeState.get("w-3")!.observed.registered, true);
    const calls = (await c.calls()).get("w-3")!;
    const join = calls.find((x) => x.tool === "kubeadm" && x.argv[0] === "join")!;
    assert.equal(join.user, "root");
    assert.equal(join.sudoUser, "deploy");
  });

  it("an SSH connection cut in the middle of a join: the join is not re-run blindly, the next run finishes it", async () => {
    await c.fleet.host("w-1").exec("kubeadm reset -f >/dev/null 2>&1; kubectl --kubeconfig /dev/null version >/dev/null 2>&1 || true");
    await c.fleet.host("cp-1").exec("kubectl --kubeconfig /etc/kubernetes/admin.conf delete node w-1");
    c.nodeState.delete("w-1");
    // Long enough that a loaded CI machine still sees the join running before the cut.
    await c.fleet.setStepDuration("join", 5000);
    try {
      const run = c.up(["w-1"]);
      await waitFor("kubeadm join to start on w-1", async () => (await c.fleet.host("w-1").exec("pgrep -f '[k]ubeadm join' >/dev/null")).code === 0);
      await c.fleet.cutConnections("w-1");
      const r = await run;
      const err = r.errors.get("w-1");
      assert.ok(err && isSshError(err, "connection-lost"), `${String(err)}\n${c.logs.slice(-12).join("\n")}`);
      assert.match(err.message, /was not re-run/);
    } finally {
      await c.fleet.setStepDuration("join", 0);
    }
    const again = await c.up(["w-1"]);
    assert.deepEqual([...again.errors].map(([k, e]) => `${k}: ${e.message}`), []);
    assert.equal(c.nodeState.get("w-1")!.observed.registered, true);
    assert.deepEqual(c.nodeState.get("w-1")!.observed.drift, []);
  });

  it("a half-joined node (kubelet.conf but no node object) is cleaned and joined again", async () => {
    await c.fleet.host("cp-1").exec("kubectl --kubeconfig /etc/kubernetes/admin.conf delete node w-2");
    await c.refresh();
    assert.deepEqual(c.nodeState.get("w-2")!.observed.drift, ["the node is not registered in the cluster"]);
    const before = await c.calls();
    const r = await c.up(["w-2"]);
    assert.deepEqual([...r.errors].map(([k, e]) => `${k}: ${e.message}`), []);
    const w2 = TestCluster.mutatingSince(before, await c.calls()).get("w-2")!.map(describeCall);
    const reset = w2.findIndex((x) => x.startsWith("kubeadm reset"));
    const join = w2.findIndex((x) => x.startsWith("kubeadm join"));
    assert.ok(reset >= 0 && join > reset, w2.join("\n"));
    assert.equal(c.nodeState.get("w-2")!.observed.registered, true);
  });

  it("a host presenting another key than the pinned one is refused, and nothing runs on it", async () => {
    const before = (await c.calls()).get("w-1")!.length;
    const inputs = c.inputs("w-1").prep;
    const wrong = c.fleet.host("w-2").hostKeyFingerprint;
    const real = c.fleet.host("w-1").hostKeyFingerprint;
    await assert.rejects(hostPreparation.create({ ...inputs, ssh: { ...inputs.ssh, hostKey: wrong } }), (e: unknown) => {
      assert.ok(isSshError(e, "host-key"), String(e));
      assert.ok(e.message.includes(`presented ssh-ed25519 key ${real}`), e.message);
      assert.ok(e.message.includes(`pins ${wrong}`), e.message);
      c.errors.push(e.message);
      return true;
    });
    await assert.rejects(hostPreparation.create({ ...inputs, ssh: { ...inputs.ssh, hostKey: null } }), (e: unknown) => {
      assert.ok(isSshError(e, "host-key"), String(e));
      assert.match(e.message, /unknown host key/);
      assert.match(e.issues[0].hint ?? "", /ssh-keyscan -p 22 10\.77\.\d+\.\d+ \| ssh-keygen -lf -/);
      return true;
    });
    assert.equal((await c.calls()).get("w-1")!.length, before, "no command ran on the host");
    // Trust on first use is an explicit opt-in, and prints the fingerprint to pin.
    const seen = c.logs.length;
    await hostPreparation.create({ ...inputs, ssh: { ...inputs.ssh, hostKey: null }, connection: { ...inputs.connection, trustOnFirstUse: true } });
    assert.ok(c.logs.slice(seen).some((l) => l.includes(`trust on first use`) && l.includes(real)), c.logs.slice(seen).join("\n"));
  });

  it("a user without passwordless sudo is refused with a message that says so", async () => {
    const inputs = c.inputs("w-1").prep;
    const before = await c.calls();
    await assert.rejects(hostPreparation.create({ ...inputs, ssh: { ...inputs.ssh, user: "ops" } }), (e: unknown) => {
      assert.ok(isSshError(e, "sudo"), String(e));
      assert.match(e.message, /user ops cannot run commands as root without a password \(sudo -n refused\)/);
      assert.match(e.issues[0].hint ?? "", /NOPASSWD/);
      c.errors.push(e.message);
      return true;
    });
    assert.deepEqual(summary(TestCluster.mutatingSince(before, await c.calls())), []);
  });

  it("reaches a host through a bastion (its key pinned too), over a TCP_NODELAY socket", async () => {
    const cp1 = c.fleet.host("cp-1");
    const inputs = c.inputs("w-1").prep;
    const bastion = { address: cp1.address, port: 22, user: "root", hostKey: cp1.hostKeyFingerprint };
    const noDelay: boolean[] = [];
    const original = net.Socket.prototype.setNoDelay;
    net.Socket.prototype.setNoDelay = function (this: net.Socket, v?: boolean) {
      noDelay.push(v !== false);
      return original.call(this, v);
    };
    try {
      const out = await hostPreparation.create({ ...inputs, connection: { ...inputs.connection, bastion } });
      assert.equal(out.outs.os, "debian");
    } finally {
      net.Socket.prototype.setNoDelay = original;
    }
    assert.deepEqual(noDelay, [true], "one new TCP connection (to the bastion), Nagle off");
    await assert.rejects(
      hostPreparation.create({ ...inputs, connection: { ...inputs.connection, bastion: { ...bastion, hostKey: c.fleet.host("w-2").hostKeyFingerprint } } }),
      (e: unknown) => isSshError(e, "host-key") && /bastion\.hostKey/.test((e as Error).message),
    );
  });

  it("no token, certificate key, private key or kubeconfig in logs, errors or state", () => {
    const secrets = secretsSeen(capture.exchanges, c.fleet.clientKey.privateKeyPem);
    assert.ok(secrets.some((s) => s.label === "bootstrap token"));
    const texts = [
      { where: "provider log", text: c.logs.join("\n") },
      { where: "errors", text: c.errors.join("\n") },
      { where: "state", text: c.serializedState({ withSecretOutputs: false }) },
    ];
    assert.deepEqual(leaks(texts, secrets), []);
  });
});
