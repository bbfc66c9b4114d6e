#!/usr/bin/env bash
# clusterkit host step "sysctl" (apply), rendered for stack metal-ber1. Do not edit: re-render instead.
# Sets the kernel parameters Kubernetes and kubelet's protectKernelDefaults need, persisted in /etc/sysctl.d/99-clusterkit-kubernetes.conf.
# Idempotent: safe to run again. Exit 0: done.
set -euo pipefail

# write_file PATH MODE < content: replaces PATH atomically, and only when content or mode differ.
write_file() {
  local path="$1" mode="$2" tmp
  install -d -m 0755 "$(dirname "$path")"
  tmp="$(mktemp "${path}.clusterkit.XXXXXX")"
  cat >"$tmp"
  chmod "$mode" "$tmp"
  if [[ -f "$path" ]] && cmp -s "$tmp" "$path" && [[ "$(stat -c %a "$path")" == "${mode#0}" ]]; then
    rm -f "$tmp"
    return 0
  fi
  mv -f "$tmp" "$path"
  changed=$((changed + 1))
}

changed=0

if [[ "$(id -u)" -ne 0 ]]; then
  echo "clusterkit: sysctl: must run as root (the SSH layer uses sudo)" >&2
  exit 1
fi

write_file /etc/sysctl.d/99-clusterkit-kubernetes.conf 0644 <<'CLUSTERKIT_EOF'
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
# Applies this file only: `sysctl --system` would let a later file override our values silently.
sysctl -q -p /etc/sysctl.d/99-clusterkit-kubernetes.conf

echo "clusterkit: sysctl: done (${changed} file(s) changed)"
