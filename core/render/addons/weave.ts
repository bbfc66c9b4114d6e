/**
 * Weave Net: legacy, archived upstream. There is no chart; clusterkit applies the vendored release
 * manifest, pinned by version and sha256, and only wires the pod CIDR into IPALLOC_RANGE (Weave's
 * own default, 10.32.0.0/12, would ignore the spec and could collide with other ranges).
 */
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { parseAllDocuments } from "yaml";
import type { ClusterSpec } from "../../spec";
import { cniReleases } from "../../versions";
import type { AddonInstall } from "./helm";
import type { K8sObject } from "./k8s";
import { withMirroredImages } from "../../mirrors";

/** The vendored manifest of each Weave version we accept, and its sha256. */
export const weaveManifests: Record<string, { file: string; sha256: string }> = {
  "2.8.1": { file: "weave-net-2.8.1.yaml", sha256: "07f8dee3d4cd6c55bba61f18d88b9a9453c7740c52a8451df2f060b431a1448a" },
};

export function weaveManifestPath(version: string): string {
  const pin = weaveManifests[version];
  if (!pin) throw new Error(`weave: no vendored manifest for version ${version}`);
  return path.join(__dirname, "vendor", pin.file);
}

/** Parses a manifest's text after checking it against its pin; a modified file is refused. */
export function verifiedWeaveObjects(text: Buffer, version: string): K8sObject[] {
  const pin = weaveManifests[version];
  if (!pin) throw new Error(`weave: no vendored manifest for version ${version}`);
  const sha = createHash("sha256").update(text).digest("hex");
  if (sha !== pin.sha256) throw new Error(`weave: ${pin.file} has sha256 ${sha}, expected ${pin.sha256}; the vendored manifest was modified`);
  return parseAllDocuments(text.toString("utf8")).map((d) => d.toJSON() as K8sObject);
}

/** The pinned manifest's objects. */
export function weaveObjects(version: string = cniReleases.weave.version): K8sObject[] {
  return verifiedWeaveObjects(fs.readFileSync(weaveManifestPath(version)), version);
}

interface Container {
  name: string;
  env?: { name: string; value?: string }[];
}

export function weaveManifest(spec: ClusterSpec): K8sObject[] {
  const podCidr = spec.networking.podCidr;
  if (!podCidr) throw new Error("weave: the spec has no pod CIDR; resolve() should have refused it");
  const version = spec.cni.kind === "weave" ? spec.cni.version : cniReleases.weave.version;
  return weaveObjects(version).map((o) => {
    if (o.kind !== "DaemonSet") return o;
    const template = (o.spec as { template: { spec: { containers: Container[] } } }).template;
    const containers = template.spec.containers.map((c) =>
      c.name === "weave" ? { ...c, env: [{ name: "IPALLOC_RANGE", value: podCidr }, ...(c.env ?? []).filter((e) => e.name !== "IPALLOC_RANGE")] } : c,
    );
    return { ...o, spec: { ...(o.spec as object), template: { ...template, spec: { ...template.spec, containers } } } };
  });
}

export function weaveInstall(spec: ClusterSpec): AddonInstall {
  return { namespaces: [], releases: [], objects: withMirroredImages(spec.mirrors.images, weaveManifest(spec)) };
}
