#!/usr/bin/env bash
# clusterkit host step "swap-off" (check), rendered for stack metal-ber1. Do not edit: re-render instead.
# Turns swap off and keeps it off across reboots (fstab, zram generator).
# Read-only. Exit 0: already done; 1: needs to run; 2: unsupported host.
set -euo pipefail

if [[ -n "$(tail -n +2 /proc/swaps)" ]]; then exit 1; fi
if [[ -f /etc/fstab ]] && awk '$1 !~ /^#/ && $3 == "swap" { found = 1 } END { exit !found }' /etc/fstab; then exit 1; fi
if [[ -f /usr/lib/systemd/zram-generator.conf && ! -f /etc/systemd/zram-generator.conf ]]; then exit 1; fi
exit 0
