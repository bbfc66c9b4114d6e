#!/usr/bin/env bash
# Installs the Debian packages the fake-host harness needs, plus any BINARY=PACKAGE pairs given. Idempotent: when
# everything is present it only runs dpkg-query and exits silently.
set -euo pipefail

# Binaries we check rather than package names so a machine that got them some
# other way is not forced through apt.
declare -A need=(
  [/usr/sbin/sshd]=openssh-server
  [/usr/bin/ssh-keygen]=openssh-client
  [/usr/sbin/ip]=iproute2
  [/usr/bin/unshare]=util-linux
  [/usr/bin/nsenter]=util-linux
  [/usr/bin/etcd]=etcd-server
  [/usr/bin/etcdctl]=etcd-client
  [/usr/bin/jq]=jq
  [/usr/bin/pkill]=procps
  [/usr/bin/shellcheck]=shellcheck
  [/usr/bin/sudo]=sudo
  [/usr/bin/openssl]=openssl
  [/usr/bin/flock]=util-linux
  [/usr/sbin/runuser]=util-linux
  # host-init copies the real curl; provisioning scripts pipe keys into gpg.
  [/usr/bin/curl]=curl
  [/usr/bin/gpg]=gpg
)

# Callers may add more as BINARY=PACKAGE arguments (test/setup-deps.sh does).
for pair in "$@"; do
  need[${pair%%=*}]=${pair#*=}
done

missing=()
for bin in "${!need[@]}"; do
  [[ -x "$bin" ]] || missing+=("${need[$bin]}")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

mapfile -t uniq < <(printf '%s\n' "${missing[@]}" | sort -u)
# One line, at once, where we cannot install: what is missing and the command that installs it.
if [[ $(id -u) -ne 0 ]] || ! command -v apt-get >/dev/null; then
  why="not root"; [[ $(id -u) -eq 0 ]] && why="no apt-get"
  echo "setup-deps: missing Debian packages ${uniq[*]} ($why); install them with: sudo apt-get install -y ${uniq[*]}" >&2
  exit 2
fi

# Package postinst scripts would otherwise start sshd on the root namespace's
# port 22 and etcd on localhost; the harness starts its own inside netns.
policy=/usr/sbin/policy-rc.d
made_policy=0
if [[ ! -e $policy ]]; then
  printf '#!/bin/sh\nexit 101\n' >"$policy"
  chmod 755 "$policy"
  made_policy=1
fi
cleanup() { if [[ $made_policy -eq 1 ]]; then rm -f "$policy"; fi; }
trap cleanup EXIT

export DEBIAN_FRONTEND=noninteractive
# Only refresh the index when apt has never been updated on this machine, so a
# re-run stays fast; a stale index still resolves bookworm's fixed versions.
if [[ -z $(find /var/lib/apt/lists -maxdepth 1 -name '*_Packages' -print -quit 2>/dev/null) ]]; then
  apt-get update -qq >/dev/null
fi
if ! apt-get install -y -qq --no-install-recommends "${uniq[@]}" >/tmp/setup-deps.apt.log 2>&1; then
  # A stale index can point at versions the mirror no longer has.
  apt-get update -qq >/dev/null
  apt-get install -y -qq --no-install-recommends "${uniq[@]}" >/tmp/setup-deps.apt.log 2>&1 || {
    cat /tmp/setup-deps.apt.log >&2
    echo "setup-deps: apt-get could not install ${uniq[*]} (log above)" >&2
    exit 2
  }
fi
echo "setup-deps: installed ${uniq[*]}"
