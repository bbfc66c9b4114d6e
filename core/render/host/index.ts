/**
 * Host preparation as rendered shell scripts (kubeone style), one idempotent step per script pair,
 * for Debian/Ubuntu and the RHEL family behind one OS interface (`os.ts`). Pure: the scripts are
 * strings; running them is the SSH layer's job.
 *
 * How the provider uses them, per host, as root (sudo):
 *
 *   run detectOsScript(spec)                  // exit 2 + message on an unsupported OS
 *   for (const step of hostSteps(spec)) {     // ordered: cgroup-v2 (Kubernetes >= 1.35), http-proxy
 *     code = run(step.check)                  //   (when set), swap-off, kernel-modules, sysctl,
 *                                             //   containerd (+ registry mirrors), kubernetes-packages
 *     if (code === 0) continue                // already done: nothing mutating runs
 *     if (code !== 1) fail(step, code)        // 2: unsupported host; other: error
 *     run(step.apply)                         // idempotent; non-zero: fail with its stderr
 *     if (run(step.check) !== 0) fail(step)   // must now report done
 *   }
 *
 * Each script is self-contained (`bash -s` on stdin works), `set -euo pipefail`, quotes every
 * value, and passes shellcheck. Scripts hold no secrets. `hostStepsHash` changes exactly when any
 * rendered script changes, for drift detection next to the kubeadm `nodeConfigHash`.
 */
import { createHash } from "node:crypto";
import type { ClusterSpec } from "../../spec";
import { hostSteps } from "./steps";

export type { HostStep } from "./step";
export { detectOsScript, hostSteps } from "./steps";
export { hostArtifacts } from "./artifacts";
export { osFamilies, type OsFamily, type OsFamilyId } from "./os";
export { kubernetesPackages, pkgsK8sIo } from "./steps/kubernetes-packages";
export { proxySettings, type ProxySettings } from "./steps/http-proxy";

/** sha256 (hex) over every step's name and scripts. */
export function hostStepsHash(spec: ClusterSpec): string {
  const canonical = JSON.stringify(hostSteps(spec).map((s) => [s.name, s.check, s.apply]));
  return createHash("sha256").update(canonical).digest("hex");
}
