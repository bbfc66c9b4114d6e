/**
 * The host-preparation steps in the order they run: the read-only cgroup check first, so a host
 * the kubelet cannot run on is refused before anything changes; then the proxy, so every later
 * download uses it.
 */
import type { ClusterSpec } from "../../spec";
import { helpers, script } from "./shell";
import type { HostStep } from "./step";
import { checkHostValues } from "./values";
import { cgroupV2Step } from "./steps/cgroup-v2";
import { containerdStep } from "./steps/containerd";
import { httpProxyStep } from "./steps/http-proxy";
import { kernelModulesStep } from "./steps/kernel-modules";
import { kubernetesPackagesStep } from "./steps/kubernetes-packages";
import { swapStep } from "./steps/swap";
import { sysctlStep } from "./steps/sysctl";

export function hostSteps(spec: ClusterSpec): HostStep[] {
  checkHostValues(spec);
  return [cgroupV2Step(spec), httpProxyStep(spec), swapStep(spec), kernelModulesStep(spec), sysctlStep(spec), containerdStep(spec), kubernetesPackagesStep(spec)].filter(
    (s): s is HostStep => s !== null,
  );
}

/** Prints `debian` or `rhel`; exits 2 with a message naming the OS on anything else. */
export function detectOsScript(spec: ClusterSpec): string {
  return script({
    step: "detect-os",
    kind: "check",
    stack: spec.stack,
    summary: "Prints the OS family (debian or rhel) from /etc/os-release.",
    helpers: [helpers.osFamily],
    body: "os_family",
  });
}
