#!/usr/bin/env bash
# clusterkit host step "kubernetes-packages" (apply), rendered for stack metal-ber1. Do not edit: re-render instead.
# Installs kubelet, kubeadm, kubectl 1.35.0 from https://mirror.example.com/k8s/core:/stable: and holds them.
# Idempotent: safe to run again. Exit 0: done.
set -euo pipefail

readonly K8S_VERSION='1.35.0'

export http_proxy='http://proxy.example.com:3128'
export HTTP_PROXY='http://proxy.example.com:3128'
export https_proxy='http://proxy.example.com:3128'
export HTTPS_PROXY='http://proxy.example.com:3128'
export no_proxy='localhost,127.0.0.1,::1,10.5.0.0/24,10.66.0.0/16,10.128.64.0/20,10.5.0.10,ber1-cp-1,10.5.0.11,ber1-cp-2,10.5.0.12,ber1-cp-3,10.5.0.13,ber1-worker-1,10.5.0.14,ber1-worker-2,10.5.0.15,ber1-worker-3,10.5.0.16,.svc,.cluster.local,corp.example.com'
export NO_PROXY='localhost,127.0.0.1,::1,10.5.0.0/24,10.66.0.0/16,10.128.64.0/20,10.5.0.10,ber1-cp-1,10.5.0.11,ber1-cp-2,10.5.0.12,ber1-cp-3,10.5.0.13,ber1-worker-1,10.5.0.14,ber1-worker-2,10.5.0.15,ber1-worker-3,10.5.0.16,.svc,.cluster.local,corp.example.com'

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
  echo "clusterkit: kubernetes-packages: must run as root (the SSH layer uses sudo)" >&2
  exit 1
fi

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
missing=0
for pkg in kubelet kubeadm kubectl; do
  have="$(installed_version "$pkg")"
  if [[ -z "$have" ]]; then
    missing=1
  elif [[ "$have" != "$K8S_VERSION" && ! -f /etc/kubernetes/kubelet.conf ]]; then
    echo "clusterkit: $pkg $have is installed, the cluster needs $K8S_VERSION; changing versions is an upgrade (kubeadm upgrade), not host preparation" >&2
    exit 1
  fi
done
case "$OS_FAMILY" in
  debian)
    DEBIAN_FRONTEND=noninteractive apt-get -q -y -o DPkg::Lock::Timeout=300 update
    DEBIAN_FRONTEND=noninteractive apt-get -q -y -o DPkg::Lock::Timeout=300 install --no-install-recommends ca-certificates curl gpg
    install -d -m 0755 /etc/apt/keyrings
    curl -fsSL 'https://mirror.example.com/k8s/core:/stable:/v1.35/deb/Release.key' | gpg --dearmor --batch --yes -o /etc/apt/keyrings/kubernetes-apt-keyring.gpg.new
    chmod 0644 /etc/apt/keyrings/kubernetes-apt-keyring.gpg.new
    mv -f /etc/apt/keyrings/kubernetes-apt-keyring.gpg.new /etc/apt/keyrings/kubernetes-apt-keyring.gpg
    write_file /etc/apt/sources.list.d/kubernetes.list 0644 <<'CLUSTERKIT_EOF'
deb [signed-by=/etc/apt/keyrings/kubernetes-apt-keyring.gpg] https://mirror.example.com/k8s/core:/stable:/v1.35/deb/ /
CLUSTERKIT_EOF
    DEBIAN_FRONTEND=noninteractive apt-get -q -y -o DPkg::Lock::Timeout=300 update
    ;;
  rhel)
    write_file /etc/yum.repos.d/kubernetes.repo 0644 <<'CLUSTERKIT_EOF'
[kubernetes]
name=Kubernetes v1.35
baseurl=https://mirror.example.com/k8s/core:/stable:/v1.35/rpm/
enabled=1
gpgcheck=1
gpgkey=https://mirror.example.com/k8s/core:/stable:/v1.35/rpm/repodata/repomd.xml.key
exclude=kubelet kubeadm kubectl cri-tools kubernetes-cni
CLUSTERKIT_EOF
    ;;
esac
if [[ "$missing" -eq 1 ]]; then
  case "$OS_FAMILY" in
    debian)
      repo='https://mirror.example.com/k8s/core:/stable:/v1.35/deb/'
      want='1.35.0'
      pins=()
      wanted=(kubelet kubeadm kubectl)
      for pkg in "${wanted[@]}"; do
        # The packaging revision (e.g. -1.1) is whatever the repository has for this exact version.
        pkgver="$(apt-cache madison "$pkg" | awk -v want="$want" 'index($3, want "-") == 1 { print $3; exit }')"
        if [[ -z "$pkgver" ]]; then
          echo "clusterkit: $pkg $want is not in $repo" >&2
          exit 1
        fi
        pins+=("$pkg=$pkgver")
      done
      DEBIAN_FRONTEND=noninteractive apt-get -q -y -o DPkg::Lock::Timeout=300 install --no-install-recommends "${pins[@]}"
      ;;
    rhel)
      dnf -y -q install --disableexcludes=kubernetes 'kubelet-1.35.0' 'kubeadm-1.35.0' 'kubectl-1.35.0'
      ;;
  esac
fi
case "$OS_FAMILY" in
  debian)
    apt-mark hold kubelet kubeadm kubectl >/dev/null
    ;;
  rhel)
    : # held by the exclude= line of /etc/yum.repos.d/kubernetes.repo
    ;;
esac
# kubelet restarts in a loop until kubeadm writes its config; that is expected.
systemctl enable kubelet >/dev/null 2>&1

echo "clusterkit: kubernetes-packages: done (${changed} file(s) changed)"
