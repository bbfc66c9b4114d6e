#!/usr/bin/env bash
# clusterkit host step "kubernetes-packages" (check), rendered for stack metal-ber1. Do not edit: re-render instead.
# Installs kubelet, kubeadm, kubectl 1.34.1 from https://pkgs.k8s.io/core:/stable: and holds them.
# Read-only. Exit 0: already done; 1: needs to run; 2: unsupported host.
set -euo pipefail

readonly K8S_VERSION='1.34.1'

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

OS_FAMILY="$(os_family)" || exit 2
readonly OS_FAMILY

case "$OS_FAMILY" in
  debian)
    installed_version() {
      local pkg="$1"
      # ${...} below is dpkg-query's format, not the shell's.
      # shellcheck disable=SC2016
      { dpkg-query -W -f='${db:Status-Status} ${Version}\n' "$pkg" 2>/dev/null || true; } | awk '$1 == "installed" { sub(/-.*/, "", $2); print $2 }'
    }
    ;;
  rhel)
    installed_version() {
      local pkg="$1"
      if rpm -q --quiet "$pkg"; then rpm -q --qf '%{VERSION}\n' "$pkg"; fi
    }
    ;;
esac
for pkg in kubelet kubeadm kubectl; do
  have="$(installed_version "$pkg")"
  if [[ -z "$have" ]]; then exit 1; fi
  if [[ "$have" != "$K8S_VERSION" && ! -f /etc/kubernetes/kubelet.conf ]]; then exit 1; fi
done
if ! {
case "$OS_FAMILY" in
  debian)
    [[ "$(apt-mark showhold | grep -cxE 'kubelet|kubeadm|kubectl')" -eq 3 ]]
    ;;
  rhel)
    grep -qxF 'exclude=kubelet kubeadm kubectl cri-tools kubernetes-cni' /etc/yum.repos.d/kubernetes.repo
    ;;
esac
}; then
  exit 1
fi
if ! systemctl is-enabled --quiet kubelet; then exit 1; fi
exit 0
