#!/usr/bin/env bash
# clusterkit host step "http-proxy" (apply), rendered for stack metal-ber1. Do not edit: re-render instead.
# Routes containerd, kubelet and the package manager through the configured HTTP proxy.
# Idempotent: safe to run again. Exit 0: done.
set -euo pipefail

# Prints the OS family from /etc/os-release: debian (Debian, Ubuntu) or rhel (RHEL, Rocky, Alma, CentOS Stream, Fedora).
os_family() {
  local id id_like
  # shellcheck source=/dev/null
  id="$(. /etc/os-release && printf '%s' "${ID:-}")"
  # shellcheck source=/dev/null
  id_like="$(. /etc/os-release && printf '%s' "${ID_LIKE:-}")"
  case " ${id} ${id_like} " in
    *" debian "* | *" ubuntu "*) echo debian ;;
    *" rhel "* | *" fedora "* | *" centos "*) echo rhel ;;
    *)
      echo "clusterkit: unsupported OS '${id:-unknown}' (ID_LIKE '${id_like}'); supported: Debian/Ubuntu and the RHEL family" >&2
      return 2
      ;;
  esac
}

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

OS_FAMILY="$(os_family)" || exit 2
readonly OS_FAMILY

if [[ "$(id -u)" -ne 0 ]]; then
  echo "clusterkit: http-proxy: must run as root (the SSH layer uses sudo)" >&2
  exit 1
fi

write_file /etc/systemd/system/containerd.service.d/clusterkit-http-proxy.conf 0644 <<'CLUSTERKIT_EOF'
[Service]
Environment="HTTP_PROXY=http://proxy.example.com:3128"
Environment="HTTPS_PROXY=http://proxy.example.com:3128"
Environment="NO_PROXY=localhost,127.0.0.1,::1,10.5.0.0/24,10.66.0.0/16,10.128.64.0/20,10.5.0.10,ber1-cp-1,10.5.0.11,ber1-cp-2,10.5.0.12,ber1-cp-3,10.5.0.13,ber1-worker-1,10.5.0.14,ber1-worker-2,10.5.0.15,ber1-worker-3,10.5.0.16,.svc,.cluster.local,corp.example.com"
CLUSTERKIT_EOF
write_file /etc/systemd/system/kubelet.service.d/clusterkit-http-proxy.conf 0644 <<'CLUSTERKIT_EOF'
[Service]
Environment="HTTP_PROXY=http://proxy.example.com:3128"
Environment="HTTPS_PROXY=http://proxy.example.com:3128"
Environment="NO_PROXY=localhost,127.0.0.1,::1,10.5.0.0/24,10.66.0.0/16,10.128.64.0/20,10.5.0.10,ber1-cp-1,10.5.0.11,ber1-cp-2,10.5.0.12,ber1-cp-3,10.5.0.13,ber1-worker-1,10.5.0.14,ber1-worker-2,10.5.0.15,ber1-worker-3,10.5.0.16,.svc,.cluster.local,corp.example.com"
CLUSTERKIT_EOF
case "$OS_FAMILY" in
  debian)
    write_file /etc/apt/apt.conf.d/95clusterkit-proxy 0644 <<'CLUSTERKIT_EOF'
Acquire::http::Proxy "http://proxy.example.com:3128";
Acquire::https::Proxy "http://proxy.example.com:3128";
CLUSTERKIT_EOF
    ;;
  rhel)
    install -d -m 0755 /etc/dnf
    { cat /etc/dnf/dnf.conf 2>/dev/null || true; } | awk -v line='proxy=http://proxy.example.com:3128' '
      /^proxy=/ { next }
      { print }
      /^\[main\]/ && !done { print line; done = 1 }
      END { if (!done) { print "[main]"; print line } }
    ' >/etc/dnf/dnf.conf.clusterkit.new
    write_file /etc/dnf/dnf.conf 0644 </etc/dnf/dnf.conf.clusterkit.new
    rm -f /etc/dnf/dnf.conf.clusterkit.new
    ;;
esac
systemctl daemon-reload
# A running containerd only reads its environment at start.
systemctl try-restart containerd

echo "clusterkit: http-proxy: done (${changed} file(s) changed)"
