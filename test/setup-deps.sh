#!/usr/bin/env bash
# Debian packages `npm test` needs: the SSH host harness's (sshd, iproute2, etcd, shellcheck, …;
# see test/hosts/setup-deps.sh) plus cloud-init and netplan, which check the rendered vSphere
# cloud-init with the real tools. Idempotent and quiet when everything is installed.
set -euo pipefail
exec bash "$(dirname "$0")/hosts/setup-deps.sh" /usr/bin/cloud-init=cloud-init /usr/sbin/netplan=netplan.io
