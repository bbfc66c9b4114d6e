#!/usr/bin/env bash
# clusterkit host step "detect-os" (check), rendered for stack metal-ber1. Do not edit: re-render instead.
# Prints the OS family (debian or rhel) from /etc/os-release.
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

os_family
