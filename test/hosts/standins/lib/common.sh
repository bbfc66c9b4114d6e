# shellcheck shell=bash
# Shared by every clusterkit stand-in (fake kubeadm, kubectl, systemctl, ...).
# Sourcing it records the invocation: one JSON line per call in
# /var/log/clusterkit-standin/calls.jsonl with argv, cwd, user, time, duration
# and exit code, written by an EXIT trap so every exit path is captured.

# shellcheck disable=SC2034 # used by the scripts that source this file
STANDIN_LIB=/usr/local/lib/clusterkit-standin/lib
# shellcheck disable=SC2034
STANDIN_BIN=/usr/local/lib/clusterkit-standin/bin
STATE=/var/lib/clusterkit-standin      # per host (inside the /var/lib overlay)
CLUSTER=/srv/standin-cluster           # shared by every host of the fleet
STANDIN_LOG=/var/log/clusterkit-standin/calls.jsonl
# shellcheck source=/dev/null
source /run/clusterkit-standin/host.env # HOST_NAME HOST_IP HOST_OS HOST_ROLE MACHINE_ID FLEET_SLOT STANDIN_NODE

_standin_tool=${0##*/}
_standin_argv=("$@")
_standin_start=$EPOCHREALTIME
_standin_frac=${_standin_start#*.}
TZ=UTC printf -v _standin_time '%(%Y-%m-%dT%H:%M:%S)T.%sZ' "${_standin_start%.*}" "${_standin_frac:0:3}"

# JSON string literal in pure bash, into a variable: jq 1.6 costs ~20 ms of CPU per start, and on
# the test machines every fork (a `$(...)` included) costs ~10 ms, which would dominate every
# stand-in call. json_str_v VAR STRING
json_str_v() {
  local s=$2 out="" i c
  s=${s//\\/\\\\}
  s=${s//\"/\\\"}
  s=${s//$'\n'/\\n}
  s=${s//$'\t'/\\t}
  s=${s//$'\r'/\\r}
  if [[ $s == *[$'\x01'-$'\x1f']* ]]; then
    for ((i = 0; i < ${#s}; i++)); do
      c=${s:i:1}
      [[ $c == [$'\x01'-$'\x1f'] ]] && printf -v c '\\u%04x' "'$c"
      out+=$c
    done
    s=$out
  fi
  printf -v "$1" '"%s"' "$s"
}

_standin_record() {
  local rc=$1 now=$EPOCHREALTIME ms argv="" a j user sudo=null tool cwd
  [[ -n ${CLUSTERKIT_STANDIN_NOLOG:-} ]] && return 0
  ms=$(((${now%.*} - ${_standin_start%.*}) * 1000 + (10#${now#*.} - 10#${_standin_start#*.}) / 1000))
  for a in "${_standin_argv[@]}"; do json_str_v j "$a"; argv+=${argv:+,}$j; done
  [[ -n ${SUDO_USER:-} ]] && json_str_v sudo "$SUDO_USER"
  if [[ $EUID -eq 0 ]]; then user=root; else user=$(id -un); fi
  json_str_v user "$user"
  json_str_v tool "$_standin_tool"
  json_str_v cwd "$PWD"
  printf '{"tool":%s,"argv":[%s],"cwd":%s,"user":%s,"sudoUser":%s,"time":"%s","durationMs":%d,"code":%d}\n' \
    "$tool" "$argv" "$cwd" "$user" "$sudo" "$_standin_time" "$ms" "$rc" >>"$STANDIN_LOG" 2>/dev/null || true
}
trap '_standin_record $?' EXIT
# A stand-in bug must not look like a silent tool failure.
trap 'echo "stand-in $_standin_tool: internal error (exit $?) at ${BASH_SOURCE[0]##*/}:$LINENO: $BASH_COMMAND" >&2' ERR

# sleep_ms MS: a sleep that starts no process. sleep(1) would be one more fork, about 10 ms of CPU
# on the test machines, and the watchers and retry loops sleep several times a second: a read
# that times out on a pipe this shell holds both ends of (opened once per shell) never returns early.
sleep_ms() {
  local s
  printf -v s '%d.%03d' $(($1 / 1000)) $(($1 % 1000))
  [[ -n ${_standin_sleep_fd:-} ]] || exec {_standin_sleep_fd}<> <(:)
  read -r -t "$s" -u "$_standin_sleep_fd" _ || true
}

die() { # die CODE MESSAGE...
  local code=$1
  shift
  printf '%s\n' "$@" >&2
  exit "$code"
}

is_root() { [[ $EUID -eq 0 ]]; }

now_epoch() { printf '%(%s)T' -1; }
iso_time() { TZ=UTC printf '%(%Y-%m-%dT%H:%M:%SZ)T' -1; }

rand_hex() { od -An -N"$1" -tx1 /dev/urandom | tr -d ' \n'; }
rand_token_part() { # rand_token_part LEN: [a-z0-9]{LEN}
  local s
  s=$(head -c 64 /dev/urandom | base64 | tr -dc 'a-z0-9')
  while [[ ${#s} -lt $1 ]]; do s+=$(head -c 64 /dev/urandom | base64 | tr -dc 'a-z0-9'); done
  printf '%s' "${s:0:$1}"
}

# Atomic write for shared state (several hosts act at once): write then rename.
# Mode 666 so non-root callers with an admin kubeconfig can update it too.
write_atomic() { # write_atomic FILE  (content on stdin)
  local tmp
  tmp=$(mktemp "$1.XXXXXX")
  cat >"$tmp"
  chmod 666 "$tmp"
  mv -f "$tmp" "$1"
}

# Serialises compound updates of shared state across hosts.
with_cluster_lock() { # with_cluster_lock CMD...
  (
    flock -w 30 9 || die 1 "stand-in: timed out waiting for $CLUSTER/.lock"
    "$@"
  ) 9>>"$CLUSTER/.lock"
}

# Test-controlled timing and failure injection. Every host reads the delay from
# harness/step-ms/STEP; a one-shot failure is a file under
# harness/hosts/HOST/fail-once/STEP, consumed by deleting it (rm succeeds for
# exactly one caller, so concurrent calls cannot both fail).
# While a delayed step sleeps, harness/hosts/HOST/in-step/STEP exists, so a test can act (cut the
# connections, say) in the middle of it, whatever the latency of the tool that reports it.
standin_delay() { # standin_delay STEP
  local f=$CLUSTER/harness/step-ms/$1 ms mark=$CLUSTER/harness/hosts/$HOST_NAME/in-step
  [[ -r $f ]] || return 0
  ms=$(<"$f")
  [[ $ms =~ ^[0-9]+$ && $ms -gt 0 ]] || return 0
  { mkdir -p "$mark" && : >"$mark/$1"; } 2>/dev/null || true
  sleep_ms "$ms"
  rm -f "$mark/$1" 2>/dev/null || true
}
standin_should_fail() { # standin_should_fail STEP
  rm "$CLUSTER/harness/hosts/$HOST_NAME/fail-once/$1" 2>/dev/null
}
# A lasting failure: STEP fails on this host for as long as harness/hosts/HOST/broken/STEP exists.
standin_broken() { [[ -e $CLUSTER/harness/hosts/$HOST_NAME/broken/$1 ]]; }

# Package database of the fake package manager (see bin/apt-get, bin/dnf).
pkg_version() { # pkg_version NAME -> full package version, or fail
  [[ -r $STATE/packages/$1 ]] && cat "$STATE/packages/$1"
}
# "1.33.5-1.1" / "1.33.5-150500.1.1" -> "v1.33.5"
kube_version_of() { local v=${1%%-*}; printf 'v%s' "${v#v}"; }
kube_version() { # kube_version PKG -> vX.Y.Z of the installed package
  local v
  v=$(pkg_version "$1") || v=1.33.5-1.1
  kube_version_of "$v"
}

# Units of the fake systemd (bin/systemctl): STATE/units/NAME.{enabled,active}
unit_active() { [[ -e $STATE/units/$1.active ]]; }
unit_enabled() { [[ -e $STATE/units/$1.enabled ]]; }

# The etcd image tag a kubeadm manifest names: the version of the real etcd the stand-ins run,
# as kubeadm pins an image to its etcd release. Read once per fleet.
etcd_image_tag_v() { # etcd_image_tag_v VAR
  local f=$CLUSTER/etcd-image-tag t
  if [[ ! -s $f ]]; then
    t=$(/usr/bin/etcd --version | sed -n 's/^etcd Version: //p')
    printf '%s-0\n' "$t" | write_atomic "$f"
  fi
  read -r "$1" <"$f"
}
