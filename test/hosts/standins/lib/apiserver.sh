# shellcheck shell=bash
# The kube-apiserver static pod of the stand-in control planes, as the kubelet
# runs it (no real process: a record in the shared state):
# - it starts from /etc/kubernetes/manifests/kube-apiserver.yaml and reads the
#   files its flags name (admission, audit policy, encryption, authentication)
#   once, at start-up; a missing or invalid one makes it exit, and the kubelet
#   restarts it with a back-off (crash loop) until it starts;
# - `crictl stop ID` ends the container; the kubelet starts a new one (a new ID,
#   attempt + 1) after a delay, and it answers /readyz only a little later;
# - the structured authentication config is reloaded in place by a watcher, as
#   the real server's file watch does: an invalid file, or one whose `anonymous`
#   section differs from the one it started with, is refused and the previous
#   config kept; the reload metrics say which.
# Rewriting a start-up file changes nothing until the next start.
#
# Shared state (other hosts' kubectl reach these servers through the VIP):
#   $CLUSTER/apiservers/HOST/state    "ID STATE SINCE_MS ATTEMPT" (running|exited)
#   $CLUSTER/apiservers/HOST/address  the advertise address
#   $CLUSTER/apiservers/HOST/loaded   "FLAG SHA256" of each file read at start
#   $CLUSTER/apiservers/HOST/authn    "SHA SUCCESS_MS FAILURE_MS" (reload metrics)
#   $CLUSTER/apiservers/HOST/logs/ID  what the container printed before it exited
#   $CLUSTER/apiservers/events.log    "MS HOST EVENT ID DETAIL" for the tests
# Timing: harness step-ms apiserver-restart (default 200), apiserver-ready (300),
# apiserver-authn-reload (300); fail-once apiserver-start crashes the next start,
# broken/apiserver-start every start while it exists.

APISERVER_ROOT=$CLUSTER/apiservers
APISERVER_DIR=$APISERVER_ROOT/$HOST_NAME
APISERVER_MANIFEST=/etc/kubernetes/manifests/kube-apiserver.yaml
APISERVER_FILE_FLAGS=(admission-control-config-file audit-policy-file encryption-provider-config authentication-config)

# The _v forms set a variable instead of printing: a `$(...)` forks, and a fork costs about 10 ms
# of CPU on the test machines; kubectl asks whether a server is ready on every call.
now_ms_v() { local t=$EPOCHREALTIME; printf -v "$1" '%d' $((${t%.*} * 1000 + 10#${t#*.} / 1000)); }
now_ms() { local v; now_ms_v v; printf '%s' "$v"; }

standin_ms_v() { # standin_ms_v VAR STEP DEFAULT: the step's configured milliseconds
  local f=$CLUSTER/harness/step-ms/$2 ms=""
  [[ -r $f ]] && ms=$(<"$f")
  [[ $ms =~ ^[0-9]+$ ]] || ms=$3
  printf -v "$1" '%s' "$ms"
}
standin_ms() { local v; standin_ms_v v "$@"; printf '%s' "$v"; }

apiserver_event() { # EVENT ID [DETAIL]
  mkdir -p "$APISERVER_ROOT"
  printf '%s %s %s %s %s\n' "$(now_ms)" "$HOST_NAME" "$1" "$2" "${3:--}" >>"$APISERVER_ROOT/events.log"
}

# "ID STATE SINCE_MS ATTEMPT" of a server's record (DIR), or nothing.
apiserver_state() { [[ -r $1/state ]] && cat "$1/state"; }
# The same record read into variables, without a fork; fails when there is none.
apiserver_read_state() { # apiserver_read_state DIR VAR...
  [[ -r $1/state ]] && read -r "${@:2}" <"$1/state"
}

apiserver_set_state() { printf '%s %s %s %s\n' "$@" | write_atomic "$APISERVER_DIR/state"; }

# The manifest's file flags as FLAG=PATH lines.
apiserver_file_args() {
  local f line
  for f in "${APISERVER_FILE_FLAGS[@]}"; do
    line=$(grep -o -- "--$f=[^ ]*" "$APISERVER_MANIFEST" | head -n 1) || continue
    printf '%s\n' "${line#--}"
  done
}

sha_of() { local s; s=$(sha256sum <"$1") && printf '%s' "${s%% *}"; }

# Runs in the background, detached from the calling session (the SSH command
# that ran kubeadm or crictl must not wait for it).
apiserver_spawn() { # apiserver_spawn CRICTL_ARGS...
  CLUSTERKIT_STANDIN_NOLOG=1 setsid "$STANDIN_BIN/crictl" "$@" </dev/null >/dev/null 2>&1 8>&- 9>&- &
  disown "$!"
}

# One container start: reads the files, then runs or exits. 0 when it runs.
apiserver_start() { # apiserver_start ATTEMPT SINCE_MS
  local id pairs=() p err="" flag
  mkdir -p "$APISERVER_DIR/logs"
  printf '%s\n' "$HOST_IP" >"$APISERVER_DIR/address"
  id=$(rand_hex 32)
  mapfile -t pairs < <(apiserver_file_args)
  if standin_should_fail apiserver-start || standin_broken apiserver-start; then
    err='E0000 run.go:72] "command failed" err="error while dialing: dial tcp 127.0.0.1:2379: connect: connection refused (stand-in: injected start failure)"'
  elif [[ ${#pairs[@]} -gt 0 ]] && ! err=$("$STANDIN_NODE" "$STANDIN_LIB/apiserver-config.js" start "${pairs[@]}" 2>&1); then
    err="E0000 run.go:72] \"command failed\" err=\"$err\""
  else
    err=""
  fi
  if [[ -n $err ]]; then
    printf '%s\n' "$err" >"$APISERVER_DIR/logs/$id"
    apiserver_set_state "$id" exited "$(now_ms)" "$1"
    apiserver_event crash "$id" "${err:0:200}"
    return 1
  fi
  : >"$APISERVER_DIR/logs/$id"
  # The version it runs: its image's tag.
  sed -n 's|^ *image: .*/kube-apiserver:||p' "$APISERVER_MANIFEST" | head -n 1 >"$APISERVER_DIR/version"
  : >"$APISERVER_DIR/loaded.new"
  for p in "${pairs[@]}"; do
    flag=${p%%=*}
    printf '%s %s\n' "$flag" "$(sha_of "${p#*=}")" >>"$APISERVER_DIR/loaded.new"
    if [[ $flag == authentication-config ]]; then
      "$STANDIN_NODE" "$STANDIN_LIB/apiserver-config.js" anonymous "${p#*=}" >"$APISERVER_DIR/anonymous"
      printf '%s 0 0\n' "$(sha_of "${p#*=}")" >"$APISERVER_DIR/authn"
    fi
  done
  mv -f "$APISERVER_DIR/loaded.new" "$APISERVER_DIR/loaded"
  apiserver_set_state "$id" running "$2" "$1"
  apiserver_event start "$id" ok
  grep -q '^authentication-config ' "$APISERVER_DIR/loaded" && apiserver_spawn __apiserver-watch "$id"
  return 0
}

# kubeadm init/join: the kubelet starts the static pod, and kubeadm's
# wait-control-plane waits until it is healthy (so it counts as ready at once).
apiserver_boot() {
  apiserver_start 0 $(($(now_ms) - $(standin_ms apiserver-ready 300))) && return 0
  apiserver_spawn __kubelet-restart "$(apiserver_state "$APISERVER_DIR" | cut -d' ' -f1)"
  return 1
}

apiserver_remove() { rm -rf "$APISERVER_DIR"; }

# The kubelet after a container exited: a new one after the delay, doubling up
# to 8x while it keeps crashing; it gives up when the manifest is gone.
apiserver_restart_loop() { # apiserver_restart_loop EXITED_ID
  local old=$1 base n id state since attempt
  base=$(standin_ms apiserver-restart 200)
  for ((n = 0; n < 500; n++)); do
    sleep_ms $((base * (n < 3 ? 1 << n : 8)))
    [[ -e $APISERVER_MANIFEST ]] || return 0
    apiserver_read_state "$APISERVER_DIR" id state since attempt || return 0
    [[ $id == "$old" && $state == exited ]] || return 0
    apiserver_start $((attempt + 1)) "$(now_ms)" && return 0
    old=$(apiserver_state "$APISERVER_DIR" | cut -d' ' -f1)
  done
}

# The running server's watch of its authentication config.
apiserver_watch() { # apiserver_watch ID
  local me=$1 interval id state rest file tracked sha ok fail content seen="" seen_set=false
  interval=$(standin_ms apiserver-authn-reload 300)
  file=$(apiserver_file_args | sed -n 's/^authentication-config=//p')
  read -r tracked _ < "$APISERVER_DIR/authn" || return 0
  while sleep_ms "$interval"; do
    apiserver_read_state "$APISERVER_DIR" id state rest || return 0
    [[ $id == "$me" && $state == running ]] || return 0
    # The file is read in bash and hashed only when its text changed: a sha256sum every few
    # hundred milliseconds on every control plane was a tenth of a core of the host tests.
    [[ -r $file ]] || continue
    content=""
    IFS= read -r -d '' content <"$file" || true
    $seen_set && [[ $content == "$seen" ]] && continue
    seen=$content seen_set=true
    sha=$(sha_of "$file" 2>/dev/null) || continue
    [[ $sha == "$tracked" ]] && continue
    read -r _ ok fail <"$APISERVER_DIR/authn"
    if "$STANDIN_NODE" "$STANDIN_LIB/apiserver-config.js" reload "$file" "$APISERVER_DIR/anonymous" 2>>"$APISERVER_DIR/logs/$me"; then
      printf '%s %s %s\n' "$sha" "$(now_ms)" "$fail" | write_atomic "$APISERVER_DIR/authn"
      sed -i "s/^authentication-config .*/authentication-config $sha/" "$APISERVER_DIR/loaded"
      apiserver_event reload "$me" ok
    else
      printf '%s %s %s\n' "$(awk '{print $1}' "$APISERVER_DIR/authn")" "$ok" "$(now_ms)" | write_atomic "$APISERVER_DIR/authn"
      apiserver_event reload "$me" refused
    fi
    tracked=$sha
  done
}

# The kubelet's part when something on the host looks (crictl): a manifest moved out of
# /etc/kubernetes/manifests ends the container; moved back, the kubelet starts a new one.
apiserver_sync() {
  local id st since attempt away=$APISERVER_DIR/manifest-away
  if [[ ! -e $APISERVER_MANIFEST ]]; then
    apiserver_read_state "$APISERVER_DIR" id st since attempt || return 0
    : >"$away"
    if [[ $st == running ]]; then
      apiserver_set_state "$id" exited "$(now_ms)" "$attempt"
      apiserver_event stop "$id" manifest-removed
    fi
    return 0
  fi
  [[ -e $away ]] || return 0
  rm -f "$away"
  apiserver_read_state "$APISERVER_DIR" id st since attempt || return 0
  [[ $st == exited ]] && apiserver_spawn __kubelet-restart "$id"
  return 0
}

# Whether the server of record DIR answers: running, and past its start-up.
apiserver_ready() { # apiserver_ready DIR
  local id state since attempt now ready
  apiserver_read_state "$1" id state since attempt || return 1
  now_ms_v now
  standin_ms_v ready apiserver-ready 300
  [[ $state == running && $now -ge $((since + ready)) ]]
}

# The record dir of the server advertised at ADDRESS, or nothing.
apiserver_at() { # apiserver_at ADDRESS
  local d
  for d in "$APISERVER_ROOT"/*/; do
    [[ -r $d/address && $(<"$d/address") == "$1" ]] && { printf '%s' "${d%/}"; return 0; }
  done
  return 1
}

# Whether the VIP reaches a server: true while no record exists (a cluster the
# stand-in did not start servers for) or at least one answers.
apiserver_any_ready() {
  local d seen=0
  for d in "$APISERVER_ROOT"/*/; do
    [[ -r $d/state ]] || continue
    seen=1
    apiserver_ready "${d%/}" && return 0
  done
  [[ $seen -eq 0 ]]
}

# Go's %g rendering of a millisecond time in seconds, as Prometheus text shows it.
prom_seconds() { local s=$(($1 / 1000)) f; printf -v f '%03d' $(($1 % 1000)); printf '%s.%s%se+%02d' "${s:0:1}" "${s:1}" "$f" $((${#s} - 1)); }

# The authentication-config reload metrics of the server of record DIR
# (the timestamp series exist once a reload was tried; last_config_info from 1.34).
apiserver_metrics() { # apiserver_metrics DIR
  local sha ok fail id
  id=sha256:$(printf '%s' "${1##*/}" | sha256sum | cut -c1-64)
  [[ -r $1/authn ]] || return 0
  read -r sha ok fail <"$1/authn"
  local m=apiserver_authentication_config_controller
  echo "# HELP ${m}_automatic_reload_last_timestamp_seconds [BETA] Timestamp of the last automatic reload of authentication configuration split by status and apiserver identity."
  echo "# TYPE ${m}_automatic_reload_last_timestamp_seconds gauge"
  [[ $fail != 0 ]] && echo "${m}_automatic_reload_last_timestamp_seconds{apiserver_id_hash=\"$id\",status=\"failure\"} $(prom_seconds "$fail")"
  [[ $ok != 0 ]] && echo "${m}_automatic_reload_last_timestamp_seconds{apiserver_id_hash=\"$id\",status=\"success\"} $(prom_seconds "$ok")"
  local minor=${KUBEADM_VERSION#v1.}
  if [[ ${minor%%.*} -ge 34 ]]; then
    echo "# HELP ${m}_last_config_info [ALPHA] Information about the last applied authentication configuration with hash as label, split by apiserver identity."
    echo "# TYPE ${m}_last_config_info gauge"
    echo "${m}_last_config_info{apiserver_id_hash=\"$id\",hash=\"sha256:$sha\"} 1"
  fi
}
