#!/usr/bin/env bash
# clusterkit host step "containerd" (check), rendered for stack metal-ber1. Do not edit: re-render instead.
# Installs containerd if missing and configures it with SystemdCgroup = true.
# Read-only. Exit 0: already done; 1: needs to run; 2: unsupported host.
set -euo pipefail

if ! command -v containerd >/dev/null; then exit 1; fi
if [[ ! -f /etc/containerd/config.toml ]] || ! grep -Eq '^[[:space:]]*SystemdCgroup[[:space:]]*=[[:space:]]*true' /etc/containerd/config.toml; then exit 1; fi
if ! systemctl is-enabled --quiet containerd; then exit 1; fi
if ! systemctl is-active --quiet containerd; then exit 1; fi
exit 0
