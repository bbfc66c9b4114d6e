#!/usr/bin/env bash
# clusterkit host step "containerd" (check), rendered for stack metal-ber1. Do not edit: re-render instead.
# Installs containerd if missing and configures it with SystemdCgroup = true, pulling every image from registry.example.internal:5000/mirror.
# Read-only. Exit 0: already done; 1: needs to run; 2: unsupported host.
set -euo pipefail

# file_is PATH MODE < expected: PATH exists with exactly this content and mode.
file_is() {
  [[ -f "$1" ]] && [[ "$(stat -c %a "$1")" == "${2#0}" ]] && cmp -s - "$1"
}

if ! command -v containerd >/dev/null; then exit 1; fi
if [[ ! -f /etc/containerd/config.toml ]] || ! grep -Eq '^[[:space:]]*SystemdCgroup[[:space:]]*=[[:space:]]*true' /etc/containerd/config.toml; then exit 1; fi
if ! grep -Eq "^[[:space:]]*config_path[[:space:]]*=[[:space:]]*[\"']/etc/containerd/certs.d[\"'][[:space:]]*$" /etc/containerd/config.toml; then exit 1; fi
if ! file_is /etc/containerd/certs.d/docker.io/hosts.toml 0644 <<'CLUSTERKIT_EOF'
# clusterkit: pulls of this registry's images go to the image mirror.
[host."https://registry.example.internal:5000/v2/mirror/docker.io"]
  capabilities = ["pull", "resolve"]
  override_path = true
CLUSTERKIT_EOF
then
  exit 1
fi
if ! file_is /etc/containerd/certs.d/registry.k8s.io/hosts.toml 0644 <<'CLUSTERKIT_EOF'
# clusterkit: pulls of this registry's images go to the image mirror.
[host."https://registry.example.internal:5000/v2/mirror/registry.k8s.io"]
  capabilities = ["pull", "resolve"]
  override_path = true
CLUSTERKIT_EOF
then
  exit 1
fi
if ! file_is /etc/containerd/certs.d/quay.io/hosts.toml 0644 <<'CLUSTERKIT_EOF'
# clusterkit: pulls of this registry's images go to the image mirror.
[host."https://registry.example.internal:5000/v2/mirror/quay.io"]
  capabilities = ["pull", "resolve"]
  override_path = true
CLUSTERKIT_EOF
then
  exit 1
fi
if ! file_is /etc/containerd/certs.d/ghcr.io/hosts.toml 0644 <<'CLUSTERKIT_EOF'
# clusterkit: pulls of this registry's images go to the image mirror.
[host."https://registry.example.internal:5000/v2/mirror/ghcr.io"]
  capabilities = ["pull", "resolve"]
  override_path = true
CLUSTERKIT_EOF
then
  exit 1
fi
if ! file_is /etc/containerd/certs.d/gcr.io/hosts.toml 0644 <<'CLUSTERKIT_EOF'
# clusterkit: pulls of this registry's images go to the image mirror.
[host."https://registry.example.internal:5000/v2/mirror/gcr.io"]
  capabilities = ["pull", "resolve"]
  override_path = true
CLUSTERKIT_EOF
then
  exit 1
fi
if ! file_is /etc/containerd/certs.d/public.ecr.aws/hosts.toml 0644 <<'CLUSTERKIT_EOF'
# clusterkit: pulls of this registry's images go to the image mirror.
[host."https://registry.example.internal:5000/v2/mirror/public.ecr.aws"]
  capabilities = ["pull", "resolve"]
  override_path = true
CLUSTERKIT_EOF
then
  exit 1
fi
if ! systemctl is-enabled --quiet containerd; then exit 1; fi
if ! systemctl is-active --quiet containerd; then exit 1; fi
exit 0
