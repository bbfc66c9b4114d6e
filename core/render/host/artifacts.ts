/**
 * `clusterkit plan --out` writes every host step as `hosts/<step>.{check,apply}.sh`, and with an OS
 * patch round its two scripts (kubeadm platforms only).
 */
import type { ClusterSpec } from "../../spec";
import type { Artifact } from "../artifacts";
import { osPatchScripts } from "./os-patch";
import { detectOsScript, hostSteps } from "./steps";

export function hostArtifacts(spec: ClusterSpec): Artifact[] {
  if (spec.platform.kind !== "baremetal" && spec.platform.kind !== "vsphere") return [];
  const patch = osPatchScripts(spec);
  return [
    { path: "hosts/detect-os.sh", content: detectOsScript(spec) },
    ...hostSteps(spec).flatMap((s) => [
      { path: `hosts/${s.name}.check.sh`, content: s.check },
      { path: `hosts/${s.name}.apply.sh`, content: s.apply },
    ]),
    ...(patch
      ? [
          { path: "hosts/os-patch-packages.apply.sh", content: patch.patch },
          { path: "hosts/os-patch-reboot-required.check.sh", content: patch.rebootRequired },
        ]
      : []),
  ];
}
