# shellcheck shell=bash
# `kubeadm init` for the kubeadm stand-in. A successful init creates a new
# cluster identity: fresh shared state (CAs, tokens, Node registry — those live
# in etcd for real, and init starts a new etcd) and a real single-member etcd.
# As the real one, it uses CA files it finds in /etc/kubernetes/pki ("Using
# existing ... certificate authority") and, with DirAvailable--var-lib-etcd
# ignored, starts etcd on the data it finds there: then the API's objects are
# what that etcd holds, which here means the shared state is kept (a restore
# onto a new machine; the objects of the stand-in API do not live in etcd).

kubeadm_init() {
  local config="" upload_certs=0 cert_key="" skip_phases="" node_name="" cpe="" adv="" token="" ttl=86400
  local k8s_version="" pod_subnet="" service_subnet=10.96.0.0/12 cluster_name=kubernetes
  while [[ $# -gt 0 ]]; do
    case $1 in
      --config=*) config=${1#*=} ;;
      --upload-certs) upload_certs=1 ;;
      --certificate-key=*) cert_key=${1#*=} ;;
      --skip-phases=*) skip_phases=${1#*=} ;;
      --node-name=*) node_name=${1#*=} ;;
      --control-plane-endpoint=*) cpe=${1#*=} ;;
      --apiserver-advertise-address=*) adv=${1#*=} ;;
      --kubernetes-version=*) k8s_version=${1#*=} ;;
      --pod-network-cidr=*) pod_subnet=${1#*=} ;;
      --token=*) token=${1#*=} ;;
      --ignore-preflight-errors=*) IGNORED_PREFLIGHT+=",${1#*=}" ;;
      phase) shift; kubeadm_init_phase "$@"; return ;;
      -*) ;;
      *) die 1 "unknown command \"$1\" for \"kubeadm init\"" ;;
    esac
    shift
  done

  if [[ -n $config ]]; then
    local cfgsh cfg_node_name cfg_adv cfg_token cfg_ttl cfg_cert_key cfg_skip_phases cfg_ignore cfg_cpe
    local cfg_k8s_version cfg_pod_subnet cfg_service_subnet cfg_cluster_name cfg_apiserver_args cfg_kube_proxy_conf
    cfgsh=$("$STANDIN_NODE" "$STANDIN_LIB/kubeadm-config.js" init "$config") || exit 1
    eval "$cfgsh"
    node_name=${node_name:-$cfg_node_name}
    adv=${adv:-$cfg_adv}
    token=${token:-$cfg_token}
    [[ -n $cfg_ttl ]] && ttl=$(duration_seconds "$cfg_ttl")
    cert_key=${cert_key:-$cfg_cert_key}
    skip_phases=${skip_phases:-$cfg_skip_phases}
    cpe=${cpe:-$cfg_cpe}
    k8s_version=${k8s_version:-$cfg_k8s_version}
    pod_subnet=${pod_subnet:-$cfg_pod_subnet}
    service_subnet=${cfg_service_subnet:-$service_subnet}
    cluster_name=${cfg_cluster_name:-$cluster_name}
    IGNORED_PREFLIGHT+=",$cfg_ignore"
    APISERVER_EXTRA_ARGS=$cfg_apiserver_args
  fi
  node_name=${node_name:-$(hostname)}
  node_name=${node_name,,}
  adv=${adv:-$HOST_IP}
  k8s_version=${k8s_version:-$KUBEADM_VERSION}
  [[ -n $token && ! $token =~ $TOKEN_RE ]] &&
    die 1 "the bootstrap token \"$token\" was not of the form \"[a-z0-9]{6}.[a-z0-9]{16}\""
  local endpoint=${cpe:-$adv:6443}
  [[ $endpoint == *:* ]] || endpoint+=:6443

  echo "[init] Using Kubernetes version: $k8s_version"
  echo "[preflight] Running pre-flight checks"
  preflight_common
  local f
  for f in kube-apiserver kube-controller-manager kube-scheduler etcd; do
    [[ -e /etc/kubernetes/manifests/$f.yaml ]] &&
      preflight "FileAvailable--etc-kubernetes-manifests-$f.yaml" "/etc/kubernetes/manifests/$f.yaml already exists"
  done
  if unit_active kubelet && [[ -e /etc/kubernetes/kubelet.conf ]]; then preflight Port-10250 "Port 10250 is in use"; fi
  if etcd_running; then preflight Port-2379 "Port 2379 is in use"; fi
  if [[ -n $(ls -A /var/lib/etcd 2>/dev/null) ]]; then preflight DirAvailable--var-lib-etcd "/var/lib/etcd is not empty"; fi
  preflight_finish
  echo "[preflight] Pulling images required for setting up a Kubernetes cluster"
  echo "[preflight] This might take a minute or two, depending on the speed of your internet connection"

  standin_delay init
  local existing_ca=1 f kept_data=0
  for f in ca.crt ca.key front-proxy-ca.crt front-proxy-ca.key etcd/ca.crt etcd/ca.key sa.key sa.pub; do
    [[ -s /etc/kubernetes/pki/$f ]] || existing_ca=0
  done
  [[ -n $(ls -A /var/lib/etcd 2>/dev/null) ]] && kept_data=1
  # A fresh cluster identity: everything the API (etcd) held is gone, unless etcd starts on data
  # it had. Until wait-control-plane passes, nothing answers on the API (see api_serving).
  with_cluster_lock _init_cluster_state "$endpoint" "$k8s_version" "$cluster_name" "$node_name" "$pod_subnet" \
    "$service_subnet" "$cpe" "$existing_ca" "$kept_data"
  # The ClusterConfiguration's apiServer.extraArgs, which joining control planes
  # take from the cluster (kubeadm reads them from the kubeadm-config ConfigMap).
  printf '%s' "${APISERVER_EXTRA_ARGS:-}" | write_atomic "$CLUSTER/apiserver-args"
  # The phases in kubeadm's order (v1.34): certs, kubeconfig, etcd, control-plane,
  # kubelet-start, wait-control-plane, upload-config, upload-certs, ...
  echo '[certs] Using certificateDir folder "/etc/kubernetes/pki"'
  local c
  for c in ca apiserver apiserver-kubelet-client front-proxy-ca front-proxy-client etcd/ca etcd/server etcd/peer \
    etcd/healthcheck-client apiserver-etcd-client; do
    if [[ $existing_ca -eq 1 && ($c == ca || $c == front-proxy-ca || $c == etcd/ca) ]]; then
      echo "[certs] Using existing $c certificate authority"
    else
      echo "[certs] Generating \"$c\" certificate and key"
    fi
  done
  if [[ $existing_ca -eq 1 ]]; then echo '[certs] Using the existing "sa" key'; else echo '[certs] Generating "sa" key and public key'; fi
  pki_control_plane "$node_name"
  echo '[kubeconfig] Using kubeconfig folder "/etc/kubernetes"'
  write_control_plane_kubeconfigs "$endpoint" "$adv"
  pki_kubeconfig /etc/kubernetes/kubelet.conf "$endpoint" "system:node:$node_name" "/O=system:nodes/CN=system:node:$node_name"
  for c in admin super-admin kubelet controller-manager scheduler; do echo "[kubeconfig] Writing \"$c.conf\" kubeconfig file"; done
  echo '[etcd] Creating static Pod manifest for local etcd in "/etc/kubernetes/manifests"'
  write_manifests "$adv" "$node_name"
  echo '[control-plane] Using manifest folder "/etc/kubernetes/manifests"'
  for c in kube-apiserver kube-controller-manager kube-scheduler; do echo "[control-plane] Creating static Pod manifest for \"$c\""; done
  echo '[kubelet-start] Writing kubelet environment file with flags to file "/var/lib/kubelet/kubeadm-flags.env"'
  echo '[kubelet-start] Writing kubelet configuration to file "/var/lib/kubelet/config.yaml"'
  write_kubelet_files "$node_name"
  echo '[kubelet-start] Starting the kubelet'
  # The kubelet starts the etcd static pod from its manifest.
  etcd_start "$node_name" new "$node_name=http://$HOST_IP:2380" || die 1 "error execution phase wait-control-plane: etcd did not start"
  echo '[wait-control-plane] Waiting for the kubelet to boot up the control plane as static Pods from directory "/etc/kubernetes/manifests"'

  # The kubelet starts the API server's static pod; it reads the files its flags
  # name and exits if one is missing or invalid, so init then fails here too.
  if standin_should_fail init || ! apiserver_boot; then
    # What a real init leaves behind when the API server never becomes healthy:
    # certs, kubeconfigs (admin.conf, super-admin.conf), manifests, the kubelet
    # files and a running etcd with its data dir; no kubeadm-config ConfigMap,
    # no Node, no token, and nothing answers on the API. A re-run fails
    # preflight until `kubeadm reset`.
    die 1 "[control-plane-check] kube-apiserver is not healthy after 4m0.000s" "" \
      "A control plane component may have crashed or exited when started by the container runtime." \
      "error execution phase wait-control-plane: failed while waiting for the control plane to start: kube-apiserver check failed at https://$adv:6443/livez: client rate limiter Wait returned an error: context deadline exceeded" \
      "To see the stack trace of this error execute with --v=5 or higher"
  fi
  rm -f "$CLUSTER/api-down"
  node_register "$node_name" control-plane "$KUBEADM_VERSION"
  echo "[apiclient] All control plane components are healthy after 0.5s"
  echo '[upload-config] Storing the configuration used in ConfigMap "kubeadm-config" in the "kube-system" Namespace'
  configmap_store kube-system kubeadm-config ClusterConfiguration "$(printf 'apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\nclusterName: %s\nkubernetesVersion: %s\ncontrolPlaneEndpoint: %s\nnetworking:\n  podSubnet: %s\n  serviceSubnet: %s\n' \
    "$cluster_name" "$k8s_version" "$cpe" "$pod_subnet" "$service_subnet")"
  echo '[kubelet] Creating a ConfigMap "kubelet-config" in namespace kube-system with the configuration for the kubelets in the cluster'
  configmap_store kube-system kubelet-config kubelet "$(cat /var/lib/kubelet/config.yaml)"
  if [[ $upload_certs -eq 1 ]]; then
    cert_key=${cert_key:-$(rand_hex 32)}
    certkey_store "$cert_key"
    echo '[upload-certs] Storing the certificates in Secret "kubeadm-certs" in the "kube-system" Namespace'
    echo '[upload-certs] Using certificate key:'
    echo "$cert_key"
  else
    echo '[upload-certs] Skipping phase. Please see --upload-certs'
    cert_key=""
  fi
  echo "[mark-control-plane] Marking the node $node_name as control-plane by adding the labels: [node-role.kubernetes.io/control-plane node.kubernetes.io/exclude-from-external-load-balancers]"
  echo "[mark-control-plane] Marking the node $node_name as control-plane by adding the taints [node-role.kubernetes.io/control-plane:NoSchedule]"
  token=${token:-$(new_token)}
  token_store "$token" "$ttl" "default kubeadm-init bootstrap token"
  echo "[bootstrap-token] Using token: $token"
  echo '[bootstrap-token] Configuring bootstrap tokens, cluster-info ConfigMap, RBAC Roles'
  echo '[kubelet-finalize] Updating "/etc/kubernetes/kubelet.conf" to point to a rotatable kubelet client certificate and key'
  echo '[addons] Applied essential addon: CoreDNS'
  if [[ ,$skip_phases, != *,addon/kube-proxy,* && ,$skip_phases, != *,addon/all,* ]]; then
    configmap_store kube-system kube-proxy \
      config.conf "${cfg_kube_proxy_conf:-$(printf 'apiVersion: kubeproxy.config.k8s.io/v1alpha1\nkind: KubeProxyConfiguration\nmode: iptables\nclientConnection:\n  kubeconfig: /var/lib/kube-proxy/kubeconfig.conf\n')}" \
      kubeconfig.conf "$(printf 'apiVersion: v1\nkind: Config\nclusters:\n- cluster:\n    certificate-authority: /var/run/secrets/kubernetes.io/serviceaccount/ca.crt\n    server: https://%s\n  name: default\ncontexts:\n- context:\n    cluster: default\n    namespace: default\n    user: default\n  name: default\ncurrent-context: default\nusers:\n- name: default\n  user:\n    tokenFile: /var/run/secrets/kubernetes.io/serviceaccount/token\n' "${cpe:-$endpoint}")"
    echo '[addons] Applied essential addon: kube-proxy'
  fi
  print_init_success "$endpoint" "$token" "$cert_key" "$cpe"
}

_init_cluster_state() { # ENDPOINT VERSION NAME INIT_NODE POD_SUBNET SERVICE_SUBNET CONTROL_PLANE_ENDPOINT EXISTING_CA KEPT_DATA
  if [[ ${9:-0} -eq 0 ]]; then
    rm -f "$CLUSTER"/nodes/*.json "$CLUSTER"/tokens/*.json "$CLUSTER"/csrs/*.json "$CLUSTER/certificate-key.json"
    rm -rf "$CLUSTER/configmaps"
  fi
  : >"$CLUSTER/api-down"
  if [[ ${8:-0} -eq 1 ]]; then pki_adopt_cluster; else pki_init_cluster; fi
  jq -n --arg ep "$1" --arg v "$2" --arg n "$3" --arg node "$4" --arg pod "$5" --arg svc "$6" --arg cpe "$7" \
    --arg hash "$(pki_ca_hash "$CLUSTER/pki/ca.crt")" --arg at "$(iso_time)" \
    '{clusterName: $n, endpoint: $ep, controlPlaneEndpoint: $cpe, kubernetesVersion: $v, caCertHash: $hash, initNode: $node,
      podSubnet: $pod, serviceSubnet: $svc, createdAt: $at}' | write_atomic "$CLUSTER/cluster.json"
}

print_init_success() { # ENDPOINT TOKEN CERT_KEY CONTROL_PLANE_ENDPOINT
  local hash
  hash=$(cluster_get caCertHash)
  cat <<EOF

Your Kubernetes control-plane has initialized successfully!

To start using your cluster, you need to run the following as a regular user:

  mkdir -p \$HOME/.kube
  sudo cp -i /etc/kubernetes/admin.conf \$HOME/.kube/config
  sudo chown \$(id -u):\$(id -g) \$HOME/.kube/config

Alternatively, if you are the root user, you can run:

  export KUBECONFIG=/etc/kubernetes/admin.conf

You should now deploy a pod network to the cluster.
Run "kubectl apply -f [podnetwork].yaml" with one of the options listed at:
  https://kubernetes.io/docs/concepts/cluster-administration/addons/

EOF
  if [[ -n $4 ]]; then
    if [[ -n $3 ]]; then
      printf 'You can now join any number of control-plane nodes running the following command on each as root:\n\n'
      printf '  kubeadm join %s --token %s \\\n\t--discovery-token-ca-cert-hash %s \\\n\t--control-plane --certificate-key %s\n\n' "$1" "$2" "$hash" "$3"
      printf 'Please note that the certificate-key gives access to cluster sensitive data, keep it secret!\n'
      printf 'As a safeguard, uploaded-certs will be deleted in two hours; If necessary, you can use\n'
      printf '"kubeadm init phase upload-certs --upload-certs" to reload certs afterward.\n\n'
    else
      printf 'You can now join any number of control-plane nodes by copying certificate authorities\n'
      printf 'and service account keys on each node and then running the following as root:\n\n'
      printf '  kubeadm join %s --token %s \\\n\t--discovery-token-ca-cert-hash %s \\\n\t--control-plane \n\n' "$1" "$2" "$hash"
    fi
  fi
  printf 'Then you can join any number of worker nodes by running the following on each as root:\n\n'
  printf 'kubeadm join %s --token %s \\\n\t--discovery-token-ca-cert-hash %s \n' "$1" "$2" "$hash"
}

# `kubeadm init phase upload-certs --upload-certs [--certificate-key K]`
# `init phase upload-certs` (the other phases: lib/kubeadm-phase.sh).
kubeadm_init_phase_upload_certs() {
  local upload=0 key="" kubeconfig=/etc/kubernetes/admin.conf
  while [[ $# -gt 0 ]]; do
    case $1 in
      --upload-certs) upload=1 ;;
      --certificate-key=*) key=${1#*=} ;;
      --kubeconfig=*) kubeconfig=${1#*=} ;;
    esac
    shift
  done
  [[ $upload -eq 1 ]] || { echo "[upload-certs] Skipping phase. Please see --upload-certs"; return 0; }
  is_root || die 1 "failed to load admin kubeconfig: open $kubeconfig: permission denied"
  require_admin_kubeconfig "$kubeconfig"
  [[ -z $key || $key =~ ^[0-9a-f]{64}$ ]] || die 1 "error execution phase upload-certs: error uploading certs: error decoding certificate key: encoding/hex: invalid byte"
  standin_delay upload-certs
  standin_should_fail upload-certs &&
    die 1 'error execution phase upload-certs: error uploading certs: error creating secret: Post "https://'"$(api_server_of "$kubeconfig")"'/api/v1/namespaces/kube-system/secrets?timeout=10s": context deadline exceeded'
  key=${key:-$(rand_hex 32)}
  certkey_store "$key"
  echo '[upload-certs] Storing the certificates in Secret "kubeadm-certs" in the "kube-system" Namespace'
  echo '[upload-certs] Using certificate key:'
  echo "$key"
}
