#!/usr/bin/env bash
# clusterkit host step "swap-off" (apply), rendered for stack metal-ber1. Do not edit: re-render instead.
# Turns swap off and keeps it off across reboots (fstab, zram generator).
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
  echo "clusterkit: swap-off: must run as root (the SSH layer uses sudo)" >&2
  exit 1
fi

swapoff -a
if [[ -f /etc/fstab ]] && awk '$1 !~ /^#/ && $3 == "swap" { found = 1 } END { exit !found }' /etc/fstab; then
  cp -p /etc/fstab /etc/fstab.clusterkit.bak
  # Rendered to a side file first: a failing awk must not leave a truncated fstab behind.
  awk '$1 !~ /^#/ && $3 == "swap" { print "# disabled by clusterkit: " $0; next } { print }' /etc/fstab >/etc/fstab.clusterkit.new
  write_file /etc/fstab 0644 </etc/fstab.clusterkit.new
  rm -f /etc/fstab.clusterkit.new
fi
if [[ -f /usr/lib/systemd/zram-generator.conf && ! -f /etc/systemd/zram-generator.conf ]]; then
  : | write_file /etc/systemd/zram-generator.conf 0644
fi

echo "clusterkit: swap-off: done (${changed} file(s) changed)"
