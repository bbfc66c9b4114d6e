# shellcheck shell=bash
# `kubeadm init phase control-plane|etcd|certs|addon` and `kubeadm upgrade node
# phase kubelet-config` for the kubeadm stand-in: the phases kubeadm documents
# for reconfiguring a running cluster.
# - init phase control-plane apiserver|controller-manager|scheduler|all --config F
#   and init phase etcd local --config F write the components' manifests from
#   F's ClusterConfiguration (extraArgs) and InitConfiguration (advertise
#   address), which the kubelet picks up: a changed manifest replaces the
#   component's container (lib/apiserver.sh, lib/components.sh, lib/etcd.sh). The extraArgs
#   are kept as the cluster's (later joins and upgrades use them). Stricter than
#   the real tool on purpose: without --config, real kubeadm writes its defaults
#   (dropping the cluster's flags), so the stand-in refuses.
# - init phase certs apiserver --config F: issues the API server's serving
#   certificate when none is on disk ("Using existing" otherwise, as kubeadm), with kubeadm's
#   names: kubernetes.default.svc.<domain> and the rest, the node's name and address, certSANs.
# - init phase addon coredns|kube-proxy --config F: re-applies the add-on.
# - upgrade node phase kubelet-config: writes /var/lib/kubelet/config.yaml from
#   the kubelet-config ConfigMap (a backup first); needs the API.

_phase_config() { # _phase_config PHASE ARGS...: the --config value, or die
  local phase=$1 a config=""
  shift
  for a in "$@"; do
    case $a in
      --config=*) config=${a#*=} ;;
      --kubeconfig=* | --v=* | --rootfs=* | --dry-run | --cert-dir=* | --image-repository=* | --kubernetes-version=*) ;;
      -*) die 1 "unknown flag: $a" ;;
    esac
  done
  [[ -n $config ]] || die 1 "stand-in kubeadm: 'init phase $phase' needs --config (without it kubeadm writes its defaults and drops the cluster's extraArgs)"
  printf '%s' "$config"
}

_phase_load() { # _phase_load CONFIG: sets cfg_* from the file
  local cfgsh
  cfgsh=$("$STANDIN_NODE" "$STANDIN_LIB/kubeadm-config.js" phase "$1") || exit 1
  eval "$cfgsh"
}

# One component's manifest from the config; the kubelet replaces its container when it changed.
_phase_manifest() { # _phase_manifest COMPONENT
  local c=$1 m=/etc/kubernetes/manifests/$1.yaml before="" after adv node
  [[ -e $m ]] && before=$(sha_of "$m")
  adv=${cfg_adv:-$HOST_IP}
  node=$(cat "$STATE/node-name" 2>/dev/null || hostname)
  case $c in
    kube-apiserver) printf '%s' "$cfg_apiserver_args" | write_atomic "$CLUSTER/apiserver-args" ;;
    *) mkdir -p "$CLUSTER/component-args" && printf '%s' "$(_phase_args "$c")" | write_atomic "$CLUSTER/component-args/$c" ;;
  esac
  # shellcheck disable=SC2034 # read by write_manifests
  APISERVER_EXTRA_ARGS=$cfg_apiserver_args
  write_manifests "$adv" "$node" "$c"
  after=$(sha_of "$m")
  [[ $before == "$after" ]] && return 0
  if [[ $c == kube-apiserver ]]; then
    local id state rest
    if apiserver_read_state "$APISERVER_DIR" id state rest && [[ $state == running ]]; then
      apiserver_set_state "$id" exited "$(now_ms)" "${rest##* }"
      apiserver_event stop "$id" manifest
      apiserver_spawn __kubelet-restart "$id"
    fi
  elif [[ $c == etcd ]]; then
    # The kubelet replaces the pod: a new etcd process (a new container ID for crictl).
    etcd_restart >/dev/null || die 1 "[etcd] etcd did not come back healthy after its manifest changed"
  else
    component_stop "$c"
  fi
}

_phase_args() { # _phase_args COMPONENT: its extraArgs from the config, one --flag=value a line
  case $1 in
    kube-controller-manager) printf '%s' "$cfg_controller_manager_args" ;;
    kube-scheduler) printf '%s' "$cfg_scheduler_args" ;;
    etcd) printf '%s' "$cfg_etcd_args" ;;
  esac
}

_phase_needs_cp() {
  is_root || die 1 "open /etc/kubernetes/manifests/.tmp: permission denied"
  [[ -e /etc/kubernetes/pki/ca.crt ]] || die 1 "error execution phase control-plane: couldn't load the CA: open /etc/kubernetes/pki/ca.crt: no such file or directory"
}

kubeadm_phase_control_plane() {
  local which=${1:-}
  [[ $# -gt 0 ]] && shift
  local list=()
  case $which in
    apiserver) list=(kube-apiserver) ;;
    controller-manager) list=(kube-controller-manager) ;;
    scheduler) list=(kube-scheduler) ;;
    all) list=(kube-apiserver kube-controller-manager kube-scheduler) ;;
    "") die 1 "stand-in kubeadm: 'init phase control-plane' needs a component (all, apiserver, controller-manager, scheduler)" ;;
    *) die 1 "unknown command \"$which\" for \"kubeadm init phase control-plane\"" ;;
  esac
  local config cfg_adv="" cfg_apiserver_args="" cfg_controller_manager_args="" cfg_scheduler_args="" cfg_etcd_args="" cfg_apiserver_sans=""
  config=$(_phase_config "control-plane $which" "$@") || exit 1
  _phase_load "$config"
  _phase_needs_cp
  echo '[control-plane] Using manifest folder "/etc/kubernetes/manifests"'
  local c
  for c in "${list[@]}"; do
    echo "[control-plane] Creating static Pod manifest for \"$c\""
    _phase_manifest "$c"
  done
}

kubeadm_phase_etcd() {
  local which=${1:-}
  [[ $# -gt 0 ]] && shift
  [[ $which == local ]] || die 1 "unknown command \"$which\" for \"kubeadm init phase etcd\""
  local config cfg_adv="" cfg_apiserver_args="" cfg_controller_manager_args="" cfg_scheduler_args="" cfg_etcd_args="" cfg_apiserver_sans=""
  config=$(_phase_config "etcd local" "$@") || exit 1
  _phase_load "$config"
  _phase_needs_cp
  echo '[etcd] Creating static Pod manifest for local etcd in "/etc/kubernetes/manifests"'
  _phase_manifest etcd
}

kubeadm_phase_certs() {
  local which=${1:-}
  [[ $# -gt 0 ]] && shift
  [[ $which == apiserver ]] || die 1 "stand-in kubeadm: only 'init phase certs apiserver' is implemented (got: certs $which)"
  local config cfg_adv="" cfg_apiserver_args="" cfg_controller_manager_args="" cfg_scheduler_args="" cfg_etcd_args="" cfg_apiserver_sans=""
  config=$(_phase_config "certs apiserver" "$@") || exit 1
  _phase_load "$config"
  _phase_needs_cp
  local p=/etc/kubernetes/pki
  if [[ -e $p/apiserver.crt && -e $p/apiserver.key ]]; then
    echo '[certs] Using existing apiserver certificate and key on disk'
    return 0
  fi
  echo '[certs] Generating "apiserver" certificate and key'
  pki_leaf "$p/ca" "$p/apiserver" /CN=kube-apiserver "$cfg_apiserver_sans"
}

kubeadm_phase_addon() {
  local which=${1:-}
  [[ $# -gt 0 ]] && shift
  case $which in coredns | kube-proxy) ;; all) ;; *) die 1 "unknown command \"$which\" for \"kubeadm init phase addon\"" ;; esac
  local config cfg_adv="" cfg_apiserver_args="" cfg_controller_manager_args="" cfg_scheduler_args="" cfg_etcd_args="" cfg_apiserver_sans=""
  config=$(_phase_config "addon $which" "$@") || exit 1
  _phase_load "$config"
  require_admin_kubeconfig /etc/kubernetes/admin.conf
  [[ $which == coredns || $which == all ]] && echo "[addons] Applied essential addon: CoreDNS"
  [[ $which == kube-proxy || $which == all ]] && echo "[addons] Applied essential addon: kube-proxy"
  return 0
}

kubeadm_init_phase() {
  local phase=${1:-}
  [[ $# -gt 0 ]] && shift
  case $phase in
    upload-certs) kubeadm_init_phase_upload_certs "$@" ;;
    control-plane) kubeadm_phase_control_plane "$@" ;;
    etcd) kubeadm_phase_etcd "$@" ;;
    certs) kubeadm_phase_certs "$@" ;;
    addon) kubeadm_phase_addon "$@" ;;
    *) die 1 "stand-in kubeadm: 'init phase $phase' is not implemented (upload-certs, control-plane, etcd, certs apiserver, addon)" ;;
  esac
}

kubeadm_upgrade_node_phase() {
  local phase=${1:-}
  [[ $# -gt 0 ]] && shift
  [[ $phase == kubelet-config ]] || die 1 "unknown command \"$phase\" for \"kubeadm upgrade node phase\""
  local a
  for a in "$@"; do case $a in --kubeconfig=* | --v=* | --dry-run | --patches=*) ;; *) die 1 "unknown flag: $a" ;; esac; done
  is_root || die 1 "open /var/lib/kubelet/config.yaml: permission denied"
  [[ -e /etc/kubernetes/kubelet.conf ]] || die 1 "couldn't create a Kubernetes client from file \"/etc/kubernetes/kubelet.conf\": open /etc/kubernetes/kubelet.conf: no such file or directory"
  if ! api_serving || ! apiserver_any_ready; then
    die 1 "error execution phase kubelet-config: failed to download kubelet configuration from the \"kubelet-config\" ConfigMap: Get \"https://$(cluster_get endpoint)/api/v1/namespaces/kube-system/configmaps/kubelet-config\": dial tcp: connect: connection refused"
  fi
  local cm=$CLUSTER/configmaps/kube-system/kubelet-config.json
  [[ -r $cm ]] || die 1 "error execution phase kubelet-config: configmaps \"kubelet-config\" not found"
  echo '[upgrade] Reading configuration from the "kubeadm-config" ConfigMap in namespace "kube-system"...'
  mkdir -p /etc/kubernetes/tmp
  local backup
  backup=/etc/kubernetes/tmp/kubeadm-kubelet-config$(date +%s).yaml
  [[ -e /var/lib/kubelet/config.yaml ]] && cp /var/lib/kubelet/config.yaml "$backup" && echo "[upgrade] Backing up kubelet config file to $backup"
  jq -r '.data.kubelet' "$cm" | write_atomic /var/lib/kubelet/config.yaml
  echo '[kubelet-start] Writing kubelet configuration to file "/var/lib/kubelet/config.yaml"'
  echo '[upgrade/kubelet-config] The kubelet configuration for this node was successfully upgraded!'
}
