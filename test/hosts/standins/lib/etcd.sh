# shellcheck shell=bash disable=SC2016 # jq filters are single-quoted on purpose
# Real etcd (Debian's 3.4) for the kubeadm stand-in: one member per control
# plane, plain http on the host's 10.77 address, data in /var/lib/etcd.
# Membership changes are real `etcdctl member add` calls, serialised across
# hosts by $CLUSTER/.etcd-lock (the real kubeadm retries instead; the lock
# keeps parallel control-plane joins from tripping etcd's quorum guard).

ETCD_PID_FILE=/run/clusterkit-standin/etcd.pid
# The command line of the etcd the kubelet last ran, NUL-separated: what it runs again when the
# manifest comes back after being moved away (etcd_sync).
ETCD_ARGS_FILE=/run/clusterkit-standin/etcd.args
ETCD_AWAY_MARK=/run/clusterkit-standin/etcd.manifest-away
# The real etcdctl, bind-mounted there by host-init.sh: a test may remove the ones on PATH.
ETCDCTL_REAL=/usr/local/libexec/clusterkit-standin/etcdctl
ETCD_LOG=/var/log/etcd.log

etcd_running() { [[ -r $ETCD_PID_FILE ]] && kill -0 "$(<"$ETCD_PID_FILE")" 2>/dev/null; }

# etcd_start NAME STATE(new|existing) INITIAL_CLUSTER
etcd_start() {
  local extra=()
  # Fleet-wide extra flags from startFleet({ etcdExtraFlags }), one per line.
  if [[ -r $CLUSTER/harness/etcd-flags ]]; then mapfile -t extra <"$CLUSTER/harness/etcd-flags"; fi
  mkdir -p /var/lib/etcd
  chmod 700 /var/lib/etcd
  # Short heartbeat/election keep the first election (and startup) well under
  # a second; 10x ratio stays stable on a busy 2-core machine.
  local args=(/usr/bin/etcd --name "$1" --data-dir /var/lib/etcd
    --listen-client-urls "http://$HOST_IP:2379,http://127.0.0.1:2379"
    --advertise-client-urls "http://$HOST_IP:2379"
    --listen-peer-urls "http://$HOST_IP:2380"
    --initial-advertise-peer-urls "http://$HOST_IP:2380"
    --initial-cluster "$3" --initial-cluster-state "$2"
    --initial-cluster-token "standin-fleet-$FLEET_SLOT"
    --heartbeat-interval 50 --election-timeout 500
    --logger zap --log-outputs stderr --log-level warn "${extra[@]}")
  setsid "${args[@]}" </dev/null >>"$ETCD_LOG" 2>&1 8>&- 9>&- & # never inherit the flock fds (.etcd-lock, .lock)
  echo $! >"$ETCD_PID_FILE"
  disown "$!" # keep wait_all (pki.sh) from ever waiting for etcd
  printf '%s\0' "${args[@]}" >"$ETCD_ARGS_FILE"
  etcd_wait_healthy
}

# The kubelet's part for etcd's static pod, done when something on the host looks (crictl): a
# manifest moved out of /etc/kubernetes/manifests stops the pod; moved back, the pod starts again
# with the command line it had, on whatever data dir holds now. A member the test stopped itself
# (no manifest moved) stays down, as a crashed one would until the test says otherwise.
etcd_sync() {
  if [[ ! -e /etc/kubernetes/manifests/etcd.yaml ]]; then
    [[ -r $ETCD_ARGS_FILE ]] || return 0
    : >"$ETCD_AWAY_MARK"
    etcd_running && etcd_stop
    return 0
  fi
  [[ -e $ETCD_AWAY_MARK ]] || return 0
  rm -f "$ETCD_AWAY_MARK"
  etcd_running && return 0
  local args=()
  mapfile -d '' args <"$ETCD_ARGS_FILE"
  setsid "${args[@]}" </dev/null >>"$ETCD_LOG" 2>&1 8>&- 9>&- &
  echo $! >"$ETCD_PID_FILE"
  disown "$!"
}

# GET /health over bash's /dev/tcp: no curl process per poll.
etcd_health() {
  local resp
  exec 7<>"/dev/tcp/$HOST_IP/2379" || return 0
  printf 'GET /health HTTP/1.0\r\nHost: %s\r\n\r\n' "$HOST_IP" >&7
  IFS= read -r -d '' -t 2 resp <&7 || true
  exec 7<&-
  printf '%s' "$resp"
}

etcd_wait_healthy() {
  local i
  for ((i = 0; i < 300; i++)); do
    if [[ $(etcd_health) == *'"health":"true"'* ]]; then return 0; fi
    etcd_running || break
    sleep_ms 20
  done
  echo "[etcd] etcd did not become healthy; last log lines:" >&2
  tail -n 5 "$ETCD_LOG" >&2
  return 1
}

etcd_stop() {
  local pid i
  [[ -r $ETCD_PID_FILE ]] || return 0
  pid=$(<"$ETCD_PID_FILE")
  kill "$pid" 2>/dev/null || true
  for ((i = 0; i < 200; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep_ms 10; done
  kill -KILL "$pid" 2>/dev/null || true
  rm -f "$ETCD_PID_FILE"
}

# What `crictl stop` of the etcd container does: the kubelet starts it again,
# with the same command line and data dir.
etcd_restart() {
  local pid args=()
  etcd_running || return 0
  pid=$(<"$ETCD_PID_FILE")
  mapfile -d '' args <"/proc/$pid/cmdline"
  etcd_stop
  setsid "${args[@]}" </dev/null >>"$ETCD_LOG" 2>&1 8>&- 9>&- &
  echo $! >"$ETCD_PID_FILE"
  disown "$!"
  printf '%s\0' "${args[@]}" >"$ETCD_ARGS_FILE"
  etcd_wait_healthy
}

# etcdctl as run inside kubeadm's etcd container: no ETCDCTL_* from the host,
# and of the host's files only the static pod's mounts (/var/lib/etcd,
# /etc/kubernetes/pki/etcd). A path outside them does not exist in there.
etcd_container_exec() {
  local a p
  for a in "$@"; do
    p=${a#*=}
    [[ $p == /* ]] || continue
    case $p in /var/lib/etcd/* | /etc/kubernetes/pki/etcd/*) ;; *)
      if [[ $a == --* ]]; then die 1 "Error: open $p: no such file or directory"; fi
      die 1 "Error: could not open $p.part (open $p.part: no such file or directory)" ;;
    esac
  done
  env -i PATH=/usr/local/bin:/usr/bin:/bin ETCDCTL_API=3 "$ETCDCTL_REAL" "$@" || exit
}

# Client URLs of the other registered control planes.
etcd_peer_endpoints() {
  local files=("$CLUSTER"/nodes/*.json)
  [[ -e ${files[0]} ]] || return 0
  jq -rs --arg me "$HOST_IP" '[.[] | select(.metadata.labels | has("node-role.kubernetes.io/control-plane"))
    | .status.addresses[] | select(.type == "InternalIP" and .address != $me)
    | "http://\(.address):2379"] | join(",")' "${files[@]}"
}

# etcd_join NAME: adds this host as a member and starts it (holds .etcd-lock).
_etcd_join() {
  local name=$1 eps out rc=1 i peer="http://$HOST_IP:2380" initial
  eps=$(etcd_peer_endpoints)
  [[ -n $eps ]] || { echo "error: no etcd endpoints of existing control planes found" >&2; return 1; }
  export ETCDCTL_API=3
  # A member with our peer URL (left by a reset without `member remove`) is
  # reused, as its data dir is gone anyway.
  if out=$("$ETCDCTL_REAL" --endpoints "$eps" --dial-timeout 2s member list -w json 2>&1) &&
    jq -e --arg p "$peer" '.members[] | select(.peerURLs | index($p))' <<<"$out" >/dev/null; then
    initial=$(jq -r --arg p "$peer" --arg n "$name" '[.members[] | (if (.peerURLs | index($p)) then $n else (.name // "") end)
      as $nm | .peerURLs[] | "\($nm)=\(.)"] | join(",")' <<<"$out")
    echo "[etcd] A member with peer URL $peer already exists; reusing it"
  else
    # etcd refuses a new member ("unhealthy cluster") until the leader has been
    # connected to a quorum for 5 s, i.e. for 5 s after every join, and while a
    # member is down; kubeadm retries, and so does this.
    # As a learner, promoted once it caught up (kubeadm's EtcdLearnerMode, on by default since 1.29).
    for ((i = 0; i < 75; i++)); do
      if out=$("$ETCDCTL_REAL" --endpoints "$eps" --dial-timeout 2s member add "$name" --learner --peer-urls "$peer" 2>&1); then
        rc=0
        break
      fi
      sleep_ms 200
    done
    if [[ $rc -ne 0 ]]; then
      printf 'error execution phase control-plane-join/etcd: error creating local etcd static pod manifest file: %s\n' \
        "$(tail -n1 <<<"$out")" >&2
      return 1
    fi
    initial=$(sed -n 's/^ETCD_INITIAL_CLUSTER="\(.*\)"$/\1/p' <<<"$out")
  fi
  echo "[etcd] Announced new etcd member joining to the existing etcd cluster"
  echo "[etcd] Creating static Pod manifest for \"etcd\""
  etcd_start "$name" existing "$initial" || return 1
  _etcd_promote "$peer" "$eps"
}

# _etcd_promote PEER_URL ENDPOINTS: promotes this host's member if it is still a
# learner. etcd refuses until the learner has caught up with the leader (and,
# like a member add, for 5 s after every membership change), so it retries.
_etcd_promote() {
  local id="" learner="" out i
  read -r id learner < <("$ETCDCTL_REAL" --endpoints "$2" --dial-timeout 2s member list -w simple |
    awk -F', ' -v p="$1" '$4 == p { print $1, $6 }') || true
  [[ $learner == true ]] || return 0
  echo "[etcd] Waiting for the learner member $id to catch up, then promoting it"
  if standin_should_fail etcd-promote; then
    echo "error execution phase control-plane-join/etcd: error creating local etcd static pod manifest file: etcdserver: can only promote a learner member which is in sync with leader" >&2
    return 1
  fi
  for ((i = 0; i < 100; i++)); do
    out=$("$ETCDCTL_REAL" --endpoints "$2" --dial-timeout 2s member promote "$id" 2>&1) && return 0
    sleep_ms 200
  done
  printf 'error execution phase control-plane-join/etcd: error creating local etcd static pod manifest file: %s\n' "$(tail -n1 <<<"$out")" >&2
  return 1
}
etcd_join() {
  (
    flock -w 60 8 || { echo "timed out waiting for $CLUSTER/.etcd-lock" >&2; exit 1; }
    _etcd_join "$1"
  ) 8>>"$CLUSTER/.etcd-lock"
}
