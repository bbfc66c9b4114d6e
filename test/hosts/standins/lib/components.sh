# shellcheck shell=bash
# The control-plane static pods without a process of their own here
# (kube-controller-manager, kube-scheduler; the API server is lib/apiserver.sh's,
# etcd the real process of lib/etcd.sh) as the kubelet runs them, for crictl: a
# container record per component:
# - writing a component's manifest (kubeadm init/join/upgrade) starts one if
#   there is none;
# - a changed manifest (kubeadm init phase control-plane) or `crictl stop`
#   ends the running container; the kubelet starts a new one (a new ID) after
#   a delay; while harness/hosts/HOST/broken/component-start exists every start
#   exits at once (a flag the component refuses) and is retried with a back-off,
#   as a crash loop is, until it starts.
# Shared state: $CLUSTER/components/HOST/NAME "ID STATE SINCE_MS ATTEMPT",
# $CLUSTER/components/events.log "MS HOST EVENT NAME ID" for the tests.
# Timing: harness step-ms component-restart (default 200).

COMPONENT_ROOT=$CLUSTER/components
COMPONENT_DIR=$COMPONENT_ROOT/$HOST_NAME
# shellcheck disable=SC2034 # read by crictl
COMPONENTS=(kube-controller-manager kube-scheduler)

component_state() { [[ -r $COMPONENT_DIR/$1 ]] && cat "$COMPONENT_DIR/$1"; }

component_set() { # NAME ID STATE SINCE ATTEMPT
  mkdir -p "$COMPONENT_DIR"
  printf '%s %s %s %s\n' "$2" "$3" "$4" "$5" | write_atomic "$COMPONENT_DIR/$1"
}

component_event() { # EVENT NAME ID
  mkdir -p "$COMPONENT_ROOT"
  printf '%s %s %s %s %s\n' "$(now_ms)" "$HOST_NAME" "$1" "$2" "$3" >>"$COMPONENT_ROOT/events.log"
}

# After init/join/upgrade wrote the manifests: the kubelet runs what has no container yet.
component_ensure() { # NAME
  component_state "$1" >/dev/null && return 0
  local id
  id=$(rand_hex 32)
  component_set "$1" "$id" running "$(now_ms)" 0
  component_event start "$1" "$id"
}

# The running container ends; the kubelet starts the next one in the background.
component_stop() { # NAME
  local id state since attempt
  if read -r id state since attempt < <(component_state "$1") && [[ $state == running ]]; then
    component_set "$1" "$id" exited "$(now_ms)" "$attempt"
    component_event stop "$1" "$id"
  fi
  CLUSTERKIT_STANDIN_NOLOG=1 setsid "$STANDIN_BIN/crictl" __component-restart "$1" </dev/null >/dev/null 2>&1 8>&- 9>&- &
  disown "$!"
}

component_restart_loop() { # NAME
  local name=$1 base n id state since attempt new
  base=$(standin_ms component-restart 200)
  read -r id state since attempt < <(component_state "$name") || return 0
  for ((n = 0; n < 500; n++)); do
    sleep_ms $((base * (n < 3 ? 1 << n : 8)))
    [[ -e /etc/kubernetes/manifests/$name.yaml ]] || return 0
    # Another start (a later manifest change) took over.
    [[ $(component_state "$name" | cut -d' ' -f1) == "$id" ]] || return 0
    new=$(rand_hex 32)
    attempt=$((attempt + 1))
    if standin_broken component-start; then
      printf 'E0000 %s: unknown flag or invalid value (stand-in: injected start failure)\n' "$name" >"$COMPONENT_DIR/$new.log"
      component_set "$name" "$new" exited "$(now_ms)" "$attempt"
      component_event crash "$name" "$new"
      id=$new
      continue
    fi
    component_set "$name" "$new" running "$(now_ms)" "$attempt"
    component_event start "$name" "$new"
    return 0
  done
}
