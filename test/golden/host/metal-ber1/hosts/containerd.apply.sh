#!/usr/bin/env bash
# clusterkit host step "containerd" (apply), rendered for stack metal-ber1. Do not edit: re-render instead.
# Installs containerd if missing and configures it with SystemdCgroup = true.
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
  echo "clusterkit: containerd: must run as root (the SSH layer uses sudo)" >&2
  exit 1
fi

if ! command -v containerd >/dev/null; then
  case "$OS_FAMILY" in
    debian)
      DEBIAN_FRONTEND=noninteractive apt-get -q -y -o DPkg::Lock::Timeout=300 update
      DEBIAN_FRONTEND=noninteractive apt-get -q -y -o DPkg::Lock::Timeout=300 install --no-install-recommends containerd
      ;;
    rhel)
      docker_os=rhel
      # shellcheck source=/dev/null
      if [[ "$(. /etc/os-release && printf '%s' "${ID:-}")" == fedora ]]; then docker_os=fedora; fi
      install -d -m 0755 /etc/yum.repos.d
      printf '%s\n' '[docker-ce-stable]' 'name=Docker CE Stable' \
        'baseurl=https://download.docker.com/linux/'"${docker_os}/\$releasever/\$basearch/stable" \
        'enabled=1' 'gpgcheck=1' 'gpgkey=https://download.docker.com/linux/'"${docker_os}/gpg" >/etc/yum.repos.d/docker-ce.repo.clusterkit.new
      write_file /etc/yum.repos.d/docker-ce.repo 0644 </etc/yum.repos.d/docker-ce.repo.clusterkit.new
      rm -f /etc/yum.repos.d/docker-ce.repo.clusterkit.new
      dnf -y -q install containerd.io
      ;;
  esac
fi
restart=0
if [[ ! -f /etc/containerd/config.toml ]] || ! grep -Eq '^[[:space:]]*SystemdCgroup[[:space:]]*=[[:space:]]*true' /etc/containerd/config.toml; then
  if [[ -f /etc/containerd/config.toml ]]; then cp -p /etc/containerd/config.toml /etc/containerd/config.toml.clusterkit.bak; fi
  install -d -m 0755 /etc/containerd
  containerd config default | sed -E 's/^([[:space:]]*SystemdCgroup[[:space:]]*=[[:space:]]*)false/\1true/' >/etc/containerd/config.toml.clusterkit.default
  if ! grep -Eq '^[[:space:]]*SystemdCgroup[[:space:]]*=' /etc/containerd/config.toml.clusterkit.default; then
    sed -E -i '/io\.containerd\.(cri\.v1\.runtime|grpc\.v1\.cri).\.containerd\.runtimes\.runc\.options\]/a SystemdCgroup = true' /etc/containerd/config.toml.clusterkit.default
  fi
  write_file /etc/containerd/config.toml 0644 </etc/containerd/config.toml.clusterkit.default
  rm -f /etc/containerd/config.toml.clusterkit.default
  if ! grep -Eq '^[[:space:]]*SystemdCgroup[[:space:]]*=[[:space:]]*true' /etc/containerd/config.toml; then
    echo "clusterkit: could not switch /etc/containerd/config.toml to SystemdCgroup = true; set it under the runc options and re-run" >&2
    exit 1
  fi
  restart=1
fi
systemctl enable containerd >/dev/null 2>&1
if [[ "$restart" -eq 1 ]] || ! systemctl is-active --quiet containerd; then
  systemctl restart containerd
fi

echo "clusterkit: containerd: done (${changed} file(s) changed)"
