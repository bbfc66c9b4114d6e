// The pure parts of a kubeadm upgrade: what a version step is, the rendered package scripts (for
// both OS families, through shellcheck), and that the preview's inputs tell an upgrade from a
// reconfiguration. The host-fleet scenarios are in baremetal-upgrade.test.ts.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { describe, it } from "node:test";
import { upgradePackagesScript, versionStep } from "../core/render/kubeadm/upgrade";
import { kubeadmKubernetes } from "../core/versions";
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
