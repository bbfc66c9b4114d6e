# shellcheck shell=bash
# `kubeadm join` for the kubeadm stand-in: token discovery against the shared
# state, then the node's files, its Node object and (control planes) a real
# etcd member.

kubeadm_join() {
  local endpoint="" token="" hashes=() unsafe=0 cp=0 cert_key="" node_name="" adv="" config=""
  while [[ $# -gt 0 ]]; do
    case $1 in
      --config=*) config=${1#*=} ;;
      --token=* | --discovery-token=*) token=${1#*=} ;;
      --discovery-token-ca-cert-hash=*) hashes+=("${1#*=}") ;;
      --discovery-token-unsafe-skip-ca-verification) unsafe=1 ;;
      --control-plane) cp=1 ;;
      --certificate-key=*) cert_key=${1#*=} ;;
      --node-name=*) node_name=${1#*=} ;;
      --apiserver-advertise-address=*) adv=${1#*=} ;;
      --ignore-preflight-errors=*) IGNORED_PREFLIGHT+=",${1#*=}" ;;
      -*) ;;
      *) [[ -z $endpoint ]] || die 1 "unknown command \"$1\" for \"kubeadm join\""; endpoint=$1 ;;
    esac
    shift
  done
  if [[ -n $config ]]; then
    local cfgsh cfg_endpoint cfg_token cfg_hashes cfg_unsafe cfg_cp cfg_cert_key cfg_adv cfg_node_name cfg_ignore
    cfgsh=$("$STANDIN_NODE" "$STANDIN_LIB/kubeadm-config.js" join "$config") || exit 1
    eval "$cfgsh"
    endpoint=${endpoint:-$cfg_endpoint}
    token=${token:-$cfg_token}
    [[ -n $cfg_hashes ]] && IFS=, read -r -a hashes <<<"$cfg_hashes"
    [[ $cfg_unsafe == 1 ]] && unsafe=1
    [[ $cfg_cp == 1 ]] && cp=1
    cert_key=${cert_key:-$cfg_cert_key}
    adv=${adv:-$cfg_adv}
    node_name=${node_name:-$cfg_node_name}
    IGNORED_PREFLIGHT+=",$cfg_ignore"
  fi
  node_name=${node_name:-$(hostname)}
  node_name=${node_name,,}
  adv=${adv:-$HOST_IP}
  [[ -n $endpoint ]] || die 1 "discovery: Invalid value: \"\": bootstrapToken or file must be set"
  [[ $token =~ $TOKEN_RE ]] ||
    die 1 "invalid discovery token: the bootstrap token \"$token\" was not of the form \"[a-z0-9]{6}.[a-z0-9]{16}\""
  if [[ ${#hashes[@]} -eq 0 && $unsafe -eq 0 ]]; then
    die 1 'discovery.bootstrapToken: Invalid value: "": using token-based discovery without caCertHashes can be unsafe. Set unsafeSkipCAVerification as true in your kubeadm config file or pass --discovery-token-unsafe-skip-ca-verification flag to continue'
  fi

  echo "[preflight] Running pre-flight checks"
  preflight_common
  [[ -e /etc/kubernetes/kubelet.conf ]] &&
    preflight FileAvailable--etc-kubernetes-kubelet.conf "/etc/kubernetes/kubelet.conf already exists"
  if unit_active kubelet && [[ -e /etc/kubernetes/kubelet.conf ]]; then preflight Port-10250 "Port 10250 is in use"; fi
  if [[ $cp -eq 1 ]]; then
    [[ -n $(ls -A /etc/kubernetes/manifests 2>/dev/null) ]] &&
      preflight DirAvailable--etc-kubernetes-manifests "/etc/kubernetes/manifests is not empty"
    if etcd_running; then preflight Port-2379 "Port 2379 is in use"; fi
  elif [[ -e /etc/kubernetes/pki/ca.crt ]]; then
    preflight FileAvailable--etc-kubernetes-pki-ca.crt "/etc/kubernetes/pki/ca.crt already exists"
  fi
  preflight_finish

  # Discovery: the API must answer at the endpoint and know the token.
  local e ok=0
  if api_serving; then
    while read -r e; do [[ $e == "$endpoint" ]] && ok=1; done < <(api_endpoints)
  fi
  [[ $ok -eq 1 ]] || die 1 "error execution phase preflight: couldn't validate the identity of the API Server: failed to request the cluster-info ConfigMap: Get \"https://$endpoint/api/v1/namespaces/kube-public/configmaps/cluster-info?timeout=10s\": dial tcp $endpoint: connect: connection refused" \
    "To see the stack trace of this error execute with --v=5 or higher"
  token_valid "$token" || die 1 "error execution phase preflight: couldn't validate the identity of the API Server: could not find a JWS signature in the cluster-info ConfigMap for token ID \"${token%%.*}\"" \
    "To see the stack trace of this error execute with --v=5 or higher"
  local real_hash h pinned=0
  real_hash=$(cluster_get caCertHash)
  for h in "${hashes[@]}"; do [[ ${h,,} == "$real_hash" ]] && pinned=1; done
  if [[ $unsafe -eq 0 && $pinned -eq 0 ]]; then
    die 1 "error execution phase preflight: couldn't validate the identity of the API Server: cluster CA found in cluster-info ConfigMap is invalid: none of the public keys \"$real_hash\" are pinned" \
      "To see the stack trace of this error execute with --v=5 or higher"
  fi
  echo '[preflight] Reading configuration from the "kubeadm-config" ConfigMap in namespace "kube-system"...'
  echo "[preflight] Use 'kubeadm init phase upload-config kubeadm --config your-config-file' to re-upload it."

  if [[ $cp -eq 1 ]]; then
    if [[ -z $(cluster_get controlPlaneEndpoint) ]]; then
      die 1 "error execution phase preflight: " "One or more conditions for hosting a new control plane instance is not satisfied." "" \
        "unable to add a new control plane instance to a cluster that doesn't have a stable controlPlaneEndpoint address" "" \
        "Please ensure that:" "* The cluster has a stable controlPlaneEndpoint address." \
        "* The certificates that must be shared among control plane instances are provided." "" "" \
        "To see the stack trace of this error execute with --v=5 or higher"
    fi
    if [[ -n $cert_key ]]; then
      local err
      err=$(certkey_check "$cert_key") || die 1 "$err" "To see the stack trace of this error execute with --v=5 or higher"
      echo '[download-certs] Downloading the certificates in Secret "kubeadm-certs" in the "kube-system" Namespace'
      echo '[download-certs] Saving the certificates to the folder: "/etc/kubernetes/pki"'
    elif [[ ! -r /etc/kubernetes/pki/ca.key ]]; then
      die 1 "error execution phase preflight: " "One or more conditions for hosting a new control plane instance is not satisfied." "" \
        "[failure loading certificate for CA: couldn't load the certificate file /etc/kubernetes/pki/ca.crt: open /etc/kubernetes/pki/ca.crt: no such file or directory]" "" \
        "Please ensure that:" "* The cluster has a stable controlPlaneEndpoint address." \
        "* The certificates that must be shared among control plane instances are provided." "" "" \
        "To see the stack trace of this error execute with --v=5 or higher"
    fi
  fi
  if [[ -e $(node_file "$node_name") ]] && jq -e '.status.conditions[] | select(.type == "Ready") | .status == "True"' "$(node_file "$node_name")" >/dev/null; then
    die 1 "error execution phase kubelet-start: a Node with name \"$node_name\" and status \"Ready\" already exists in the cluster. You must delete the existing Node or change the name of this new joining Node" \
      "To see the stack trace of this error execute with --v=5 or higher"
  fi

  standin_delay join
  local cluster_ep
  cluster_ep=$(cluster_get endpoint)
  if [[ $cp -eq 1 ]]; then
    echo "[control-plane-prepare] Preparing the control plane"
    pki_control_plane "$node_name"
    echo '[certs] Using certificateDir folder "/etc/kubernetes/pki"'
    write_control_plane_kubeconfigs "$cluster_ep" "$adv"
    echo '[kubeconfig] Writing "admin.conf" kubeconfig file'
    # shellcheck disable=SC2034 # read by write_manifests
    APISERVER_EXTRA_ARGS=$(cat "$CLUSTER/apiserver-args" 2>/dev/null || true)
    write_manifests "$adv" "$node_name"
    echo '[control-plane] Using manifest folder "/etc/kubernetes/manifests"'
  else
    mkdir -p /etc/kubernetes/pki
    cp "$CLUSTER/pki/ca.crt" /etc/kubernetes/pki/ca.crt
  fi
  pki_kubeconfig /etc/kubernetes/kubelet.conf "$cluster_ep" "system:node:$node_name" "/O=system:nodes/CN=system:node:$node_name"
  write_kubelet_files "$node_name"
  echo '[kubelet-start] Writing kubelet configuration to file "/var/lib/kubelet/config.yaml"'
  echo '[kubelet-start] Writing kubelet environment file with flags to file "/var/lib/kubelet/kubeadm-flags.env"'
  echo '[kubelet-start] Starting the kubelet'
  if standin_should_fail join; then
    # Half-joined, as when the TLS bootstrap times out: kubelet.conf exists, the
    # Node does not, so a plain re-run fails preflight until `kubeadm reset`.
    die 1 "[kubelet-check] The kubelet is not healthy after 4m0s" \
      "error execution phase kubelet-start: error uploading crisocket: nodes \"$node_name\" not found" \
      "To see the stack trace of this error execute with --v=5 or higher"
  fi
  echo '[kubelet-check] Waiting for a healthy kubelet at http://127.0.0.1:10248/healthz. This can take up to 4m0s'
  echo '[kubelet-check] The kubelet is healthy after 501.234ms'
  echo '[kubelet-start] Waiting for the kubelet to perform the TLS Bootstrap'
  # The kubelet registers the Node once its TLS bootstrap is done, before the
  # control-plane-join phase adds the etcd member (kubeadm's order).
  node_register "$node_name" "$([[ $cp -eq 1 ]] && echo control-plane || echo worker)" "$KUBEADM_VERSION"
  if [[ $cp -eq 1 ]]; then
    echo "[control-plane-join] Joining the control plane"
    etcd_join "$node_name" || exit 1
    echo "[etcd] Waiting for the new etcd member to join the cluster. This can take up to 40s"
    apiserver_boot || die 1 "[control-plane-check] kube-apiserver is not healthy after 4m0.000s" \
      "error execution phase wait-control-plane: failed while waiting for the control plane to start: kube-apiserver check failed at https://$adv:6443/livez: client rate limiter Wait returned an error: context deadline exceeded" \
      "To see the stack trace of this error execute with --v=5 or higher"
  fi
  if [[ $cp -eq 1 ]]; then
    echo "[mark-control-plane] Marking the node $node_name as control-plane by adding the labels: [node-role.kubernetes.io/control-plane node.kubernetes.io/exclude-from-external-load-balancers]"
    echo "[mark-control-plane] Marking the node $node_name as control-plane by adding the taints [node-role.kubernetes.io/control-plane:NoSchedule]"
    cat <<EOF

This node has joined the cluster and a new control plane instance was created:

* Certificate signing request was sent to apiserver and approval was received.
* The Kubelet was informed of the new secure connection details.
* Control plane label and taint were applied to the new node.
* The Kubernetes control plane instances scaled up.
* A new etcd member was added to the local/stacked etcd cluster.

To start administering your cluster from this node, you need to run the following as a regular user:

	mkdir -p \$HOME/.kube
	sudo cp -i /etc/kubernetes/admin.conf \$HOME/.kube/config
	sudo chown \$(id -u):\$(id -g) \$HOME/.kube/config

Run 'kubectl get nodes' to see this node join the cluster.

EOF
  else
    cat <<'EOF'

This node has joined the cluster:
* Certificate signing request was sent to apiserver and a response was received.
* The Kubelet was informed of the new secure connection details.

Run 'kubectl get nodes' on the control-plane to see this node join the cluster.

EOF
  fi
}
