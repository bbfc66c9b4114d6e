/** The host-preparation renderer: which steps, in which order, with which values. */
import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { describe, it } from "node:test";
import { ClusterkitError } from "../core/errors";
import { hostArtifacts, hostSteps, hostStepsHash, kubernetesPackages, proxySettings } from "../core/render/host";
import { heredoc, shQuote } from "../core/render/host/shell";
import { kubeletConfiguration } from "../core/render/kubeadm/kubelet";
import { stackSpec, withProxy, withVersion } from "./render-kubeadm-specs";

const names = (spec: Parameters<typeof hostSteps>[0]) => hostSteps(spec).map((s) => s.name);

describe("host steps", () => {
  it("run in dependency order, with the proxy first only when one is configured", () => {
    assert.deepEqual(names(stackSpec("metal-ber1")), ["swap-off", "kernel-modules", "sysctl", "containerd", "kubernetes-packages"]);
    assert.deepEqual(names(withProxy(stackSpec("metal-ber1"))), ["http-proxy", "swap-off", "kernel-modules", "sysctl", "containerd", "kubernetes-packages"]);
  });

  it("check for cgroup v2 first from Kubernetes 1.35, whose kubelet is told to refuse cgroup v1 too", () => {
    assert.deepEqual(names(withVersion(stackSpec("metal-ber1"), "1.35.0")), ["cgroup-v2", "swap-off", "kernel-modules", "sysctl", "containerd", "kubernetes-packages"]);
    assert.deepEqual(names(withProxy(withVersion(stackSpec("metal-ber1"), "1.36.3")))[0], "cgroup-v2", "before the proxy drop-ins are written");
    assert.equal((kubeletConfiguration(withVersion(stackSpec("metal-ber1"), "1.35.0")) as Record<string, unknown>).failCgroupV1, true);
    assert.ok(!("failCgroupV1" in kubeletConfiguration(stackSpec("metal-ber1"))), "1.34 keeps the kubelet's own default (false)");
  });

  it("are strict bash scripts that say what they are", () => {
    for (const step of hostSteps(withProxy(withVersion(stackSpec("vsphere-fra1"), "1.35.0")))) {
      for (const [kind, text] of [["check", step.check], ["apply", step.apply]] as const) {
        const lines = text.split("\n");
        assert.equal(lines[0], "#!/usr/bin/env bash");
        assert.match(lines[1], new RegExp(`^# clusterkit host step "${step.name}" \\(${kind}\\), rendered for stack vsphere-fra1`));
        assert.ok(lines.includes("set -euo pipefail"), `${step.name} ${kind}`);
      }
    }
  });

  it("are strict bash scripts that say what they are (1.34)", () => {
    for (const step of hostSteps(withProxy(stackSpec("vsphere-fra1")))) {
      for (const [kind, text] of [["check", step.check], ["apply", step.apply]] as const) {
        const lines = text.split("\n");
        assert.equal(lines[0], "#!/usr/bin/env bash");
        assert.match(lines[1], new RegExp(`^# clusterkit host step "${step.name}" \\(${kind}\\), rendered for stack vsphere-fra1`));
        assert.ok(lines.includes("set -euo pipefail"), `${step.name} ${kind}`);
      }
    }
  });

  it("pin the exact Kubernetes version from pkgs.k8s.io, or from the mirror", () => {
    const spec = withVersion(stackSpec("metal-ber1"), "1.33.5");
    assert.deepEqual(kubernetesPackages(spec), { base: "https://pkgs.k8s.io/core:/stable:", minor: "1.33", version: "1.33.5" });
    const apply = hostSteps(spec).find((s) => s.name === "kubernetes-packages")!.apply;
    assert.match(apply, /https:\/\/pkgs\.k8s\.io\/core:\/stable:\/v1\.33\/deb\/Release\.key/);
    assert.match(apply, /^baseurl=https:\/\/pkgs\.k8s\.io\/core:\/stable:\/v1\.33\/rpm\/$/m);
    assert.match(apply, /'kubeadm-1\.33\.5'/);
    assert.match(apply, /^readonly K8S_VERSION='1\.33\.5'$/m);
    assert.equal(kubernetesPackages(withProxy(stackSpec("metal-ber1"), "https://mirror.example.com/k8s///")).base, "https://mirror.example.com/k8s");
  });

  it("keep cluster traffic off the proxy", () => {
    const p = proxySettings(withProxy(stackSpec("metal-ber1")))!;
    for (const v of ["localhost", "127.0.0.1", "10.5.0.0/24", "10.66.0.0/16", "10.128.64.0/20", "10.5.0.10", "ber1-worker-3", "10.5.0.16", ".svc", ".cluster.local", "corp.example.com"]) {
      assert.ok(p.noProxy.includes(v), `NO_PROXY lacks ${v}`);
    }
    assert.equal(proxySettings(stackSpec("metal-ber1")), null);
  });

  it("refuse values that would break out of a config file line", () => {
    const spec = withProxy(stackSpec("metal-ber1"));
    if (spec.platform.kind !== "baremetal") throw new Error("bare metal expected");
    spec.platform.packages.noProxy = ["ok.example.com", "evil\nExecStartPre=/bin/sh -c id"];
    spec.platform.packages.httpProxy = 'http://proxy"x';
    try {
      hostSteps(spec);
      assert.fail("expected a ClusterkitError");
    } catch (e) {
      assert.ok(e instanceof ClusterkitError);
      assert.deepEqual(e.issues.map((i) => i.path), ["platform.packages.httpProxy", "platform.packages.noProxy[1]"]);
    }
  });

  it("hash to a value that moves with the scripts only", () => {
    const base = hostStepsHash(stackSpec("metal-ber1"));
    assert.match(base, /^[0-9a-f]{64}$/);
    assert.equal(hostStepsHash(stackSpec("metal-ber1")), base);
    assert.notEqual(hostStepsHash(withVersion(stackSpec("metal-ber1"), "1.34.2")), base);
    assert.notEqual(hostStepsHash(withProxy(stackSpec("metal-ber1"))), base);
  });

  it("are written by the plan for kubeadm platforms only", () => {
    const paths = hostArtifacts(stackSpec("metal-ber1")).map((a) => a.path);
    assert.ok(paths.includes("hosts/detect-os.sh"));
    for (const n of names(stackSpec("metal-ber1"))) assert.ok(paths.includes(`hosts/${n}.check.sh`) && paths.includes(`hosts/${n}.apply.sh`), n);
    assert.deepEqual(hostArtifacts(stackSpec("prod-eu-west-1")), []);
  });
});

describe("shell building blocks", () => {
  it("shQuote survives any string", () => {
    for (const v of ["plain", "it's", "$(id)", "`id`", "a b\nc", "'", "''", "\\", "!x", ""]) {
      const r = spawnSync("bash", ["-c", `printf '%s' ${shQuote(v)}`], { encoding: "utf8" });
      assert.equal(r.stdout, v);
    }
  });

  it("heredoc refuses content holding its end marker", () => {
    assert.throws(() => heredoc("cat", "line\nCLUSTERKIT_EOF\nrm -rf /"), ClusterkitError);
    const r = spawnSync("bash", ["-c", heredoc("cat", "$(id) `id` '\"")], { encoding: "utf8" });
    assert.equal(r.stdout, "$(id) `id` '\"\n");
  });
});
