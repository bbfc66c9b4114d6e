#!/usr/bin/env bash
# `npm test`: type-check everything, then run every test file (unit, mocks, CLI and SSH host tests)
# with Node's built-in runner. Host tests need root and Debian packages (test/hosts/setup-deps.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
echo "== tsc --noEmit"
npx --no-install tsc --noEmit -p .
echo "== node --test"
mapfile -t files < <(find test -name '*.test.ts' -not -path '*/node_modules/*' | sort)
exec node --import tsx --test --test-concurrency=2 "${files[@]}"
