# shellcheck shell=bash
# What `systemctl reboot` does to a fake host, run detached after systemctl returned (as systemd
# queues the job and returns), in the order a real machine goes down and comes back:
# 1. Down: every process of the host but its sshd listener ends, the SSH sessions with them (so a
#    client sees its connection close), and with them the kubelet, etcd and the stand-in
#    components' loops; the node stops posting status (Ready=Unknown); the API server's and the
#    components' containers are gone.
# 2. Off the network for 200 ms plus harness step-ms `reboot`: connections fail as to a machine
#    that is off.
# 3. Up: a new boot id (/proc/sys/kernel/random/boot_id is bind-mounted from $STATE/boot_id), an
#    empty /run (so /var/run/reboot-required is gone), the enabled units started (the kubelet
#    posts Ready at once, before its static pods are up: a caller must wait for those itself),
#    then the static pods from /etc/kubernetes/manifests: etcd with its last command line and data
#    dir, the API server, the controller manager and the scheduler. A disabled unit stays down.
# Shared state: $CLUSTER/boots.log "MS HOST down|network|up BOOT_ID" for the tests (up: the static
# pods started).
# Requires lib/common.sh, lib/etcd.sh, lib/apiserver.sh, lib/components.sh and lib/nodes.sh.
# shellcheck disable=SC2153 # STATE and the others come from those

boot_event() { printf '%s %s %s %s\n' "$(now_ms)" "$HOST_NAME" "$1" "$(<"$STATE/boot_id")" >>"$CLUSTER/boots.log"; }

boot_down() {
  local listener pid ns d
  boot_event down
  listener=$(<"$STATE/sshd.pid")
  ns=$(readlink /proc/self/ns/net)
  node_kubelet_stopped
  for d in /proc/[0-9]*; do
    pid=${d#/proc/}
    [[ $pid == "$BASHPID" || $pid == "$listener" ]] && continue
    [[ $(readlink "$d/ns/net" 2>/dev/null) == "$ns" ]] || continue
    kill -KILL "$pid" 2>/dev/null || true
  done
  rm -f "$STATE"/units/*.active "$ETCD_PID_FILE" "$ETCD_AWAY_MARK"
  local id attempt c
  if read -r id _ _ attempt < <(apiserver_state "$APISERVER_DIR"); then
    apiserver_set_state "$id" exited "$(now_ms)" "$attempt"
    apiserver_event stop "$id" reboot
  fi
  for c in "${COMPONENTS[@]}"; do
    if read -r id _ < <(component_state "$c"); then
      rm -f "$COMPONENT_DIR/$c"
      component_event stop "$c" "$id"
    fi
  done
  # /run is a tmpfs: nothing in it outlives a boot (sshd's privilege-separation directory and the
  # stand-ins' own host record are made again at boot, so they stay).
  find /run -mindepth 1 -maxdepth 1 ! -name sshd ! -name clusterkit-standin -exec rm -rf {} +
  ip link set eth0 down
}

boot_up() {
  local f u c args=()
  cat /proc/sys/kernel/random/uuid >"$STATE/boot_id" # in place: the bind mount shows this inode
  ip link set eth0 up
  boot_event network
  for f in "$STATE"/units/*.enabled; do
    [[ -e $f ]] || continue
    u=${f##*/}
    u=${u%.enabled}
    case $u in
      kubelet | containerd | *.timer) : >"$STATE/units/$u.active" ;;
    esac
    if [[ $u == kubelet ]]; then node_kubelet_started; fi
  done
  unit_active kubelet || { boot_event up; return 0; }
  if [[ -e /etc/kubernetes/manifests/etcd.yaml && -r $ETCD_ARGS_FILE ]]; then
    mapfile -d '' args <"$ETCD_ARGS_FILE"
    setsid "${args[@]}" </dev/null >>"$ETCD_LOG" 2>&1 8>&- 9>&- &
    echo $! >"$ETCD_PID_FILE"
    disown "$!"
    etcd_wait_healthy || true
  fi
  if [[ -e $APISERVER_MANIFEST ]]; then apiserver_boot || true; fi
  for c in "${COMPONENTS[@]}"; do
    if [[ -e /etc/kubernetes/manifests/$c.yaml ]]; then component_ensure "$c"; fi
  done
  boot_event up
}

boot_reboot() {
  sleep_ms 100
  boot_down
  sleep_ms 200
  standin_delay reboot
  boot_up
}
