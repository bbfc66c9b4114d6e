# shellcheck shell=bash
# `kubeadm upgrade apply|node|plan` for the kubeadm stand-in, with the real
# version-skew policy's messages (cmd/kubeadm/app/phases/upgrade/policy.go):
# - apply VERSION [--yes]: on a control plane with admin.conf, while the API
#   answers; the target must be above the cluster's version, at most one minor
#   ahead, and not above this kubeadm. It writes new static-pod manifests (the
#   kubeadm binary's version, the ClusterConfiguration's extraArgs), restarts the
#   API server (a new container at the new version), then records the version in
#   the cluster (cluster.json and the kubeadm-config ConfigMap) and writes the
#   kubelet config. Without --yes it asks on stdin.
# - node: a control plane's static pods and kubelet config follow the cluster's
#   recorded version (this kubeadm must be at it); a worker's kubelet config only.
# - plan: prints the versions.
# A failOnce("upgrade") makes the next apply/node fail after the manifests were
# written and before the version is recorded, as a real timeout waiting for a
# static pod does.

_upgrade_minor() { local v=${1#v}; v=${v#1.}; printf '%s' "${v%%.*}"; }

_upgrade_fatal() {
  die 1 "[upgrade/version] FATAL: the --version argument is invalid due to these errors:" "" "	- $1" "" \
    "Can be bypassed if you pass the --force flag" "To see the stack trace of this error execute with --v=5 or higher"
}

# The local control plane at KUBEADM_VERSION: manifests rewritten, API server restarted.
_upgrade_static_pods() { # _upgrade_static_pods NODE_NAME
  local adv
  adv=$(grep -o -- '--advertise-address=[^ ]*' "$APISERVER_MANIFEST" | head -n 1 | cut -d= -f2)
  mkdir -p /etc/kubernetes/tmp
  cp -a /etc/kubernetes/manifests "/etc/kubernetes/tmp/kubeadm-backup-manifests-$(date +%Y-%m-%d-%H-%M-%S)"
  # shellcheck disable=SC2034 # read by write_manifests
  APISERVER_EXTRA_ARGS=$(cat "$CLUSTER/apiserver-args" 2>/dev/null || true)
  echo "[upgrade/staticpods] Writing new Static Pod manifests to \"/etc/kubernetes/tmp/kubeadm-upgraded-manifests\""
  write_manifests "$adv" "$1"
  local id state rest
  if apiserver_read_state "$APISERVER_DIR" id state rest && [[ $state == running ]]; then
    apiserver_set_state "$id" exited "$(now_ms)" 0
    apiserver_event stop "$id" upgrade
  fi
  echo "[upgrade/staticpods] Waiting for the kubelet to restart the component"
  standin_delay upgrade
  if standin_should_fail upgrade; then
    die 1 "[upgrade/apply] FATAL: couldn't upgrade control plane. kubeadm has tried to recover everything into the earlier state. Errors faced: timed out waiting for the condition" \
      "To see the stack trace of this error execute with --v=5 or higher"
  fi
  apiserver_boot || die 1 "[upgrade/apply] FATAL: couldn't upgrade control plane: static Pod hash for component kube-apiserver on Node $1 did not change after 5m0s: timed out waiting for the condition"
  local c
  for c in kube-apiserver kube-controller-manager kube-scheduler; do echo "[upgrade/staticpods] Component \"$c\" upgraded successfully!"; done
}

_upgrade_kubelet_config() {
  echo "[upgrade] Backing up kubelet config file to /etc/kubernetes/tmp/kubeadm-kubelet-config.yaml"
  mkdir -p /etc/kubernetes/tmp
  [[ -e /var/lib/kubelet/config.yaml ]] && cp /var/lib/kubelet/config.yaml /etc/kubernetes/tmp/kubeadm-kubelet-config.yaml
  echo '[kubelet-start] Writing kubelet configuration to file "/var/lib/kubelet/config.yaml"'
}

kubeadm_upgrade_apply() {
  local target="" yes=0
  while [[ $# -gt 0 ]]; do
    case $1 in
      -y | --yes | -f | --force) yes=1 ;;
      --ignore-preflight-errors=*) IGNORED_PREFLIGHT+=",${1#*=}" ;;
      --certificate-renewal=* | --etcd-upgrade=* | --config=* | --v=* | --kubeconfig=*) ;;
      -*) die 1 "unknown flag: $1" ;;
      *) target=$1 ;;
    esac
    shift
  done
  is_root || preflight IsPrivilegedUser "user is not running as root"
  preflight_finish
  [[ -n $target ]] || die 1 "missing one or more required arguments: [version]"
  [[ -e /etc/kubernetes/admin.conf ]] || die 1 "couldn't create a Kubernetes client from file \"/etc/kubernetes/admin.conf\": failed to load admin kubeconfig: open /etc/kubernetes/admin.conf: no such file or directory"
  [[ -e $APISERVER_MANIFEST ]] || die 1 "[upgrade/apply] FATAL: this node is not a control plane: $APISERVER_MANIFEST does not exist"
  if ! api_serving || ! apiserver_any_ready; then
    die 1 "[upgrade/health] FATAL: [preflight] Some fatal errors occurred:" "	[ERROR ControlPlaneNodesReady]: couldn't list control-planes in cluster: Get \"https://$(cluster_get endpoint)/api/v1/nodes\": dial tcp: connect: connection refused"
  fi
  target=v${target#v}
  local current
  current=$(cluster_get kubernetesVersion)
  echo "[upgrade] Reading configuration from the \"kubeadm-config\" ConfigMap in namespace \"kube-system\"..."
  echo "[upgrade/version] You have chosen to change the cluster version to \"$target\""
  echo "[upgrade/versions] Cluster version: $current"
  echo "[upgrade/versions] kubeadm version: $KUBEADM_VERSION"
  [[ $(printf '%s\n%s\n' "$current" "$target" | sort -V | tail -n 1) == "$target" && $current != "$target" ]] ||
    _upgrade_fatal "Specified version to upgrade to \"$target\" is equal to or lower than the minimum supported version \"$current\". Please specify a higher version to upgrade to"
  (($(_upgrade_minor "$target") - $(_upgrade_minor "$current") <= 1)) ||
    _upgrade_fatal "Specified version to upgrade to \"$target\" is too high; kubeadm can upgrade only 1 minor version at a time"
  [[ $(printf '%s\n%s\n' "$KUBEADM_VERSION" "$target" | sort -V | tail -n 1) == "$KUBEADM_VERSION" ]] ||
    _upgrade_fatal "Specified version to upgrade to \"$target\" is higher than the kubeadm version \"$KUBEADM_VERSION\". Upgrade kubeadm first using the tool you used to install kubeadm"
  if [[ $yes -eq 0 ]]; then
    local answer=""
    printf '[upgrade] Are you sure you want to proceed? [y/N]: '
    read -r answer || true
    [[ ${answer,,} == y || ${answer,,} == yes ]] || die 1 "" "won't proceed; the user didn't answer (Y|n) in order to continue"
  fi
  echo "[upgrade/apply] Upgrading your Static Pod-hosted control plane to version \"$target\"..."
  _upgrade_static_pods "$(my_node_name)"
  with_cluster_lock _upgrade_record "$target"
  echo "[upgrade/config] The configuration was uploaded to the \"kubeadm-config\" ConfigMap"
  _upgrade_kubelet_config
  echo "[upgrade] SUCCESS! A control plane node of your cluster was upgraded to \"$target\"."
  echo "[upgrade] Now please proceed with upgrading the rest of the nodes by following the right order."
}

_upgrade_record() { # the cluster's version, in cluster.json and the kubeadm-config ConfigMap
  local f=$CLUSTER/cluster.json cm=$CLUSTER/configmaps/kube-system/kubeadm-config.json
  jq --arg v "$1" '.kubernetesVersion = $v' "$f" | write_atomic "$f"
  [[ -e $cm ]] && jq --arg v "$1" '.data.ClusterConfiguration |= sub("kubernetesVersion: [^\n]*"; "kubernetesVersion: \($v)")' "$cm" | write_atomic "$cm"
  return 0
}

kubeadm_upgrade_node() {
  if [[ ${1:-} == phase ]]; then
    shift
    kubeadm_upgrade_node_phase "$@"
    return
  fi
  while [[ $# -gt 0 ]]; do
    case $1 in
      --ignore-preflight-errors=*) IGNORED_PREFLIGHT+=",${1#*=}" ;;
      --certificate-renewal=* | --etcd-upgrade=* | --config=* | --v=* | --kubeconfig=* | --skip-phases=*) ;;
      *) die 1 "unknown flag: $1" ;;
    esac
    shift
  done
  is_root || preflight IsPrivilegedUser "user is not running as root"
  preflight_finish
  [[ -e /etc/kubernetes/kubelet.conf ]] || die 1 "couldn't create a Kubernetes client from file \"/etc/kubernetes/kubelet.conf\": open /etc/kubernetes/kubelet.conf: no such file or directory"
  if ! api_serving || ! apiserver_any_ready; then
    die 1 "unable to fetch the kubeadm-config ConfigMap: Get \"https://$(cluster_get endpoint)/api/v1/namespaces/kube-system/configmaps/kubeadm-config\": dial tcp: connect: connection refused"
  fi
  local cluster_version
  cluster_version=$(cluster_get kubernetesVersion)
  echo "[upgrade] Reading configuration from the \"kubeadm-config\" ConfigMap in namespace \"kube-system\"..."
  if [[ -e $APISERVER_MANIFEST ]]; then
    [[ $(printf '%s\n%s\n' "$KUBEADM_VERSION" "$cluster_version" | sort -V | tail -n 1) == "$KUBEADM_VERSION" ]] ||
      die 1 "[upgrade/version] FATAL: the cluster is at $cluster_version, which is newer than this kubeadm ($KUBEADM_VERSION): upgrade kubeadm first"
    echo "[upgrade] Upgrading your Static Pod-hosted control plane instance to version \"$cluster_version\"..."
    _upgrade_static_pods "$(my_node_name)"
  else
    echo "[upgrade/control-plane] Skipping phase. Not a control plane node."
  fi
  _upgrade_kubelet_config
  echo "[upgrade] The configuration for this node was successfully upgraded!"
  echo "[upgrade] Now you should go ahead and upgrade the kubelet package using your package manager."
}

kubeadm_upgrade_plan() {
  [[ -e /etc/kubernetes/admin.conf ]] || die 1 "couldn't create a Kubernetes client from file \"/etc/kubernetes/admin.conf\""
  local current
  current=$(cluster_get kubernetesVersion)
  echo "[upgrade/versions] Cluster version: $current"
  echo "[upgrade/versions] kubeadm version: $KUBEADM_VERSION"
  if [[ $current == "$KUBEADM_VERSION" ]]; then
    echo "Awesome, you're up-to-date! Enjoy!"
  else
    echo "You can now apply the upgrade by executing the following command:"
    echo ""
    echo "	kubeadm upgrade apply $KUBEADM_VERSION"
  fi
}

kubeadm_upgrade() {
  local sub=${1:-}
  shift || true
  case $sub in
    apply) kubeadm_upgrade_apply "$@" ;;
    node) kubeadm_upgrade_node "$@" ;;
    plan) kubeadm_upgrade_plan "$@" ;;
    *) die 1 "unknown command \"$sub\" for \"kubeadm upgrade\"" ;;
  esac
}
