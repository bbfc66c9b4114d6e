/**
 * Swap off, now and after reboots: kubelet refuses to start with swap on (failSwapOn). fstab swap
 * entries are commented out, and systemd's zram generator (Fedora and others) is disabled with an
 * empty /etc/systemd/zram-generator.conf, its documented off switch.
 */
import type { ClusterSpec } from "../../../spec";
import { helpers, script } from "../shell";
import type { HostStep } from "../step";

const fstabHasSwap = `awk '$1 !~ /^#/ && $3 == "swap" { found = 1 } END { exit !found }' /etc/fstab`;
const zramDefaults = "/usr/lib/systemd/zram-generator.conf";
const zramOverride = "/etc/systemd/zram-generator.conf";

export function swapStep(spec: ClusterSpec): HostStep {
  const summary = "Turns swap off and keeps it off across reboots (fstab, zram generator).";
  const check = script({
    step: "swap-off",
    kind: "check",
    stack: spec.stack,
    summary,
    body: `if [[ -n "$(tail -n +2 /proc/swaps)" ]]; then exit 1; fi
if [[ -f /etc/fstab ]] && ${fstabHasSwap}; then exit 1; fi
if [[ -f ${zramDefaults} && ! -f ${zramOverride} ]]; then exit 1; fi
exit 0`,
  });
  const apply = script({
    step: "swap-off",
    kind: "apply",
    stack: spec.stack,
    summary,
    helpers: [helpers.writeFile],
    body: `swapoff -a
if [[ -f /etc/fstab ]] && ${fstabHasSwap}; then
  cp -p /etc/fstab /etc/fstab.clusterkit.bak
  # Rendered to a side file first: a failing awk must not leave a truncated fstab behind.
  awk '$1 !~ /^#/ && $3 == "swap" { print "# disabled by clusterkit: " $0; next } { print }' /etc/fstab >/etc/fstab.clusterkit.new
  write_file /etc/fstab 0644 </etc/fstab.clusterkit.new
  rm -f /etc/fstab.clusterkit.new
fi
if [[ -f ${zramDefaults} && ! -f ${zramOverride} ]]; then
  : | write_file ${zramOverride} 0644
fi`,
  });
  return { name: "swap-off", description: "swap off (now and in fstab)", check, apply };
}
