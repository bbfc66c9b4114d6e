/**
 * Kernel settings Kubernetes needs: bridged traffic through iptables and IP forwarding, plus the
 * values kubelet's protectKernelDefaults (CIS 4.2.6) insists on; it refuses to start when they
 * differ, instead of changing them itself.
 */
import type { ClusterSpec } from "../../../spec";
import { heredoc, helpers, script } from "../shell";
import type { HostStep } from "../step";

export const sysctlFile = "/etc/sysctl.d/99-clusterkit-kubernetes.conf";

export const sysctls: [string, string][] = [
  ["net.bridge.bridge-nf-call-iptables", "1"],
  ["net.bridge.bridge-nf-call-ip6tables", "1"],
  ["net.ipv4.ip_forward", "1"],
  // kubelet's desired kernel state (pkg/kubelet/cm/container_manager_linux.go, setupKernelTunables).
  ["vm.overcommit_memory", "1"],
  ["vm.panic_on_oom", "0"],
  ["kernel.panic", "10"],
  ["kernel.panic_on_oops", "1"],
  ["kernel.keys.root_maxkeys", "1000000"],
  ["kernel.keys.root_maxbytes", "25000000"],
];

export function sysctlStep(spec: ClusterSpec): HostStep {
  const content = `# Written by clusterkit for Kubernetes; do not edit.\n${sysctls.map(([k, v]) => `${k} = ${v}`).join("\n")}\n`;
  const summary = `Sets the kernel parameters Kubernetes and kubelet's protectKernelDefaults need, persisted in ${sysctlFile}.`;
  const pairs = sysctls.map(([k, v]) => `${k}=${v}`).join(" ");
  const check = script({
    step: "sysctl",
    kind: "check",
    stack: spec.stack,
    summary,
    helpers: [helpers.fileIs],
    body: `for pair in ${pairs}; do
  # A missing key (br_netfilter not loaded yet) reads as empty and so as "needs to run".
  if [[ "$(sysctl -n "\${pair%%=*}" 2>/dev/null || true)" != "\${pair#*=}" ]]; then exit 1; fi
done
if ! ${heredoc(`file_is ${sysctlFile} 0644`, content)}
then
  exit 1
fi
exit 0`,
  });
  const apply = script({
    step: "sysctl",
    kind: "apply",
    stack: spec.stack,
    summary,
    helpers: [helpers.writeFile],
    body: `${heredoc(`write_file ${sysctlFile} 0644`, content)}
# Applies this file only: \`sysctl --system\` would let a later file override our values silently.
sysctl -q -p ${sysctlFile}`,
  });
  return { name: "sysctl", description: "kernel parameters for Kubernetes", check, apply };
}
