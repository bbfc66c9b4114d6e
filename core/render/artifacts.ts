/**
 * Every file clusterkit renders for a cluster, as pure functions of the spec. `clusterkit plan
 * --out` writes exactly these; the components feed the same renderers to their resources.
 * Secret values never appear: renderers take secrets as parameters, and the plan passes
 * placeholders.
 */
import type { ClusterSpec } from "../spec";
import { addonArtifacts } from "./addons/artifacts";
import { cloudInitArtifacts } from "./cloud-init/artifacts";
import { hostArtifacts } from "./host/artifacts";
import { kubeadmArtifacts } from "./kubeadm/artifacts";

export interface Artifact {
  /** Relative path under the output folder, e.g. `kubeadm/init.yaml`. */
  path: string;
  content: string;
}

export type ArtifactRenderer = (spec: ClusterSpec) => Artifact[];

const renderers: ArtifactRenderer[] = [(spec) => [{ path: "cluster-spec.json", content: `${JSON.stringify(spec, null, 2)}\n` }], cloudInitArtifacts, kubeadmArtifacts, hostArtifacts, addonArtifacts];

export function renderArtifacts(spec: ClusterSpec): Artifact[] {
  return renderers.flatMap((r) => r(spec));
}
