# shellcheck shell=bash
# Fake package database shared by the apt-get/apt-mark/dpkg-query (Debian,
# Ubuntu) and dnf/rpm (RHEL) stand-ins. STATE/packages/NAME holds the installed
# version; STATE/holds/NAME marks apt-mark holds / dnf versionlocks.
# Kubernetes packages come only from a configured pkgs.k8s.io repository, whose
# minor (e.g. v1.33) limits the versions that can be installed, like the real
# per-minor repos. Installing kubeadm/kubelet/kubectl/containerd puts the
# matching stand-in at /usr/bin/NAME.

KUBE_PKGS=" kubeadm kubelet kubectl kubernetes-cni cri-tools "
KUBE_LATEST_PATCH=5

is_kube_pkg() { [[ $KUBE_PKGS == *" $1 "* ]]; }

# The repo definition file mentioning pkgs.k8s.io, if any. Pure bash (no grep, head or sed):
# a process costs about 10 ms of CPU on the test machines, and this runs on every package call.
kube_repo_file() {
  local dirs=(/etc/apt/sources.list /etc/apt/sources.list.d) d f
  [[ $HOST_OS == rhel ]] && dirs=(/etc/yum.repos.d)
  for d in "${dirs[@]}"; do
    for f in "$d" "$d"/*; do
      [[ -f $f && -r $f ]] || continue
      [[ $(<"$f") =~ pkgs\.k8s\.io/(core:/)?stable:/v1\.[0-9]+ ]] && { printf '%s\n' "$f"; return 0; }
    done
  done
  return 0
}
kube_repo_minor() { # -> "1.33"
  [[ $(<"$1") =~ stable:/v(1\.[0-9]+) ]] && printf '%s\n' "${BASH_REMATCH[1]}"
  return 0
}

# Resolves NAME[=|-]VERSION to a concrete version; prints "E: ..." and fails
# the way the real tool does when it cannot.
# resolve_version NAME WANTED(or empty) FLAVOR(deb|rpm)
resolve_version() {
  local name=$1 want=$2 flavor=$3 repo minor
  if is_kube_pkg "$name"; then
    repo=$(kube_repo_file) || true
    if [[ -z $repo ]]; then
      [[ $flavor == deb ]] && { echo "E: Unable to locate package $name"; return 100; }
      printf 'No match for argument: %s\nError: Unable to find a match: %s\n' "$name" "$name"
      return 1
    fi
    # apt only sees a new repository after `apt-get update`.
    if [[ $flavor == deb && (! -e $STATE/apt-updated || $repo -nt $STATE/apt-updated) ]]; then
      echo "E: Unable to locate package $name"
      return 100
    fi
    minor=$(kube_repo_minor "$repo")
    if [[ -z $want ]]; then
      if [[ $flavor == deb ]]; then want=$minor.$KUBE_LATEST_PATCH-1.1; else want=$minor.$KUBE_LATEST_PATCH-150500.1.1; fi
    fi
    local patch=${want#"$minor".}
    patch=${patch%%[!0-9]*}
    if [[ $want != "$minor".* || ! $want =~ ^1\.[0-9]+\.[0-9]+(-[0-9.]+)?\*?$ || -z $patch || $patch -gt $KUBE_LATEST_PATCH ]]; then
      [[ $flavor == deb ]] && { echo "E: Version '$want' for '$name' was not found"; return 100; }
      printf 'No match for argument: %s-%s\nError: Unable to find a match: %s-%s\n' "$name" "$want" "$name" "$want"
      return 1
    fi
    want=${want%\*}
    [[ $want == *-* ]] || { if [[ $flavor == deb ]]; then want+=-1.1; else want+=-150500.1.1; fi; }
  elif [[ -z $want ]]; then
    case $name in
      containerd) want=1.6.20~ds1-1+b1 ;;
      containerd.io) want=1.7.27-1 ;;
      *) want=$(real_pkg_version "$name") || want=1.0-1 ;;
    esac
  fi
  printf '%s\n' "$want"
}

# Versions a repository offers, newest first: kube packages 1.MINOR.0 to
# 1.MINOR.$KUBE_LATEST_PATCH from the configured pkgs.k8s.io minor (only after
# `apt-get update` on Debian-family hosts); other packages their base version.
available_versions() { # available_versions NAME deb|rpm
  local repo minor i rev=-1.1
  [[ $2 == rpm ]] && rev=-150500.1.1
  if is_kube_pkg "$1"; then
    repo=$(kube_repo_file) || true
    [[ -n $repo ]] || return 0
    [[ $2 == deb && (! -e $STATE/apt-updated || $repo -nt $STATE/apt-updated) ]] && return 0
    minor=$(kube_repo_minor "$repo")
    for ((i = KUBE_LATEST_PATCH; i >= 0; i--)); do echo "$minor.$i$rev"; done
  else
    case $1 in
      containerd) echo 1.6.20~ds1-1+b1 ;;
      containerd.io) echo 1.7.27-1 ;;
      *) real_pkg_version "$1" || true ;;
    esac
  fi
}
repo_line() { # the Packages source apt-cache prints for NAME
  local repo
  if is_kube_pkg "$1" && repo=$(kube_repo_file) && [[ -n $repo ]]; then
    echo "https://pkgs.k8s.io/core:/stable:/v$(kube_repo_minor "$repo")/deb  Packages"
  else
    echo "http://deb.debian.org/debian bookworm/main amd64 Packages"
  fi
}

# Version from the machine's real dpkg database (the host's base system).
real_pkg_version() {
  awk -v p="$1" '/^Package: /{cur=$2} cur==p && /^Version: /{print $2; found=1; exit} END{exit !found}' \
    /var/lib/dpkg/status 2>/dev/null
}

# Packages only the fake db may know: the test machine's own dpkg database can
# hold e.g. Google Cloud SDK's kubectl, which a fresh server would not have.
is_managed_pkg() { is_kube_pkg "$1" || [[ $1 == containerd || $1 == containerd.io ]]; }

installed_version() { # stand-in db first, then (Debian-family) the base system
  pkg_version "$1" && return 0
  [[ $HOST_OS != rhel ]] && ! is_managed_pkg "$1" && real_pkg_version "$1"
}

pkg_set() { # pkg_set NAME VERSION
  printf '%s\n' "$2" >"$STATE/packages/$1"
  case $1 in
    kubeadm | kubelet | kubectl) ln -sf "$STANDIN_BIN/$1" "/usr/bin/$1" ;;
    containerd | containerd.io) ln -sf "$STANDIN_BIN/containerd" /usr/bin/containerd ;;
  esac
  # kubeadm's packages depend on cri-tools (crictl), which apt and dnf pull in.
  if [[ $1 == kubeadm || $1 == cri-tools ]]; then
    [[ -e $STATE/packages/cri-tools ]] || printf '%s.0-1.1\n' "$(printf '%s' "$2" | cut -d. -f1-2)" >"$STATE/packages/cri-tools"
    ln -sf "$STANDIN_BIN/crictl" /usr/bin/crictl
  fi
}

pkg_unset() {
  rm -f "$STATE/packages/$1" "$STATE/holds/$1"
  case $1 in
    kubeadm | kubelet | kubectl) rm -f "/usr/bin/$1" ;;
    containerd | containerd.io) rm -f /usr/bin/containerd ;;
    cri-tools) rm -f /usr/bin/crictl ;;
  esac
}

is_held() { [[ -e $STATE/holds/$1 ]]; }

# OS updates the fleet's archive offers (harness Fleet.publishOsUpdates): lines
# "NAME BASE NEW FLAGS" in $CLUSTER/harness/os-updates. A host without NAME in the
# stand-in db runs BASE (its base system). FLAGS, comma-separated or "-":
# reboot (a kernel, libc: the update needs a reboot), new (it pulls in a new
# package, as a kernel's meta package does, so plain `apt-get upgrade` keeps it back).
OS_UPDATES=$CLUSTER/harness/os-updates

# os_upgradable FLAVOR(deb|rpm) WITH_NEW(0|1): "NAME NEW FLAGS" for each update this host would
# take, "kept NAME" for each it keeps back; the held (apt-mark hold, dnf versionlock or the
# Kubernetes repo's exclude=) never move.
os_upgradable() {
  local flavor=$1 with_new=$2 name base new flags cur latest p
  if [[ -r $OS_UPDATES ]]; then
    while read -r name base new flags; do
      [[ -n $name ]] || continue
      cur=$(pkg_version "$name") || cur=$base
      [[ $cur == "$new" ]] && continue
      if is_held "$name"; then echo "kept $name"; continue; fi
      if [[ $flavor == deb && $with_new -eq 0 && ,$flags, == *,new,* ]]; then echo "kept $name"; continue; fi
      echo "$name $new $flags"
    done <"$OS_UPDATES"
  fi
  # An installed Kubernetes package that is not held moves to the newest patch its repository has.
  for p in kubeadm kubelet kubectl; do
    cur=$(pkg_version "$p") || continue
    if is_held "$p" || { [[ $flavor == rpm ]] && excluded "$p"; }; then echo "kept $p"; continue; fi
    latest=$(resolve_version "$p" "" "$flavor" 2>/dev/null) || continue
    [[ $latest != "$cur" ]] && echo "$p $latest -"
  done
  return 0
}

# A core package changed: Debian-family packages say so in /var/run/reboot-required (kured's
# sentinel); on RHEL `dnf needs-restarting -r` compares with the boot (lib/boot.sh's boot id).
os_note_reboot() { # os_note_reboot FLAVOR NAME
  if [[ $1 == deb ]]; then
    echo '*** System restart required ***' >/run/reboot-required
    echo "$2" >>/run/reboot-required.pkgs
  else
    cat "$STATE/boot_id" >"$STATE/core-updated-boot"
    echo "$2" >>"$STATE/core-updated"
  fi
}
