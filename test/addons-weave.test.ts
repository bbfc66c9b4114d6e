/** Weave Net: the vendored manifest is pinned by version and sha256, and only IPALLOC_RANGE is set. */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import { describe, it } from "node:test";
import { verifiedWeaveObjects, weaveManifest, weaveManifestPath, weaveManifests, weaveObjects } from "../core/render/addons/weave";
import { cniReleases } from "../core/versions";
import { specFor } from "./addons-support/specs";

type Container = { name: string; image: string; env?: { name: string; value?: string }[] };
const containers = (objects: ReturnType<typeof weaveObjects>): Container[] =>
  (objects.find((o) => o.kind === "DaemonSet")!.spec as { template: { spec: { containers: Container[]; initContainers: Container[] } } }).template.spec.containers;

describe("Weave Net manifest", () => {
  it("the file on disk has the pinned sha256", () => {
    const pin = weaveManifests[cniReleases.weave.version];
    const sha = createHash("sha256").update(fs.readFileSync(weaveManifestPath(cniReleases.weave.version))).digest("hex");
    assert.equal(sha, pin.sha256);
  });

  it("is the 2.8.1 release: its RBAC and DaemonSet, images pinned to 2.8.1", () => {
    const objects = weaveObjects("2.8.1");
    assert.deepEqual(objects.map((o) => o.kind), ["ServiceAccount", "ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding", "DaemonSet"]);
    assert.deepEqual(containers(objects).map((c) => c.image), ["weaveworks/weave-kube:2.8.1", "weaveworks/weave-npc:2.8.1"]);
  });

  it("refuses a modified manifest and an unknown version", () => {
    const text = fs.readFileSync(weaveManifestPath("2.8.1"));
    const tampered = Buffer.from(text.toString("utf8").replace("weave-npc:2.8.1", "weave-npc:latest"));
    assert.throws(() => verifiedWeaveObjects(tampered, "2.8.1"), /was modified/);
    assert.throws(() => weaveObjects("2.8.0"), /no vendored manifest/);
  });

  it("wires the pod CIDR into IPALLOC_RANGE of the weave container only", () => {
    const spec = specFor("baremetal", (bp) => void (bp.cni = { kind: "weave", acknowledgeUnmaintained: true }));
    const [weave, npc] = containers(weaveManifest(spec));
    assert.deepEqual(weave.env?.find((e) => e.name === "IPALLOC_RANGE"), { name: "IPALLOC_RANGE", value: "10.66.0.0/16" });
    assert.equal(npc.env?.find((e) => e.name === "IPALLOC_RANGE"), undefined);
    const pristine = containers(weaveObjects());
    assert.equal(pristine[0].env?.find((e) => e.name === "IPALLOC_RANGE"), undefined, "the vendored file itself is untouched");
  });
});
