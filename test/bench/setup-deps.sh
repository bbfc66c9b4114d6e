#!/usr/bin/env bash
# Debian packages `npm run bench` needs on top of test/hosts/setup-deps.sh: ansible-core (the
# comparison runs ansible-playbook against the same fake hosts). Idempotent and silent when done.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
bash "$here/../hosts/setup-deps.sh"
[[ -x /usr/bin/ansible-playbook ]] && exit 0
if [[ $(id -u) -ne 0 ]]; then
  echo "bench setup-deps: need root to install ansible-core" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
if [[ -z $(find /var/lib/apt/lists -maxdepth 1 -name '*_Packages' -print -quit 2>/dev/null) ]]; then
  apt-get update -qq >/dev/null
fi
if ! apt-get install -y -qq --no-install-recommends ansible-core >/tmp/bench-setup-deps.apt.log 2>&1; then
  apt-get update -qq >/dev/null
  apt-get install -y -qq --no-install-recommends ansible-core >/tmp/bench-setup-deps.apt.log 2>&1 || {
    cat /tmp/bench-setup-deps.apt.log >&2
    exit 1
  }
fi
echo "bench setup-deps: installed ansible-core"
