#!/usr/bin/env bash
# clusterkit host step "kernel-modules" (apply), rendered for stack metal-ber1. Do not edit: re-render instead.
# Loads overlay and br_netfilter and lists them in /etc/modules-load.d/clusterkit-kubernetes.conf.
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
  echo "clusterkit: kernel-modules: must run as root (the SSH layer uses sudo)" >&2
  exit 1
fi

write_file /etc/modules-load.d/clusterkit-kubernetes.conf 0644 <<'CLUSTERKIT_EOF'
overlay
br_netfilter
CLUSTERKIT_EOF
for mod in overlay br_netfilter; do
  modprobe "$mod"
done

echo "clusterkit: kernel-modules: done (${changed} file(s) changed)"
