#!/usr/bin/env bash
# `npm test`: everything, in batches. First the Debian packages the tests need (installed when
# missing; one line and exit 2 where that cannot be done), then: type checks; the unit, mocks and
# CLI tests two files at a time; the SSH host tests (real sshd hosts in network namespaces) one file
# at a time, because they measure timing (a connection cut in the middle of a step) that two fleets
# at once on two cores blur. A failed batch does not stop the later ones; the closing summary names
# each batch and how it ended, and the last line totals the tests.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 2

log_dir=$(mktemp -d)
trap 'rm -rf "$log_dir"; [[ -n ${upstream_build_pid:-} ]] && kill -- "-$upstream_build_pid" 2>/dev/null' EXIT
names=() results=() failed=0 passed_total=0 failed_total=0

# The upstream tools (test/upstream/build.sh) build in the background from the start, while the
# batches below run, in a session of its own. With autogroup scheduling (the kernel default) that
# session takes an equal share of the CPU whatever its `nice`, and that is kept on purpose: with
# the session's autogroup at nice 19 a cold run took 104 minutes instead of 77, because the host
# tests left the build half a core and a lone `go build` then used only about 1.2 of the two cores
# (test/upstream/README.md). Needs Go; CLUSTERKIT_UPSTREAM_BUILD=skip opts out.
upstream_build_pid="" upstream_build_log="$log_dir/upstream-build.log" upstream_build_start=$SECONDS
build_args=()
[[ ${CLUSTERKIT_REQUIRE_UPSTREAM:-} == 1 ]] && build_args+=(--require-all)
tools_dir=$(bash test/upstream/build.sh --print-dir 2>/dev/null || true)
if [[ -n $tools_dir && ! -f $(dirname "$tools_dir")/complete && ${CLUSTERKIT_UPSTREAM_BUILD:-auto} != skip ]] \
  && { command -v go >/dev/null || [[ -x /usr/local/go/bin/go ]]; }; then
  echo "== upstream tools: building in the background (the first build takes tens of minutes; CLUSTERKIT_UPSTREAM_BUILD=skip opts out)"
  setsid nice -n 19 bash test/upstream/build.sh "${build_args[@]}" >"$upstream_build_log" 2>&1 &
  upstream_build_pid=$!
fi

bash test/setup-deps.sh || exit 2

# run_batch NAME COMMAND...: runs one batch, keeps its output for the summary's counts.
run_batch() {
  local name=$1 log="$log_dir/${#names[@]}.log" start=$SECONDS rc pass fail skip
  shift
  echo "== $name"
  "$@" 2>&1 | tee "$log"
  rc=${PIPESTATUS[0]}
  pass=$(sed -n -E 's/^(ℹ|#) pass ([0-9]+)$/\2/p' "$log" | tail -n 1)
  fail=$(sed -n -E 's/^(ℹ|#) fail ([0-9]+)$/\2/p' "$log" | tail -n 1)
  skip=$(sed -n -E 's/^(ℹ|#) skipped ([0-9]+)$/\2/p' "$log" | tail -n 1)
  local counts=""
  if [[ -n $pass ]]; then
    counts=" ($pass passed, ${fail:-0} failed, ${skip:-0} skipped)"
    passed_total=$((passed_total + pass))
    failed_total=$((failed_total + ${fail:-0}))
  fi
  names+=("$name")
  if [[ $rc -eq 0 ]]; then
    results+=("passed$counts in $((SECONDS - start)) s")
  else
    results+=("FAILED (exit $rc)$counts in $((SECONDS - start)) s")
    failed=1
  fi
}

mapfile -t all < <(find test -name '*.test.ts' -not -path '*/node_modules/*' | sort)
# The upstream tier goes last, after the background build, even where it also starts host fleets.
mapfile -t upstream < <(printf '%s\n' "${all[@]}" | grep -E '^test/upstream-[^/]*\.test\.ts$')
mapfile -t hosts < <(printf '%s\n' "${all[@]}" | grep -v -x -F -f <(printf '%s\n' "${upstream[@]}") \
  | xargs grep -l -E 'startFleet|hosts/harness|render-host-sandbox|from "\./harness"|\./baremetal/cluster')
mapfile -t rest < <(printf '%s\n' "${all[@]}" | grep -v -x -F -f <(printf '%s\n' "${hosts[@]}" "${upstream[@]}"))

run_batch "type check (tsc --noEmit)" npx --no-install tsc --noEmit -p .
run_batch "unit, mocks and CLI tests (${#rest[@]} files)" node --import tsx --test --test-concurrency=2 "${rest[@]}"
run_batch "SSH host tests (${#hosts[@]} files)" node --import tsx --test --test-concurrency=1 "${hosts[@]}"

# The upstream-binary tier runs with whichever real tools test/upstream/build.sh has built; each of
# its tests skips, saying so, what needs a tool that is not built (with CLUSTERKIT_REQUIRE_UPSTREAM=1,
# as in CI, it fails instead). While the build still runs, each file waits for its own tools only
# (test/upstream/tools.ts), so the tiers run while the rest builds.
have_tools() { [[ -n $tools_dir ]] && compgen -G "$tools_dir/*" >/dev/null; }
if [[ ${#upstream[@]} -gt 0 ]] && { [[ -n $upstream_build_pid ]] || have_tools || [[ ${CLUSTERKIT_REQUIRE_UPSTREAM:-} == 1 ]]; }; then
  run_batch "upstream-binary tier (${#upstream[@]} files)" node --import tsx --test --test-concurrency=1 "${upstream[@]}"
else
  echo "== upstream-binary tier: not run, no upstream tool is built (bash test/upstream/build.sh builds them)"
fi
if [[ -n $upstream_build_pid ]]; then
  echo "== upstream tools: waiting for the background build ($((SECONDS - upstream_build_start)) s so far)"
  while kill -0 "$upstream_build_pid" 2>/dev/null; do
    sleep 60 & wait $!
    kill -0 "$upstream_build_pid" 2>/dev/null && echo "   $((SECONDS - upstream_build_start)) s: $(grep -E '^  [^ ]+: ' "$upstream_build_log" | tail -n 1 | sed 's/^ *//')"
  done
  wait "$upstream_build_pid"; build_rc=$?
  grep -E '^  [^ ]+: |missing|FAILED' "$upstream_build_log" | sed 's/^ */   /'
  names+=("upstream tools build (test/upstream/build.sh)")
  if [[ $build_rc -eq 0 ]]; then
    results+=("passed in $((SECONDS - upstream_build_start)) s (in the background)")
  else
    results+=("FAILED (exit $build_rc) in $((SECONDS - upstream_build_start)) s; last lines:")
    tail -n 30 "$upstream_build_log"
    failed=1
  fi
fi
built=() absent=()
for t in kubeadm etcd kube-apiserver kube-controller-manager pulumi pulumi-language-nodejs pulumi-resource-kubernetes versitygw; do
  if [[ -n $tools_dir && -x $tools_dir/$t ]]; then built+=("$t"); else absent+=("$t"); fi
done
echo
echo "== summary"
for i in "${!names[@]}"; do
  printf '  %-45s %s\n' "${names[$i]}" "${results[$i]}"
done
echo "  tiers: unit, mocks and CLI; SSH hosts; upstream binaries with ${built[*]:-none} (not built: ${absent[*]:-none}; bash test/upstream/build.sh builds them)"
echo "tests: $passed_total passed, $failed_total failed"
exit "$failed"
