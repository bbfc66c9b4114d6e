// Bare metal over real SSH: kubeadm's certificates, issued for a year, renewed by `pulumi up`
// before they expire. The control planes' certificates are re-issued on the hosts to expire in 20
// days (a cluster 345 days old); `pulumi refresh` reports it, `pulumi up` renews them with
// `kubeadm certs renew all` one control plane at a time, restarting each API server and waiting
// for it, and the admin kubeconfig in state is the renewed one. The stand-in kubeadm reads and
// writes the real certificate files (test/hosts/standins/lib/kubeadm-certs.sh).
// Needs root (test/hosts/setup-deps.sh).
import assert from "node:assert/strict";
import { X509Certificate } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { parse } from "yaml";
import { apiServerRestartWait } from "../providers/kubeadm/phases/restart-apiserver";
import { errorsOf, TestCluster } from "./baremetal/cluster";
import { captureExchanges, leaks, secretsSeen } from "./baremetal/secrets-grep";
import { describeCall } from "./baremetal/standin-log";

const cps = ["cp-1", "cp-2", "cp-3"];
const day = 86_400_000;

/** Re-issues a control plane's API server certificate and admin kubeconfig to expire in `days`. */
const ageCertificates = (days: number) => `CLUSTERKIT_STANDIN_NOLOG=1 PKI_DAYS=${days} bash -c '
source /usr/local/lib/clusterkit-standin/lib/common.sh
source "$STANDIN_LIB/pki.sh"
source "$STANDIN_LIB/kubeadm-certs.sh"
pki_leaf /etc/kubernetes/pki/ca /etc/kubernetes/pki/apiserver /CN=kube-apiserver
_certs_kubeconfig /etc/kubernetes/admin.conf "" kubernetes-admin "/O=kubeadm:cluster-admins/CN=kubernetes-admin"'`;

const kubeconfigExpiry = (kubeconfig: string) => {
  const doc = parse(kubeconfig) as { users: { user: { "client-certificate-data": string } }[] };
  return new Date(new X509Certificate(Buffer.from(doc.users[0].user["client-certificate-data"], "base64")).validTo).getTime();
};

describe("bare metal over SSH: certificate renewal", () => {
  let c: TestCluster;
  const capture = captureExchanges();
  const events = () => fs.readFileSync(path.join(c.fleet.clusterStateDir, "apiservers", "events.log"), "utf8").split("\n").filter(Boolean);

  before(async () => {
    apiServerRestartWait.intervalMs = 200;
    c = await TestCluster.start({ controlPlanes: 3, workers: 0 });
    const r = await c.up();
    assert.deepEqual(errorsOf(r), []);
  });

  after(async () => {
    capture.restore();
    await c?.stop();
  });

  it("refresh reports certificates that expire within renewBeforeDays; up renews them one control plane at a time and refreshes the kubeconfig in state", async () => {
    for (const h of cps) {
      const r = await c.fleet.host(h).exec(ageCertificates(20));
      assert.equal(r.code, 0, r.stderr);
    }
    await c.refresh();
    for (const h of cps) {
      const o = c.nodeState.get(h)!.observed;
      assert.ok(o.certificatesExpire && Date.parse(o.certificatesExpire) < Date.now() + 21 * day, `${h}: ${o.certificatesExpire}`);
      assert.ok(o.drift.some((d) => /^its certificates expire on \d{4}-\d\d-\d\d \((apiserver|admin\.conf), (19|20) days left\); pulumi up renews them$/.test(d)), `${h}: ${o.drift.join("; ")}`);
    }
    const stale = new Map(cps.map((h) => [h, c.nodeState.get(h)!.kubeconfig]));

    const before = await c.calls();
    const n = events().length;
    const r = await c.up();
    assert.deepEqual(errorsOf(r), [], c.logs.slice(-15).join("\n"));
    const renewals = [...(await c.calls())].flatMap(([h, calls]) =>
      calls
        .slice(before.get(h)?.length ?? 0)
        .filter((x) => describeCall(x) === "kubeadm certs renew all")
        .map((x) => ({ h, at: Date.parse(x.time) })),
    );
    assert.deepEqual(renewals.map((x) => x.h), cps, "each control plane once");
    // One at a time: a control plane renews only after the one before restarted its API server.
    const restarts = events().slice(n).map((l) => l.split(" ")).filter(([, , ev]) => ev === "stop" || ev === "start").map(([, h, ev]) => `${h} ${ev}`);
    assert.deepEqual(restarts, cps.flatMap((h) => [`${h} stop`, `${h} start`]));
    for (const h of cps) {
      const out = await c.fleet.host(h).exec("kubeadm certs check-expiration -o json");
      const certs = (JSON.parse(out.stdout) as { certificates: { name: string; residualTime: number; missing: boolean }[] }).certificates.filter((x) => !x.missing);
      assert.ok(certs.every((x) => x.residualTime > 360 * 86_400), `${h}: ${certs.map((x) => `${x.name} ${Math.round(x.residualTime / 86_400)}d`).join(", ")}`);
    }
    for (const h of cps) {
      const now = c.nodeState.get(h)!.kubeconfig;
      assert.notEqual(now, stale.get(h), h);
      assert.ok(kubeconfigExpiry(now) > Date.now() + 360 * day, `${h}: the kubeconfig in state is the renewed one`);
    }
    await c.refresh();
    for (const h of cps) assert.deepEqual(c.nodeState.get(h)!.observed.drift, [], h);

    const quiet = await c.calls();
    const again = await c.up();
    assert.deepEqual(errorsOf(again), []);
    assert.deepEqual([...TestCluster.mutatingSince(quiet, await c.calls())].map(([h, cs]) => `${h}: ${cs.map(describeCall).join("; ")}`), []);
  });

  it("no token, certificate key, private key or kubeconfig in logs, errors or state", () => {
    const secrets = secretsSeen(capture.exchanges, c.fleet.clientKey.privateKeyPem);
    assert.ok(secrets.length > 0);
    const state = c.serializedState({ withSecretOutputs: false });
    assert.deepEqual(leaks([{ where: "provider log", text: c.logs.join("\n") }, { where: "errors", text: c.errors.join("\n") }, { where: "state", text: state }], secrets), []);
  });
});
