/** Air-gap mirrors: the settings, how image and chart names are rewritten, and where they apply. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { helmChartRef, mirroredChart, mirroredImage, parseImage } from "../core/mirrors";
import { clusterConfiguration } from "../core/render/kubeadm/cluster-configuration";
import { kubeVipPod } from "../core/render/kubeadm/kube-vip";
import { hostSteps } from "../core/render/host";
import type { ClusterSpec } from "../core/spec";
import { resolvedFor, specFor } from "./addons-support/specs";
import { describeIssues, issuesOf } from "./support/fixtures";

const mirror = "registry.example.internal:5000/mirror";

describe("image names below the mirror keep their upstream name", () => {
  const cases: [string, string][] = [
    ["docker.io/rancher/local-path-provisioner:v0.0.32", `${mirror}/docker.io/rancher/local-path-provisioner:v0.0.32`],
    ["weaveworks/weave-kube:2.8.1", `${mirror}/docker.io/weaveworks/weave-kube:2.8.1`],
    ["busybox", `${mirror}/docker.io/library/busybox`],
    ["registry.k8s.io/sig-storage/csi-attacher:v4.5.1", `${mirror}/registry.k8s.io/sig-storage/csi-attacher:v4.5.1`],
    ["quay.io/cilium/cilium:v1.20.0@sha256:abc", `${mirror}/quay.io/cilium/cilium:v1.20.0@sha256:abc`],
    ["localhost:5000/team/app", `${mirror}/localhost:5000/team/app`],
    ["quay.io/cilium/operator", `${mirror}/quay.io/cilium/operator`],
  ];
  for (const [from, to] of cases) it(from, () => assert.equal(mirroredImage(mirror, from), to));

  it("splits a reference the way Docker does, and leaves it alone without a mirror", () => {
    assert.deepEqual(parseImage("registry.k8s.io:443/pause:3.10"), { registry: "registry.k8s.io:443", repository: "pause", suffix: ":3.10" });
    assert.equal(mirroredImage(null, "weaveworks/weave-kube:2.8.1"), "weaveworks/weave-kube:2.8.1");
  });

  it("charts: one Helm repository, or an oci:// path that each chart sits below", () => {
    const pin = { repo: "https://helm.cilium.io", chart: "cilium", version: "1.20.0" };
    assert.deepEqual(helmChartRef(pin), { chart: "cilium", repo: "https://helm.cilium.io" });
    assert.deepEqual(helmChartRef(mirroredChart("oci://registry.example.internal/charts", pin)), { chart: "oci://registry.example.internal/charts/cilium", repo: null });
    assert.deepEqual(mirroredChart("https://charts.example.internal/clusterkit", pin), { ...pin, repo: "https://charts.example.internal/clusterkit" });
    assert.equal(mirroredChart(null, pin), pin);
  });
});

describe("the mirror settings", () => {
  it("resolve into the spec, with the chart mirror applied to the spec's chart pins", () => {
    const { spec } = resolvedFor("vsphere", (bp) => void (bp.mirrors = { images: { registry: mirror }, charts: { repository: "oci://registry.example.internal/charts/" } }));
    assert.deepEqual(spec.mirrors, { images: mirror, charts: "oci://registry.example.internal/charts" });
    assert.equal(spec.cni.kind === "cilium" && spec.cni.chart.repo, "oci://registry.example.internal/charts");
    assert.equal(spec.ingress.kind !== "none" && spec.ingress.chart.repo, "oci://registry.example.internal/charts");
    assert.deepEqual(specFor("vsphere").mirrors, { images: null, charts: null }, "upstream by default");
  });

  const refused: [string, unknown, string, RegExp][] = [
    ["a scheme on the image registry", { images: { registry: "https://registry.example.internal" } }, "mirrors.images.registry", /registry host with a dot or a port/],
    ["a registry without a dot or a port (read as a Docker Hub namespace)", { images: { registry: "mirror/images" } }, "mirrors.images.registry", /registry host with a dot or a port/],
    ["a trailing slash on the image registry", { images: { registry: "registry.example.internal/" } }, "mirrors.images.registry", /without scheme or trailing slash/],
    ["a plain-http chart repository", { charts: { repository: "http://charts.example.internal" } }, "mirrors.charts.repository", /https:\/\/ Helm repository or an oci:\/\//],
  ];
  for (const [name, mirrors, path, message] of refused) {
    it(`refuse ${name}, naming the blueprint field`, () => {
      const issues = issuesOf(() => specFor("baremetal", (bp) => void (bp.mirrors = mirrors)));
      const hit = issues.find((i) => i.path === path && message.test(i.message));
      assert.ok(hit, describeIssues(issues));
      assert.equal(hit.file, "blueprints/baremetal-ha.yaml");
    });
  }

  it("set per stack through overrides, and a mistake there is blamed on the stack file", () => {
    const ok = specFor("baremetal", (_bp, config) => void (config["clusterkit:overrides"] = { mirrors: { images: { registry: mirror } } }));
    assert.equal(ok.mirrors.images, mirror);
    const issues = issuesOf(() => specFor("baremetal", (_bp, config) => void (config["clusterkit:overrides"] = { mirrors: { images: { registry: "Registry.Example" } } })));
    const hit = issues.find((i) => i.path === "config.clusterkit:overrides.mirrors.images.registry");
    assert.ok(hit, describeIssues(issues));
    assert.equal(hit.file, "stacks/Pulumi.metal-ber1.yaml");
  });
});

describe("the image mirror on kubeadm platforms", () => {
  const airGapped = (): ClusterSpec => ({ ...specFor("baremetal"), mirrors: { images: mirror, charts: null } });

  it("kubeadm pulls the control plane, etcd and CoreDNS (under its upstream path) from the mirror", () => {
    const cc = clusterConfiguration(airGapped()) as Record<string, unknown>;
    assert.equal(cc.imageRepository, `${mirror}/registry.k8s.io`);
    assert.deepEqual(cc.dns, { imageRepository: `${mirror}/registry.k8s.io/coredns` });
    const upstream = clusterConfiguration(specFor("baremetal")) as Record<string, unknown>;
    assert.ok(!("imageRepository" in upstream) && !("dns" in upstream), "kubeadm's own default without a mirror");
  });

  it("kube-vip comes from the mirror", () => {
    const spec = airGapped();
    const pod = kubeVipPod(spec, spec.nodes[0], "steady")!;
    assert.equal(pod.spec!.containers[0].image, `${mirror}/ghcr.io/kube-vip/kube-vip:v1.0.4`);
  });

  it("containerd gets a hosts.toml per public registry only with a mirror", () => {
    const containerd = (s: ClusterSpec) => hostSteps(s).find((x) => x.name === "containerd")!.apply;
    assert.match(containerd(airGapped()), /write_file \/etc\/containerd\/certs\.d\/public\.ecr\.aws\/hosts\.toml 0644/);
    assert.doesNotMatch(containerd(specFor("baremetal")), /certs\.d|config_path/);
  });
});
