#!/usr/bin/env bash
# clusterkit host step "cgroup-v2" (apply), rendered for stack metal-ber1. Do not edit: re-render instead.
# Refuses hosts without cgroup v2: the kubelet of Kubernetes 1.35 does not start on cgroup v1.
# Idempotent: safe to run again. Exit 0: done.
set -euo pipefail

readonly K8S_MINOR='1.35'

if [[ "$(id -u)" -ne 0 ]]; then
  echo "clusterkit: cgroup-v2: must run as root (the SSH layer uses sudo)" >&2
  exit 1
fi

fs="$(stat -fc %T /sys/fs/cgroup 2>/dev/null || echo missing)"
if [[ "$fs" != cgroup2fs ]]; then
  echo "clusterkit: host $(uname -n) uses cgroup v1 (/sys/fs/cgroup is $fs, not cgroup2fs); the kubelet of Kubernetes $K8S_MINOR refuses to start on cgroup v1. Fix: boot the host with the unified hierarchy (kernel parameter systemd.unified_cgroup_hierarchy=1, then reboot) or use an OS that defaults to cgroup v2 (Debian 11+, Ubuntu 21.10+, RHEL 9+)." >&2
  exit 2
fi

echo "clusterkit: cgroup-v2: done"
