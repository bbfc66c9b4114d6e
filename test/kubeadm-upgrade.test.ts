// The pure parts of a kubeadm upgrade: what a version step is, the rendered package scripts (for
// both OS families, through shellcheck), that the preview's inputs tell an upgrade from a
// reconfiguration, and the preflight's rules. The host-fleet scenarios are in baremetal-upgrade.test.ts.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, it } from "node:test";
import { upgradePackagesScript, versionStep } from "../core/render/kubeadm/upgrade";
import { kubeadmKubernetes } from "../core/versions";
import { expiries, firstExpiry } from "../providers/kubeadm/cluster/certs";
import { parseAlarms } from "../providers/kubeadm/cluster/etcd";
import { keptUpgradeSnapshots, pruneSnapshotsScript } from "../providers/kubeadm/cluster/upgrade";
import { apiServerVersionsProblem, backupSpaceProblem, certificateProblem, etcdAlarmProblem, kubeletSkewProblem } from "../providers/kubeadm/phases/upgrade/checks";
import { clusterConfigBase, clusterConfigHash } from "../providers/kubeadm/plan";
import { hostileSpec, stackSpec, withVersion } from "./render-kubeadm-specs";

describe("version steps", () => {
  it("one minor or a patch up; never two minors or down", () => {
    assert.deepEqual(versionStep("1.33.5", "1.34.1"), { kind: "minor", from: "1.33.5", to: "1.34.1" });
    assert.deepEqual(versionStep("v1.34.1", "1.34.3"), { kind: "patch", from: "1.34.1", to: "1.34.3" });
    assert.deepEqual(versionStep("v1.34.1", "v1.34.1"), { kind: "same" });
    assert.equal(versionStep("1.33.5", "1.35.0").kind, "refused");
    assert.equal(versionStep("1.34.1", "1.33.9").kind, "refused");
    assert.equal(versionStep("1.34.3", "1.34.1").kind, "refused");
    const far = versionStep("1.32.9", "1.35.0");
    assert.ok(far.kind === "refused" && /3 minors ahead/.test(far.message) && /upgrade to 1\.33 first/.test(far.hint));
  });
});

describe("upgrade package scripts", () => {
  const spec = stackSpec("metal-ber1");
  it("switch to the target minor's repository and move only the packages named, past their hold", () => {
    const kubeadm = upgradePackagesScript(spec, ["kubeadm"]);
    assert.match(kubeadm, new RegExp(`/v${spec.kubernetes.minor}/deb/`));
    assert.match(kubeadm, /apt-mark unhold kubeadm >\/dev\/null\n.*--allow-change-held-packages "\$\{pins\[@\]\}"\n\s*apt-mark hold kubeadm/s);
    assert.match(kubeadm, new RegExp(`--disableexcludes=kubernetes 'kubeadm-${spec.kubernetes.version.replace(/\./g, "\\.")}'`));
    assert.doesNotMatch(kubeadm, /kubelet=|'kubelet-/);
    const kubelet = upgradePackagesScript(spec, ["kubelet", "kubectl"]);
    assert.match(kubelet, /wanted=\(kubelet kubectl\)/);
  });

  it("pass shellcheck for every supported minor, and with shell metacharacters in every value", () => {
    const specs = [...Object.values(kubeadmKubernetes).map((v) => withVersion(spec, v)), hostileSpec()];
    for (const s of specs) {
      for (const pkgs of [["kubeadm"], ["kubelet", "kubectl"]] as const) {
        const r = spawnSync("shellcheck", ["-s", "bash", "-e", "SC2016", "-"], { input: upgradePackagesScript(s, pkgs), encoding: "utf8" });
        assert.equal(r.status, 0, `${s.stack} ${s.kubernetes.version} ${pkgs.join(",")}\n${r.stdout}`);
      }
    }
  });
});

describe("the preview's view of an upgrade", () => {
  it("the version-free hash stays for an upgrade and moves with any other cluster-wide change", () => {
    const spec = stackSpec("metal-ber1");
    const cp = spec.nodes.find((n) => n.role === "control-plane")!;
    const next = withVersion(spec, kubeadmKubernetes["1.35"]);
    assert.notEqual(clusterConfigHash(spec, cp), clusterConfigHash(next, cp));
    assert.equal(clusterConfigBase(spec, cp), clusterConfigBase(next, cp));
    const other = { ...next, networking: { ...next.networking, dnsDomain: "example.internal" } };
    assert.notEqual(clusterConfigBase(other, cp), clusterConfigBase(spec, cp));
  });
});

describe("upgrade preflight rules", () => {
  const t = "v1.35.0";
  it("the API servers agree before an upgrade, or show the mix of one under way; one that does not answer refuses", () => {
    const at = (...vs: (string | null)[]) => vs.map((version, i) => ({ name: `cp-${i + 1}`, version }));
    assert.equal(apiServerVersionsProblem(at("v1.34.1", "v1.34.1", "v1.34.1"), "v1.34.1", t), null);
    const split = apiServerVersionsProblem(at("v1.34.1", "v1.34.3", "v1.34.1"), "v1.34.1", t);
    assert.match(split?.message ?? "", /disagree on their version \(cp-1 v1\.34\.1, cp-2 v1\.34\.3, cp-3 v1\.34\.1\)/);
    assert.match(split?.hint ?? "", /kubeadm upgrade node/);
    // Applied (kubeadm recorded the target): the target next to the one version it came from.
    assert.equal(apiServerVersionsProblem(at(t, "v1.34.1", "v1.34.1"), t, t), null);
    assert.equal(apiServerVersionsProblem(at(t, t, t), t, t), null);
    assert.match(apiServerVersionsProblem(at(t, "v1.34.1", "v1.34.3"), t, t)?.message ?? "", /not the one version/);
    assert.match(apiServerVersionsProblem(at(t, "v1.33.5", "v1.33.5"), t, t)?.message ?? "", /not the one version/);
    assert.match(apiServerVersionsProblem(at("v1.34.1", null, "v1.34.1"), "v1.34.1", t)?.message ?? "", /API server on cp-2 does not answer/);
  });

  it("kubelets: never newer than the API servers, at most 3 minors older than the target", () => {
    const n = (name: string, kubeletVersion: string | null) => ({ name, kubeletVersion });
    assert.equal(kubeletSkewProblem([n("a", "v1.34.1"), n("b", "v1.32.0"), n("c", null)], t), null);
    const old = kubeletSkewProblem([n("a", "v1.34.1"), n("edge-1", "v1.31.4")], t);
    assert.match(old?.message ?? "", /edge-1 \(v1\.31\.4\) would be more than 3 minors older than the API servers at v1\.35\.0/);
    assert.match(old?.hint ?? "", /to 1\.32 or later/);
    assert.match(kubeletSkewProblem([n("a", "v1.35.2")], t)?.message ?? "", /a \(v1\.35\.2\) is newer than v1\.35\.0/);
  });

  it("etcd alarms refuse, named by member (alarm list prints ids in decimal, member list in hex)", () => {
    const out = "memberID:3319814642761637952 alarm:NOSPACE \n";
    const alarms = parseAlarms(out);
    assert.deepEqual(alarms, [{ memberId: "3319814642761637952", alarm: "NOSPACE" }]);
    const members = [{ id: BigInt("3319814642761637952").toString(16), started: true, name: "cp-2", peerUrls: [], clientUrls: [], learner: false }];
    const p = etcdAlarmProblem(alarms, members);
    assert.match(p?.message ?? "", /NOSPACE on member cp-2/);
    assert.match(p?.hint ?? "", /etcdctl defrag.*etcdctl alarm disarm/);
    assert.equal(etcdAlarmProblem(parseAlarms(""), members), null);
  });

  it("certificates: a CA ending within a day refuses anywhere; another control plane's certificate too; this node's own is renewed by its upgrade", () => {
    const now = new Date("2026-12-01T00:00:00Z");
    const json = (leaf: string, ca: string) =>
      JSON.stringify({ certificates: [{ name: "apiserver", expirationDate: leaf }, { name: "etcd-peer", missing: true }], certificateAuthorities: [{ name: "front-proxy-ca", expirationDate: ca }] });
    const fine = expiries(json("2027-06-01T00:00:00Z", "2036-01-01T00:00:00Z"));
    const soonLeaf = expiries(json("2026-12-01T12:00:00Z", "2036-01-01T00:00:00Z"));
    const soonCa = expiries(json("2027-06-01T00:00:00Z", "2026-12-01T20:00:00Z"));
    assert.deepEqual(soonCa.map((e) => [e.name, e.ca]), [["front-proxy-ca", true], ["apiserver", false]]);
    assert.deepEqual(firstExpiry(json("2027-06-01T00:00:00Z", "2026-12-01T20:00:00Z")), { name: "apiserver", date: new Date("2027-06-01T00:00:00Z") });
    assert.equal(certificateProblem([{ name: "cp-1", self: true, expiries: soonLeaf }, { name: "cp-2", self: false, expiries: fine }], now), null);
    const ca = certificateProblem([{ name: "cp-1", self: true, expiries: soonCa }], now);
    assert.match(ca?.message ?? "", /CA front-proxy-ca on cp-1 \(expires 2026-12-01T20:00:00Z\) ends within the upgrade's margin of 24 h; kubeadm renews .* never the CA itself/);
    assert.match(ca?.hint ?? "", /manual-rotation-of-ca-certificates/);
    const peer = certificateProblem([{ name: "cp-1", self: true, expiries: fine }, { name: "cp-2", self: false, expiries: soonLeaf }], now);
    assert.match(peer?.message ?? "", /apiserver on cp-2 .* before the upgrade reaches that control plane/);
    assert.equal(certificateProblem([{ name: "cp-2", self: false, expiries: soonLeaf }], new Date("2026-11-01T00:00:00Z")), null);
  });

  it("disk: kubeadm's backups (etcd data dir + manifests) plus a margin on /etc/kubernetes/tmp's file system, and the snapshot next to etcd", () => {
    const mib = 1024;
    const space = (backupFree: number, etcdFree: number, sameFs: boolean) => ({
      backup: { mount: sameFs ? "/" : "/etc", availKiB: backupFree * mib },
      etcd: { mount: sameFs ? "/" : "/var/lib", availKiB: etcdFree * mib },
      etcdKiB: 900 * mib,
      manifestsKiB: 20,
    });
    assert.equal(backupSpaceProblem(space(2000, 2000, false), true), null);
    const small = backupSpaceProblem(space(1000, 5000, false), false);
    assert.match(small?.message ?? "", /the file system at \/etc has 1000 MiB free, but kubeadm's backup of the etcd data dir and the static pod manifests \(\/etc\/kubernetes\/tmp\) need 901 MiB, plus 512 MiB kept free \(1413 MiB in all\)/);
    // One file system for both: the backup and the snapshot add up.
    assert.equal(backupSpaceProblem(space(2000, 2000, true), false), null);
    assert.match(backupSpaceProblem(space(2000, 2000, true), true)?.message ?? "", /at \/ has 2000 MiB free, but .* and the etcd snapshot need 1801 MiB/);
  });
});

describe("pre-upgrade etcd snapshots on the node", () => {
  it("only the newest few are kept, other files are left alone, and the script passes shellcheck", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "clusterkit-snapshots-"));
    try {
      const names = ["before-v1.33.5-20260101T000000Z.db", "before-v1.34.1-20260301T000000Z.db", "before-v1.32.9-20260501T000000Z.db", "before-v1.35.0-20260701T000000Z.db", "before-v1.36.3-20260901T000000Z.db"];
      // Modification times in the order taken; the version in a name says nothing about its age.
      names.forEach((n, i) => {
        fs.writeFileSync(path.join(dir, n), "db");
        fs.utimesSync(path.join(dir, n), 1_700_000_000 + i * 1000, 1_700_000_000 + i * 1000);
      });
      fs.writeFileSync(path.join(dir, "keep-me.txt"), "not a snapshot");
      fs.writeFileSync(path.join(dir, "manual 2026.db"), "taken by hand");
      const script = pruneSnapshotsScript(dir, "before-", keptUpgradeSnapshots);
      const r = spawnSync("bash", ["-euo", "pipefail", "-c", script], { encoding: "utf8" });
      assert.equal(r.status, 0, r.stderr);
      assert.deepEqual(fs.readdirSync(dir).sort(), [...names.slice(-keptUpgradeSnapshots), "keep-me.txt", "manual 2026.db"].sort());
      const again = spawnSync("bash", ["-euo", "pipefail", "-c", script], { encoding: "utf8" });
      assert.equal(again.status, 0, "nothing left to remove is no error");
      const sc = spawnSync("shellcheck", ["--shell=bash", "--severity=style", "-"], { input: script, encoding: "utf8" });
      assert.equal(sc.status, 0, sc.stdout);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
