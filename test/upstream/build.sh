#!/usr/bin/env bash
# Builds the real upstream tools the upstream test tiers run, from their published Go modules,
# through the small wrapper modules beside this script. Test tooling only: no upstream code enters
# the repository, and users of clusterkit never need Go.
#
#   bash test/upstream/build.sh [--print-dir] [--require-all]
#
#   --print-dir    print the bin folder for the pinned versions and stop; builds nothing, needs no Go
#   --require-all  exit 1 when any tool is missing (CI: a missing tier is a failure, not a skip)
#
# kubeadm is built for every other supported minor too, as kubeadm-<version> (KUBEADM_EXTRA_VERSIONS).
# Tools land in ${CLUSTERKIT_TOOLS_DIR:-$HOME/.cache/clusterkit/upstream}/<key>/bin. The key names
# every pinned version and hashes this script, versions.env and the wrapper modules, so a warm cache
# is a no-op and any change builds afresh. The last line printed is always that bin folder.
#
# A module the proxy refuses is not faked: the tool is left out, the go error is printed and kept
# in <key>/missing.txt, and the rest is built. Any other build failure exits 1.
set -euo pipefail
shopt -s nullglob

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=versions.env disable=SC1091 # plain KEY=value lines, checked by build.sh itself
. "$here/versions.env"

print_dir=false
require_all=false
for arg in "$@"; do
  case $arg in
    --print-dir) print_dir=true ;;
    --require-all) require_all=true ;;
    *) echo "build.sh: unknown argument '$arg' (expected --print-dir or --require-all)" >&2; exit 2 ;;
  esac
done

hash=$(cd "$here" && cat build.sh versions.env ./*/go.mod ./*/go.sum ./*/*.go | sha256sum | cut -c1-12)
key="k8s-${KUBERNETES_VERSION}_etcd-${ETCD_VERSION}_pulumi-${PULUMI_VERSION}_pk8s-${PULUMI_KUBERNETES_MODULE##*-}_${hash}"
dir="${CLUSTERKIT_TOOLS_DIR:-$HOME/.cache/clusterkit/upstream}/$key"
bin="$dir/bin"

finish() {
  local missing=""
  [[ -s $dir/missing.txt ]] && missing=$(cut -f1 "$dir/missing.txt" | tr '\n' ' ')
  if [[ -n $missing ]]; then
    echo "missing (the module proxy refused them, see $dir/missing.txt): $missing" >&2
  fi
  echo "$bin"
  if [[ -n $missing ]] && $require_all; then exit 1; fi
  exit 0
}

if $print_dir; then echo "$bin"; exit 0; fi
if [[ -f $dir/complete ]]; then echo "cached: $key"; finish; fi

go=${GO:-$(command -v go || echo /usr/local/go/bin/go)}
if [[ ! -x $go ]]; then
  echo "build.sh: Go is not installed (looked on PATH and at /usr/local/go/bin/go); set GO=/path/to/go" >&2
  exit 1
fi
command -v node >/dev/null || { echo "build.sh: node is needed to prepare the provider schema" >&2; exit 1; }

# The wrapper go.mod files carry the module versions; versions.env carries the link-time version
# strings. Refuse to build when the two disagree rather than stamp a binary with the wrong version.
pin() { # pin <wrapper> <module> <version>
  grep -Eq "^[[:space:]]*(require[[:space:]]+)?${2//./\\.}[[:space:]]+${3//./\\.}([[:space:]]|$)" "$here/$1/go.mod" \
    || { echo "build.sh: test/upstream/$1/go.mod does not require $2 $3 (versions.env); bump both together" >&2; exit 1; }
}
minor_of() { local v=${1#v}; echo "${v%.*}"; }
pin_kubernetes() { # pin_kubernetes <wrapper> <version>: the tag, and every staging module at its v0.Y.Z
  local staging="v0.${2#v1.}"
  pin "$1" k8s.io/kubernetes "$2"
  if grep -E '=> k8s\.io/[^ ]+ v0\.' "$here/$1/go.mod" | grep -vq " $staging\$"; then
    echo "build.sh: test/upstream/$1/go.mod replaces a staging module with a version other than $staging" >&2
    exit 1
  fi
}
pin_kubernetes kubernetes "$KUBERNETES_VERSION"
for v in $KUBEADM_EXTRA_VERSIONS; do pin_kubernetes "kubeadm-$(minor_of "$v")" "$v"; done
pin etcd go.etcd.io/etcd/server/v3 "$ETCD_VERSION"
pin pulumi github.com/pulumi/pulumi/pkg/v3 "$PULUMI_VERSION"
pin pulumi github.com/pulumi/pulumi/sdk/v3 "$PULUMI_VERSION"
pin pulumi-language-nodejs github.com/pulumi/pulumi/sdk/v3 "$PULUMI_LANGUAGE_NODEJS_SDK"
pin pulumi-kubernetes github.com/pulumi/pulumi-kubernetes/provider/v4 "$PULUMI_KUBERNETES_MODULE"
pin versitygw github.com/versity/versitygw "$VERSITYGW_VERSION"

# A toolchain line must never make go fetch another toolchain behind our back; builds are static
# and reproducible (upstream ships these tools built with CGO off and -trimpath too).
export GOTOOLCHAIN=local CGO_ENABLED=0 GOFLAGS="-mod=readonly -buildvcs=false -trimpath"
# No inlining: the compiler does a fifth less work (kubeadm v1.34.1 from a cold build cache on two
# cores: 399 CPU-seconds instead of 509) and a cold CI run is bound by these builds. The tools run
# a little slower; what they accept and write is the same. No DWARF either: -s -w drops it at link
# time anyway, so generating it in every compile is wasted work.
gcflags="all=-l -dwarf=false"
mkdir -p "$bin" "$dir/logs" "$dir/src"
: > "$dir/missing.txt"
# While this runs, <key>/building holds its PID and each tool that is built and checked gets a file
# in <key>/ready/: the test tiers wait for the tools they need (test/upstream/tools.ts) and start
# as soon as those are ready, while the rest builds.
rm -rf "$dir/ready" && mkdir -p "$dir/ready"
echo "$$" >"$dir/building"
trap 'rm -f "$dir/building"' EXIT
failed=false
echo "building upstream test tools into $dir with $("$go" env GOVERSION) (cold: tens of minutes)"

refused() { # refused <log>: the proxy's refusal is final, anything else is a real failure
  grep -Eq '403 Forbidden|410 Gone|404 Not Found|not available|unknown revision|invalid version' "$1"
}

# recipe <wrapper dir> <package> <ldflags> <tags>: everything a tool's binary is a function of. The
# cache key hashes all wrappers and this script, so any edit opens a fresh folder; a tool whose own
# recipe did not change is taken from an older folder instead of rebuilt (kubeadm costs an hour).
recipe() {
  { "$go" env GOVERSION; printf '%s\n' "$2" "$3" "$4" "$GOFLAGS" "$CGO_ENABLED" "$gcflags"; cat "$1"/go.mod "$1"/go.sum "$1"/*.go "$1"/*.json 2>/dev/null || true; } | sha256sum | cut -c1-64
}
# reuse <tool> <recipe>: hard-links (or copies) the tool from another cache folder with the same recipe.
reuse() {
  local r
  for r in "$(dirname "$dir")"/*/recipes/"$1"; do
    [[ $r == "$dir/recipes/$1" || $(cat "$r") != "$2" ]] && continue
    local from; from="$(dirname "$(dirname "$r")")"
    [[ -x $from/bin/$1 ]] || continue
    ln -f "$from/bin/$1" "$bin/$1" 2>/dev/null || cp "$from/bin/$1" "$bin/$1"
    echo "  $1: reused from $(basename "$from") (same recipe)"
    return 0
  done
  return 1
}

# build <tool> <wrapper dir> <package> <ldflags> [<tags>]
build() {
  local tool=$1 wdir=$2 pkg=$3 ldflags=$4 tags=${5:-} start TIMEFORMAT='%U %S' cpu sum
  sum=$(recipe "$wdir" "$pkg" "$ldflags" "$tags")
  mkdir -p "$dir/recipes"
  # A binary already here was built by this folder's script, so it has this folder's recipe.
  if [[ -x $bin/$tool ]]; then echo "  $tool: already built"; echo "$sum" >"$dir/recipes/$tool"; return 0; fi
  if reuse "$tool" "$sum"; then echo "$sum" >"$dir/recipes/$tool"; return 0; fi
  start=$SECONDS
  # CPU seconds as well as wall seconds: on a shared machine the wall time says little by itself.
  if { time (cd "$wdir" && nice -n 19 "$go" build -tags "$tags" -gcflags "$gcflags" -ldflags "$ldflags" -o "$bin/.$tool.tmp" "$pkg" >"$dir/logs/$tool.log" 2>&1); } 2>"$dir/logs/$tool.cpu"; then
    mv "$bin/.$tool.tmp" "$bin/$tool"
    echo "$sum" >"$dir/recipes/$tool"
    cpu=$(awk '{printf "%d", $1 + $2}' "$dir/logs/$tool.cpu")
    printf '%s\t%s\t%s\n' "$tool" "$((SECONDS - start))" "$cpu" >>"$dir/build-times.tsv"
    echo "  $tool: built in $((SECONDS - start))s ($cpu CPU-seconds)"
  elif refused "$dir/logs/$tool.log"; then
    printf '%s\t%s\n' "$tool" "$(grep -v '^go: downloading' "$dir/logs/$tool.log" | tr '\t\n' '  ')" >>"$dir/missing.txt"
    echo "  $tool: NOT BUILT, the module proxy refused it:" >&2
    sed 's/^/    /' "$dir/logs/$tool.log" >&2
  else
    echo "  $tool: BUILD FAILED after $((SECONDS - start))s; last lines of $dir/logs/$tool.log:" >&2
    tail -n 30 "$dir/logs/$tool.log" | sed 's/^/    /' >&2
    failed=true
  fi
}

# check <tool> <expected substring> <command...>: a binary that does not report the pinned version is
# not the tool we meant to build.
check() {
  local tool=$1 want=$2 out
  shift 2
  [[ -x $bin/$tool ]] || return 0
  if out=$("$@" 2>&1) && [[ $out == *"$want"* ]]; then
    echo "  $tool: ok ($(head -n1 <<<"$out"))"
    touch "$dir/ready/$tool"
  else
    # Moved aside, not deleted: a wrong check must not cost a good build its only copy.
    mkdir -p "$dir/rejected"
    mv -f "$bin/$tool" "$dir/rejected/$tool"
    rm -f "$dir/recipes/$tool"
    echo "  $tool: CHECK FAILED, expected '$want' from '$*', got: $out (the binary is kept in $dir/rejected/)" >&2
    failed=true
  fi
}

# Without these kubeadm's version skew checks fail and /version reports v0.0.0-master.
k8s_ldflags() { # k8s_ldflags <version>
  local v=$1 major minor flags="-s -w" p
  major=$(minor_of "$v"); minor=${major#*.}; major=${major%.*}
  for p in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    flags+=" -X $p.gitVersion=$v -X $p.gitMajor=$major -X $p.gitMinor=$minor -X $p.gitTreeState=clean"
  done
  echo "$flags"
}
# Each tool is checked as soon as it is built, so the tiers can start on it. etcd goes first and
# alone: it compiles most of the standard library, which two builds started at once would each
# compile again. Then two lanes build at once, because one `go build` keeps only about 1.2 of two
# cores busy (its links and its long chains of dependent packages run one at a time); in each lane
# the order is the order the tiers need the tools (upstream-apiserver, -engine, -kubeadm, -s3).
k8s=$(k8s_ldflags "$KUBERNETES_VERSION")
build etcd "$here/etcd" go.etcd.io/etcd/server/v3 "-s -w -X go.etcd.io/etcd/api/v3/version.GitSHA=module-$ETCD_VERSION"
check etcd "etcd Version: ${ETCD_VERSION#v}" "$bin/etcd" --version

extra_kubeadm() { # extra_kubeadm <version>
  build "kubeadm-$1" "$here/kubeadm-$(minor_of "$1")" k8s.io/kubernetes/cmd/kubeadm "$(k8s_ldflags "$1")"
  check "kubeadm-$1" "$1" "$bin/kubeadm-$1" version -o short
}
read -r -a extra <<<"$KUBEADM_EXTRA_VERSIONS"
# The lanes come out even when the Pulumi lane takes one minor: from a cold build cache the Kubernetes
# lane's own tools cost about 1,500 CPU-seconds, the Pulumi lane's about 2,000, a kubeadm about 320.
kubernetes_lane_minors=$((${#extra[@]} - 1))

# The Kubernetes lane: the API server tier's tools, kubeadm, all but the last of the other minors.
lane_kubernetes() {
  local tool v
  for tool in kube-apiserver kube-controller-manager; do
    build "$tool" "$here/kubernetes" "k8s.io/kubernetes/cmd/$tool" "$k8s"
    check "$tool" "Kubernetes $KUBERNETES_VERSION" "$bin/$tool" --version
  done
  build kubeadm "$here/kubernetes" k8s.io/kubernetes/cmd/kubeadm "$k8s"
  check kubeadm "$KUBERNETES_VERSION" "$bin/kubeadm" version -o short
  # Every kubeadm is also reachable as kubeadm-<version>, so a caller picks one per minor alike.
  ln -sfn kubeadm "$bin/kubeadm-$KUBERNETES_VERSION"
  [[ -e $dir/ready/kubeadm ]] && touch "$dir/ready/kubeadm-$KUBERNETES_VERSION"
  for v in "${extra[@]:0:kubernetes_lane_minors}"; do extra_kubeadm "$v"; done
  # Last: the S3 tier runs last (about 500 CPU-seconds from a cold build cache).
  build versitygw "$here/versitygw" github.com/versity/versitygw/cmd/versitygw \
    "-s -w -X main.Version=$VERSITYGW_VERSION -X main.Build=module-$VERSITYGW_VERSION"
  check versitygw "Version  : $VERSITYGW_VERSION" "$bin/versitygw" --version
  ! $failed
}

# The Pulumi lane: the engine tier's tools, then the last kubeadm minor.
lane_pulumi() {
  local v
  pulumi_ldflags="-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$PULUMI_VERSION"
  build pulumi "$here/pulumi" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi "$pulumi_ldflags" osusergo,grpcnotrace
  check pulumi "$PULUMI_VERSION" "$bin/pulumi" version

  # The proxy refuses the language host's own module; sdk/v3 carried it as a package up to v3.68.0, an
  # older release than the CLI (versions.env says why that is enough), stamped with its own version.
  build pulumi-language-nodejs "$here/pulumi-language-nodejs" github.com/pulumi/pulumi/sdk/v3/nodejs/cmd/pulumi-language-nodejs \
    "-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$PULUMI_LANGUAGE_NODEJS_SDK" osusergo,grpcnotrace
  # This language host has no version flag; the module it was built from is in its build information.
  check pulumi-language-nodejs "github.com/pulumi/pulumi/sdk/v3"$'\t'"$PULUMI_LANGUAGE_NODEJS_SDK" "$go" version -m "$bin/pulumi-language-nodejs"

  # The dynamic-provider launcher is a shell script shipped in the sdk module; the CLI finds bundled
  # plugins next to its own executable.
  if [[ ! -x $bin/pulumi-resource-pulumi-nodejs ]]; then
    sdk=$(cd "$here/pulumi" && "$go" list -m -f '{{.Dir}}' github.com/pulumi/pulumi/sdk/v3)
    install -m 0755 "$sdk/nodejs/dist/pulumi-resource-pulumi-nodejs" "$bin/pulumi-resource-pulumi-nodejs"
    echo "  pulumi-resource-pulumi-nodejs: copied from github.com/pulumi/pulumi/sdk/v3@$PULUMI_VERSION"
  fi
  touch "$dir/ready/pulumi-resource-pulumi-nodejs"

  # Upstream's main embeds files its own build generates from the module's schema.json and
  # terraform-mapping.json (setting the schema's version); they are generated here, in a scratch copy.
  pk8s_src="$dir/src/pulumi-kubernetes"
  if [[ ! -x $bin/pulumi-resource-kubernetes ]]; then
    rm -rf "$pk8s_src" && mkdir -p "$pk8s_src"
    cp "$here/pulumi-kubernetes/go.mod" "$here/pulumi-kubernetes/go.sum" "$here/pulumi-kubernetes/main.go" "$pk8s_src/"
    (cd "$pk8s_src" && "$go" mod download github.com/pulumi/pulumi-kubernetes/provider/v4)
    cmd="$(cd "$pk8s_src" && "$go" list -m -f '{{.Dir}}' github.com/pulumi/pulumi-kubernetes/provider/v4)/cmd/pulumi-resource-kubernetes"
    # shellcheck disable=SC2016 # JavaScript template literals, not shell expansions
    node -e '
      const fs = require("fs");
      const [cmd, out, version] = process.argv.slice(1);
      const schema = JSON.parse(fs.readFileSync(`${cmd}/schema.json`, "utf8"));
      schema.version = version;
      fs.writeFileSync(`${out}/schema-embed.json`, JSON.stringify(schema));
      const mapping = JSON.parse(fs.readFileSync(`${cmd}/terraform-mapping.json`, "utf8"));
      fs.writeFileSync(`${out}/terraform-mapping-embed.json`, JSON.stringify(mapping));
    ' "$cmd" "$pk8s_src" "$PULUMI_KUBERNETES_PLUGIN_VERSION"
  fi
  build pulumi-resource-kubernetes "$pk8s_src" . \
    "-s -w -X github.com/pulumi/pulumi-kubernetes/provider/v4/pkg/version.Version=$PULUMI_KUBERNETES_PLUGIN_VERSION"
  check pulumi-resource-kubernetes "$PULUMI_KUBERNETES_PLUGIN_VERSION" "$here/check-plugin.sh" "$bin" kubernetes "$PULUMI_KUBERNETES_PLUGIN_VERSION"
  for v in "${extra[@]:kubernetes_lane_minors}"; do extra_kubeadm "$v"; done
  ! $failed
}

# Each lane runs in a subshell of its own and says by its exit status whether all of it built.
lane_kubernetes & lane_k=$!
lane_pulumi & lane_p=$!
wait "$lane_k" || failed=true
wait "$lane_p" || failed=true
echo "builds and checks done after ${SECONDS}s"

if $failed; then
  echo "build.sh: some tools failed to build or check (see above); not marking $key complete" >&2
  echo "$bin"
  exit 1
fi
touch "$dir/complete"
finish
