/** Golden files of the host-preparation scripts (`UPDATE_GOLDEN=1` to refresh). */
import { describe, it } from "node:test";
import { hostArtifacts } from "../core/render/host";
import { expectGolden } from "./golden/golden";
import { stackSpec, withProxy, withVersion } from "./render-kubeadm-specs";

describe("host script golden files", () => {
  it("metal-ber1 (pkgs.k8s.io, no proxy)", () => expectGolden("host/metal-ber1", hostArtifacts(stackSpec("metal-ber1"))));
  it("metal-ber1 behind a proxy with a package mirror", () => expectGolden("host/metal-ber1-proxy-mirror", hostArtifacts(withProxy(stackSpec("metal-ber1")))));
  it("metal-ber1 on Kubernetes 1.35, air-gapped (package, containerd and image mirrors)", () => {
    const spec = withProxy(withVersion(stackSpec("metal-ber1"), "1.35.0"));
    if (spec.platform.kind !== "baremetal") throw new Error("metal-ber1 is bare metal");
    spec.platform.packages.containerdMirror = "https://packages.example.internal/docker/linux";
    expectGolden("host/metal-ber1-1.35-air-gapped", hostArtifacts({ ...spec, mirrors: { images: "registry.example.internal:5000/mirror", charts: null } }));
  });
});
