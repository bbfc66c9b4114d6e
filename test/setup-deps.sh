#!/usr/bin/env bash
# Debian packages `npm test` needs: the SSH host harness's (sshd, iproute2, etcd, shellcheck, …;
# see test/hosts/setup-deps.sh) plus cloud-init and netplan, which check the rendered vSphere
# cloud-init with the real tools. Idempotent and quiet when everything is installed.
set -euo pipefail
here=$(dirname "$0")
bash "$here/hosts/setup-deps.sh"

missing=()
command -v cloud-init >/dev/null || missing+=(cloud-init)
command -v netplan >/dev/null || missing+=(netplan.io)
[[ ${#missing[@]} -eq 0 ]] && exit 0

# Keep package scripts from starting services on this machine.
policy=/usr/sbin/policy-rc.d
made_policy=0
if [[ ! -e $policy ]]; then
  printf '#!/bin/sh\nexit 101\n' >"$policy"
  chmod 755 "$policy"
  made_policy=1
fi
trap '[[ $made_policy -eq 1 ]] && rm -f "$policy"' EXIT
export DEBIAN_FRONTEND=noninteractive
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/tmp/setup-deps.test.log 2>&1 || {
  apt-get update -qq >/dev/null
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/tmp/setup-deps.test.log 2>&1 || { cat /tmp/setup-deps.test.log >&2; exit 1; }
}
echo "setup-deps: installed ${missing[*]}"
