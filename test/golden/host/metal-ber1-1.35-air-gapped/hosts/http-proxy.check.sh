#!/usr/bin/env bash
# clusterkit host step "http-proxy" (check), rendered for stack metal-ber1. Do not edit: re-render instead.
# Routes containerd, kubelet and the package manager through the configured HTTP proxy.
# Read-only. Exit 0: already done; 1: needs to run; 2: unsupported host.
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

# file_is PATH MODE < expected: PATH exists with exactly this content and mode.
file_is() {
  [[ -f "$1" ]] && [[ "$(stat -c %a "$1")" == "${2#0}" ]] && cmp -s - "$1"
}

OS_FAMILY="$(os_family)" || exit 2
readonly OS_FAMILY

if ! file_is /etc/systemd/system/containerd.service.d/clusterkit-http-proxy.conf 0644 <<'CLUSTERKIT_EOF'
[Service]
Environment="HTTP_PROXY=http://proxy.example.com:3128"
Environment="HTTPS_PROXY=http://proxy.example.com:3128"
Environment="NO_PROXY=localhost,127.0.0.1,::1,10.5.0.0/24,10.66.0.0/16,10.128.64.0/20,10.5.0.10,ber1-cp-1,10.5.0.11,ber1-cp-2,10.5.0.12,ber1-cp-3,10.5.0.13,ber1-worker-1,10.5.0.14,ber1-worker-2,10.5.0.15,ber1-worker-3,10.5.0.16,.svc,.cluster.local,corp.example.com"
CLUSTERKIT_EOF
then
  exit 1
fi
if ! file_is /etc/systemd/system/kubelet.service.d/clusterkit-http-proxy.conf 0644 <<'CLUSTERKIT_EOF'
[Service]
Environment="HTTP_PROXY=http://proxy.example.com:3128"
Environment="HTTPS_PROXY=http://proxy.example.com:3128"
Environment="NO_PROXY=localhost,127.0.0.1,::1,10.5.0.0/24,10.66.0.0/16,10.128.64.0/20,10.5.0.10,ber1-cp-1,10.5.0.11,ber1-cp-2,10.5.0.12,ber1-cp-3,10.5.0.13,ber1-worker-1,10.5.0.14,ber1-worker-2,10.5.0.15,ber1-worker-3,10.5.0.16,.svc,.cluster.local,corp.example.com"
CLUSTERKIT_EOF
then
  exit 1
fi
for unit in containerd kubelet; do
  if [[ "$(systemctl show -p NeedDaemonReload --value "$unit" 2>/dev/null || true)" == yes ]]; then exit 1; fi
done
if ! {
case "$OS_FAMILY" in
  debian)
    file_is /etc/apt/apt.conf.d/95clusterkit-proxy 0644 <<'CLUSTERKIT_EOF'
Acquire::http::Proxy "http://proxy.example.com:3128";
Acquire::https::Proxy "http://proxy.example.com:3128";
CLUSTERKIT_EOF
    ;;
  rhel)
    grep -qxF 'proxy=http://proxy.example.com:3128' /etc/dnf/dnf.conf
    ;;
esac
}; then
  exit 1
fi
exit 0
