/**
 * Refuses cgroup v1 hosts for Kubernetes 1.35 and later, before anything on the host changes.
 * From 1.35 the kubelet's `failCgroupV1` defaults to true and it exits at start on a cgroup v1
 * host (KEP-5573), so preparing such a host would end in a node that never joins. Earlier minors
 * still run on cgroup v1 (deprecated), so the step is only rendered from 1.35 on.
 *
 * `stat -fc %T /sys/fs/cgroup` is `cgroup2fs` on the unified hierarchy; v1 and hybrid hosts show
 * `tmpfs` there. Anything but `cgroup2fs` is refused: the kubelet checks the same mount.
 */
import type { ClusterSpec } from "../../../spec";
import { compareMinor, kubeletRefusesCgroupV1From } from "../../../versions";
import { script } from "../shell";
import type { HostStep } from "../step";

const fix =
  "boot the host with the unified hierarchy (kernel parameter systemd.unified_cgroup_hierarchy=1, then reboot) or use an OS that defaults to cgroup v2 (Debian 11+, Ubuntu 21.10+, RHEL 9+)";

export function cgroupV2Step(spec: ClusterSpec): HostStep | null {
  if (compareMinor(spec.kubernetes.minor, kubeletRefusesCgroupV1From) < 0) return null;
  const summary = `Refuses hosts without cgroup v2: the kubelet of Kubernetes ${spec.kubernetes.minor} does not start on cgroup v1.`;
  const refusal = `fs="$(stat -fc %T /sys/fs/cgroup 2>/dev/null || echo missing)"
if [[ "$fs" != cgroup2fs ]]; then
  echo "clusterkit: host $(uname -n) uses cgroup v1 (/sys/fs/cgroup is $fs, not cgroup2fs); the kubelet of Kubernetes $K8S_MINOR refuses to start on cgroup v1. Fix: ${fix}." >&2
  exit 2
fi`;
  const render = (kind: "check" | "apply", body: string) =>
    script({ step: "cgroup-v2", kind, stack: spec.stack, summary, vars: { K8S_MINOR: spec.kubernetes.minor }, body });
  // The check only answers done (v2) or unsupported (v1): there is nothing to apply, and a host
  // cannot be switched to v2 without a reboot clusterkit will not do on its own.
  const check = render("check", `${refusal}\nexit 0`);
  const apply = render("apply", refusal);
  return { name: "cgroup-v2", description: `cgroup v2 (required by the kubelet from Kubernetes ${kubeletRefusesCgroupV1From})`, check, apply };
}
