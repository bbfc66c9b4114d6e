#!/usr/bin/env bash
# `npm test`: type-check everything, then run every test file with Node's built-in runner: first
# the unit, mocks and CLI tests two at a time, then the SSH host tests (real sshd hosts in network
# namespaces; root and test/setup-deps.sh needed) one at a time, because they measure timing
# (a connection cut in the middle of a step) that two fleets at once on two cores blur.
set -euo pipefail
cd "$(dirname "$0")/.."
echo "== tsc --noEmit"
npx --no-install tsc --noEmit -p .
mapfile -t all < <(find test -name '*.test.ts' -not -path '*/node_modules/*' | sort)
mapfile -t hosts < <(grep -l -E 'startFleet|hosts/harness|render-host-sandbox|from "\./harness"|\./baremetal/cluster' "${all[@]}")
mapfile -t rest < <(printf '%s\n' "${all[@]}" | grep -v -x -F -f <(printf '%s\n' "${hosts[@]}"))
echo "== node --test (${#rest[@]} files)"
node --import tsx --test --test-concurrency=2 "${rest[@]}"
echo "== node --test, SSH host tests (${#hosts[@]} files)"
node --import tsx --test --test-concurrency=1 "${hosts[@]}"
