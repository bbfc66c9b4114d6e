/**
 * Scheduled etcd snapshots, the pure parts: the rendered script passes shellcheck; the header it
 * builds with awk from takeScript's output is one the bundle schema accepts (run with the awk the
 * hosts have); the MAC it computes from the node key file's padded keys is HMAC-SHA256 under the
 * node seal (run with openssl); what refresh calls stale; the schedule's secret requirement.
 * The timer itself runs on the host fleet (baremetal-etcd-schedule.test.ts).
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, it } from "node:test";
import { bundleHeaderSchema, nodeKeyFile, nodeSeal, sealOf, stackSeal } from "../core/backup/bundle";
import { headerAwk, parseNodeBundles, scheduledSnapshotScript, serviceUnit, timerUnit } from "../providers/kubeadm/cluster/etcd-schedule";
import { staleness } from "../providers/kubeadm/phases/etcd-snapshot-schedule";
import { etcdSnapshotInputs } from "../providers/kubeadm/plan";
import { blueprintRaw, resolveRaw, stackConfigRaw } from "./support/fixtures";

const backupKey = "a backup key of at least thirty-two characters";
const taken = `status {"hash":3453457,"revision":42,"totalKey":17,"totalSize":20480,"version":"3.6.0"}
sha256 ${"ab".repeat(32)}
bytes 20512
endpoint [{"Endpoint":"https://127.0.0.1:2379","Status":{"header":{"cluster_id":1},"version":"3.6.4","storageVersion":"3.6.0","dbSize":20480}}]
member 8e9e05c52164694d, started, cp-1, https://10.0.0.11:2380, https://10.0.0.11:2379, false
member 91bc3c398fb3c146, unstarted, , https://10.0.0.12:2380 https://[fd00::12]:2380, , true
file etc/kubernetes/pki/ca.key
`;
const header = (input: string) =>
  execFileSync("awk", ["-v", `id=${"0".repeat(32)}`, "-v", "keyid=0123456789abcdef", "-v", "cluster=metal", "-v", "stack=metal", "-v", "taken=2026-12-04T00:00:00.000Z", "-v", "node=cp-1", "-v", "kver=1.34.1", headerAwk], { input }).toString();

describe("scheduled etcd snapshots", () => {
  it("the script and units render, and the script passes shellcheck", () => {
    const script = scheduledSnapshotScript({ cluster: "metal-ber1", stack: "metal-ber1", node: "cp-1", kubernetesVersion: "1.34.1", keepOnNode: 3 });
    execFileSync("shellcheck", ["-s", "bash", "-"], { input: script });
    const timer = timerUnit("metal-ber1", { kind: "systemd-timer", onCalendar: "*-*-* 00/6:00:00", randomizedDelaySeconds: 60, keepOnNode: 3, maxAgeHours: 7 });
    assert.match(timer, /^OnCalendar=\*-\*-\* 00\/6:00:00$/m);
    assert.match(timer, /^Persistent=true$/m);
    assert.match(serviceUnit("metal-ber1"), /^ConditionPathExists=\/etc\/kubernetes\/manifests\/etcd\.yaml$/m);
  });

  it("the header awk builds is a valid bundle header, and a missing field fails it", () => {
    const h = bundleHeaderSchema.parse(JSON.parse(header(taken)));
    assert.deepEqual(h.members, [
      { name: "cp-1", peerUrls: ["https://10.0.0.11:2380"] },
      { name: "", peerUrls: ["https://10.0.0.12:2380", "https://[fd00::12]:2380"] },
    ]);
    assert.deepEqual(h.snapshot, { sha256: "ab".repeat(32), bytes: 20512, revision: 42, totalKeys: 17, hash: 3453457 });
    assert.equal(h.etcdVersion, "3.6.4");
    assert.throws(() => header(taken.replace(/^endpoint .*$/m, "")));
    assert.throws(() => header(taken.replace("cp-1,", 'cp"1,')), "a quote is refused, not escaped wrongly");
  });

  it("the node's two-pass MAC over the padded keys is HMAC-SHA256 under the node seal; the seals are told apart by key id", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "clusterkit-nodekey-"));
    try {
      fs.writeFileSync(path.join(dir, "key"), nodeKeyFile(backupKey, "metal"), { mode: 0o600 });
      fs.writeFileSync(path.join(dir, "data"), "a bundle's header and payload");
      const viaShell = execFileSync("bash", ["-c", `cd ${dir} && { sed -n 2p key | base64 -d; cat data; } | openssl dgst -sha256 -binary > inner && { sed -n 3p key | base64 -d; cat inner; } | openssl dgst -sha256 -binary | od -An -tx1 | tr -d ' \\n'`]).toString();
      assert.equal(viaShell, nodeSeal(backupKey, "metal").mac("").update("a bundle's header and payload").digest("hex"));
      assert.equal(fs.readFileSync(path.join(dir, "key"), "utf8").split("\n")[3], nodeSeal(backupKey, "metal").keyId);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    assert.equal(sealOf(backupKey, { keyId: nodeSeal(backupKey, "metal").keyId, cluster: "metal" })?.sealedOn, "node");
    assert.equal(sealOf(backupKey, { keyId: stackSeal(backupKey).keyId, cluster: "metal" })?.sealedOn, "clusterkit");
    assert.equal(sealOf(backupKey, { keyId: nodeSeal(backupKey, "metal").keyId, cluster: "other" }), null, "another cluster's node key");
    assert.equal(nodeKeyFile(backupKey, "metal").includes(backupKey), false);
  });

  it("refresh calls a node stale without a bundle, with an old one, or after a failed run", () => {
    const now = new Date("2026-12-04T12:00:00.000Z");
    const out = (lines: string) => parseNodeBundles(lines, "metal");
    assert.match(staleness(out("timer enabled active"), 3, now)!, /no scheduled etcd snapshot/);
    const fresh = "bundle metal-20261204T113000.000Z-0a1b2c3d.etcd-bundle 2048\nbundle other-20261204T115000.000Z-0a1b2c3d.etcd-bundle 9\ntimer enabled active";
    assert.equal(staleness(out(fresh), 3, now), null);
    assert.equal(out(fresh).bundles.length, 1, "another cluster's bundle is not this one's");
    assert.match(staleness(out(fresh), 3, new Date("2026-12-04T15:00:00.000Z"))!, /3\.5 h old \(backup\.etcd\.schedule\.maxAgeHours: 3\)/);
    assert.match(staleness(out(`${fresh}\nfailure ${Date.parse("2026-12-04T11:40:00.250Z") / 1000} exit 4 while checking free space`), 3, now)!, /last run failed at 2026-12-04T11:40:00.250Z: exit 4 while checking free space/);
    assert.equal(staleness(out(`${fresh}\nfailure ${Date.parse("2026-12-04T11:00:00.000Z") / 1000} exit 1 while taking the snapshot`), 3, now), null, "a failure a later good run followed is over");
    assert.equal(out("timer disabled inactive").timer.active, false);
  });

  it("a schedule needs the backup key and lands on control planes only", () => {
    const bp = blueprintRaw("baremetal-ha");
    bp.backup = { etcd: { schedule: { kind: "systemd-timer" } } };
    const { spec } = resolveRaw("baremetal-ha", bp, "metal-ber1", stackConfigRaw("metal-ber1"));
    assert.equal(spec.secrets.find((s) => s.key === "clusterkit:backupKey")?.required, true);
    assert.deepEqual(spec.backup.etcd.schedule, { kind: "systemd-timer", onCalendar: "hourly", randomizedDelaySeconds: 300, keepOnNode: 3, maxAgeHours: 3 });
    const cp = spec.nodes.find((n) => n.role === "control-plane")!;
    const worker = spec.nodes.find((n) => n.role === "worker")!;
    assert.deepEqual(etcdSnapshotInputs(spec, cp)?.files.map((f) => f.mode), ["0700", "0644", "0644"]);
    assert.equal(etcdSnapshotInputs(spec, worker), null);
  });
});
