/** overlay (containerd's snapshotter) and br_netfilter (bridged pod traffic through iptables), loaded now and at boot. */
import type { ClusterSpec } from "../../../spec";
import { heredoc, helpers, script } from "../shell";
import type { HostStep } from "../step";

export const kernelModules = ["overlay", "br_netfilter"];
export const modulesLoadFile = "/etc/modules-load.d/clusterkit-kubernetes.conf";

export function kernelModulesStep(spec: ClusterSpec): HostStep {
  const content = `${kernelModules.join("\n")}\n`;
  const summary = `Loads ${kernelModules.join(" and ")} and lists them in ${modulesLoadFile}.`;
  const check = script({
    step: "kernel-modules",
    kind: "check",
    stack: spec.stack,
    summary,
    helpers: [helpers.fileIs],
    body: `for mod in ${kernelModules.join(" ")}; do
  if [[ ! -d "/sys/module/$mod" ]]; then exit 1; fi
done
if ! ${heredoc(`file_is ${modulesLoadFile} 0644`, content)}
then
  exit 1
fi
exit 0`,
  });
  const apply = script({
    step: "kernel-modules",
    kind: "apply",
    stack: spec.stack,
    summary,
    helpers: [helpers.writeFile],
    body: `${heredoc(`write_file ${modulesLoadFile} 0644`, content)}
for mod in ${kernelModules.join(" ")}; do
  modprobe "$mod"
done`,
  });
  return { name: "kernel-modules", description: "kernel modules overlay and br_netfilter", check, apply };
}
