#!/usr/bin/env bash
# clusterkit host step "kernel-modules" (check), rendered for stack metal-ber1. Do not edit: re-render instead.
# Loads overlay and br_netfilter and lists them in /etc/modules-load.d/clusterkit-kubernetes.conf.
# Read-only. Exit 0: already done; 1: needs to run; 2: unsupported host.
set -euo pipefail

# file_is PATH MODE < expected: PATH exists with exactly this content and mode.
file_is() {
  [[ -f "$1" ]] && [[ "$(stat -c %a "$1")" == "${2#0}" ]] && cmp -s - "$1"
}

for mod in overlay br_netfilter; do
  if [[ ! -d "/sys/module/$mod" ]]; then exit 1; fi
done
if ! file_is /etc/modules-load.d/clusterkit-kubernetes.conf 0644 <<'CLUSTERKIT_EOF'
overlay
br_netfilter
CLUSTERKIT_EOF
then
  exit 1
fi
exit 0
