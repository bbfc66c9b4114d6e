/**
 * The two host scripts of a rolling OS patch round (pure): one updates the packages, the other
 * says whether the updates need a reboot. The phases that drain, reboot and gate each node are in
 * providers/kubeadm/phases/os-patch.
 */
import type { ClusterSpec } from "../../spec";
import { osFamilies } from "./os";
import { osCase, script } from "./shell";
import { proxyEnv, proxySettings } from "./steps/http-proxy";

export interface OsPatchScripts {
  patch: string;
  rebootRequired: string;
}

export function osPatchScripts(spec: ClusterSpec): OsPatchScripts | null {
  const p = spec.osPatches;
  if (p.kind === "none") return null;
  return {
    patch: script({
      step: "os-patch-packages",
      kind: "apply",
      stack: spec.stack,
      summary: `Updates every installed package that is not held (round ${p.round}); the Kubernetes packages are held.`,
      needsOs: true,
      env: proxyEnv(proxySettings(spec)),
      body: osCase({ debian: osFamilies.debian.patchPackages, rhel: osFamilies.rhel.patchPackages }),
    }),
    rebootRequired: script({
      step: "os-patch-reboot-required",
      kind: "check",
      stack: spec.stack,
      summary: "Exit 0: the updates installed since boot need no reboot; 1: they need one; 3: the package manager cannot tell.",
      needsOs: true,
      body: osCase({ debian: osFamilies.debian.rebootRequired, rhel: osFamilies.rhel.rebootRequired }),
    }),
  };
}
