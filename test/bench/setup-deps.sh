#!/usr/bin/env bash
# Debian packages `npm run bench` needs on top of the SSH host harness's: ansible-core (the
# comparison runs ansible-playbook against the same fake hosts). Idempotent and silent when done.
set -euo pipefail
exec bash "$(dirname "$0")/../hosts/setup-deps.sh" /usr/bin/ansible-playbook=ansible-core
