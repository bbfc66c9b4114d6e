# shellcheck shell=bash
# `kubeadm reset` for the kubeadm stand-in. Like the real one it stops this
# node's etcd but does not remove the etcd member or the Node object (both are
# the caller's job: `etcdctl member remove`, `kubectl delete node`).

kubeadm_reset() {
  local force=0 answer=""
  while [[ $# -gt 0 ]]; do
    case $1 in
      -f | --force) force=1 ;;
      --ignore-preflight-errors=*) IGNORED_PREFLIGHT+=",${1#*=}" ;;
      -*) ;;
      *) die 1 "unknown command \"$1\" for \"kubeadm reset\"" ;;
    esac
    shift
  done
  is_root || preflight IsPrivilegedUser "user is not running as root"
  preflight_finish
  local is_cp=0
  [[ -e /etc/kubernetes/manifests/kube-apiserver.yaml ]] && is_cp=1
  echo "[reset] Reading configuration from the \"kubeadm-config\" ConfigMap in namespace \"kube-system\"..."
  echo "[reset] Use 'kubeadm init phase upload-config kubeadm --config your-config-file' to re-upload it."
  if [[ $force -eq 0 ]]; then
    echo "W$(date +%m%d) $(date +%H:%M:%S).000000    1234 reset.go:141] [reset] WARNING: Changes made to this host by 'kubeadm init' or 'kubeadm join' will be reverted." >&2
    printf '[reset] Are you sure you want to proceed? [y/N]: '
    read -r answer || true
    [[ ${answer,,} == y || ${answer,,} == yes ]] ||
      die 1 "" "error: won't proceed; the user didn't answer (Y|n) in order to continue"
  fi
  echo "[preflight] Running pre-flight checks"
  standin_delay reset
  standin_should_fail reset &&
    die 1 "error execution phase cleanup-node: failed to unmount mounted directories in /var/lib/kubelet: device or resource busy" \
      "To see the stack trace of this error execute with --v=5 or higher"
  if [[ $is_cp -eq 1 ]]; then
    echo "W$(date +%m%d) $(date +%H:%M:%S).000000    1234 removeetcdmember.go:106] [reset] No kubeadm config, using etcd pod spec to get data directory" >&2
    etcd_stop
    rm -f "$ETCD_ARGS_FILE" "$ETCD_AWAY_MARK"
    apiserver_remove
    rm -rf "$COMPONENT_DIR"
    rm -rf /var/lib/etcd
    echo "[reset] Deleted contents of the etcd data directory: /var/lib/etcd"
  fi
  echo "[reset] Stopping the kubelet service"
  if unit_active kubelet; then
    rm -f "$STATE/units/kubelet.active"
    node_kubelet_stopped
  fi
  echo '[reset] Unmounting mounted directories in "/var/lib/kubelet"'
  echo "[reset] Deleting contents of directories: [/etc/kubernetes/manifests /var/lib/kubelet /etc/kubernetes/pki]"
  rm -rf /etc/kubernetes/manifests/* /etc/kubernetes/pki/* /var/lib/kubelet
  local files=(admin.conf super-admin.conf kubelet.conf bootstrap-kubelet.conf controller-manager.conf scheduler.conf)
  echo "[reset] Deleting files: [${files[*]/#//etc/kubernetes/}]"
  for f in "${files[@]}"; do rm -f "/etc/kubernetes/$f"; done
  rm -f "$STATE/node-name"
  cat <<'TXT'

The reset process does not perform cleanup of CNI plugin configuration,
network filtering rules and kubeconfig files.

For information on how to perform this cleanup manually, please see:
    https://k8s.io/docs/reference/setup-tools/kubeadm/kubeadm-reset/

TXT
}
