/** `clusterkit plan --out` writes every host step as `hosts/<step>.{check,apply}.sh` (kubeadm platforms only). */
import type { ClusterSpec } from "../../spec";
import type { Artifact } from "../artifacts";
import { detectOsScript, hostSteps } from "./steps";

export function hostArtifacts(spec: ClusterSpec): Artifact[] {
  if (spec.platform.kind !== "baremetal" && spec.platform.kind !== "vsphere") return [];
  return [
    { path: "hosts/detect-os.sh", content: detectOsScript(spec) },
    ...hostSteps(spec).flatMap((s) => [
      { path: `hosts/${s.name}.check.sh`, content: s.check },
      { path: `hosts/${s.name}.apply.sh`, content: s.apply },
    ]),
  ];
}
