#!/usr/bin/env bash
# clusterkit host step "sysctl" (check), rendered for stack metal-ber1. Do not edit: re-render instead.
# Sets the kernel parameters Kubernetes and kubelet's protectKernelDefaults need, persisted in /etc/sysctl.d/99-clusterkit-kubernetes.conf.
# Read-only. Exit 0: already done; 1: needs to run; 2: unsupported host.
set -euo pipefail

# file_is PATH MODE < expected: PATH exists with exactly this content and mode.
file_is() {
  [[ -f "$1" ]] && [[ "$(stat -c %a "$1")" == "${2#0}" ]] && cmp -s - "$1"
}

for pair in net.bridge.bridge-nf-call-iptables=1 net.bridge.bridge-nf-call-ip6tables=1 net.ipv4.ip_forward=1 vm.overcommit_memory=1 vm.panic_on_oom=0 kernel.panic=10 kernel.panic_on_oops=1 kernel.keys.root_maxkeys=1000000 kernel.keys.root_maxbytes=25000000; do
  # A missing key (br_netfilter not loaded yet) reads as empty and so as "needs to run".
  if [[ "$(sysctl -n "${pair%%=*}" 2>/dev/null || true)" != "${pair#*=}" ]]; then exit 1; fi
done
if ! file_is /etc/sysctl.d/99-clusterkit-kubernetes.conf 0644 <<'CLUSTERKIT_EOF'
# Written by clusterkit for Kubernetes; do not edit.
net.bridge.bridge-nf-call-iptables = 1
net.bridge.bridge-nf-call-ip6tables = 1
net.ipv4.ip_forward = 1
vm.overcommit_memory = 1
vm.panic_on_oom = 0
kernel.panic = 10
kernel.panic_on_oops = 1
kernel.keys.root_maxkeys = 1000000
kernel.keys.root_maxbytes = 25000000
CLUSTERKIT_EOF
then
  exit 1
fi
exit 0
