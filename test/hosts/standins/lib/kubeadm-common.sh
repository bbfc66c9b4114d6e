# shellcheck shell=bash disable=SC2016 # jq filters are single-quoted on purpose
# Helpers shared by the kubeadm stand-in's subcommands.
#
# Shared state written here (all under $CLUSTER, see README.md):
#   cluster.json             identity of the cluster kubeadm init created
#   tokens/ID.json           bootstrap tokens {token, expires (epoch, 0=never), ...}
#   certificate-key.json     the one valid upload-certs key {key, expires}
#   pki/                     cluster-wide CAs and service-account key

KUBEADM_VERSION=$(kube_version kubeadm)
# shellcheck disable=SC2034 # used by the subcommand files
TOKEN_RE='^[a-z0-9]{6}\.[a-z0-9]{16}$'

# --- preflight ---------------------------------------------------------------
IGNORED_PREFLIGHT="" # comma list from --ignore-preflight-errors
PREFLIGHT_ERRORS=()

preflight() { # preflight CHECK_ID MESSAGE: error unless ignored (then a warning)
  local ids=",${IGNORED_PREFLIGHT,,},"
  if [[ $ids == *",all,"* || $ids == *",${1,,},"* ]]; then
    printf '\t[WARNING %s]: %s\n' "$1" "$2" >&2
  else
    PREFLIGHT_ERRORS+=("$(printf '\t[ERROR %s]: %s' "$1" "$2")")
  fi
}

preflight_finish() {
  [[ ${#PREFLIGHT_ERRORS[@]} -eq 0 ]] && return 0
  {
    echo "error execution phase preflight: [preflight] Some fatal errors occurred:"
    printf '%s\n' "${PREFLIGHT_ERRORS[@]}"
    echo '[preflight] If you know what you are doing, you can make a check non-fatal with `--ignore-preflight-errors=...`'
    echo "To see the stack trace of this error execute with --v=5 or higher"
  } >&2
  exit 1
}

# Checks every init/join runs: root, a running CRI, IP forwarding.
preflight_common() {
  is_root || preflight IsPrivilegedUser "user is not running as root"
  if ! unit_active containerd; then
    preflight CRI 'container runtime is not running: output: time="'"$(iso_time)"'" level=fatal msg="validate service connection: validate CRI v1 runtime API for endpoint \"unix:///var/run/containerd/containerd.sock\": rpc error: code = Unavailable desc = connection error: desc = \"transport: Error while dialing: dial unix /var/run/containerd/containerd.sock: connect: no such file or directory\""'
  fi
  local fwd
  fwd=$(cat "$STATE/sysctl/net.ipv4.ip_forward" 2>/dev/null || cat /proc/sys/net/ipv4/ip_forward)
  [[ $fwd == 1 ]] || preflight FileContent--proc-sys-net-ipv4-ip_forward "/proc/sys/net/ipv4/ip_forward contents are not set to 1"
  if [[ ! -e $STATE/swap-off ]]; then
    printf '\t[WARNING Swap]: swap is supported for cgroup v2 only. The kubelet must be properly configured to use swap. Please refer to https://kubernetes.io/docs/concepts/architecture/nodes/#swap-memory, or disable swap on the node\n' >&2
  fi
  if ! unit_enabled kubelet; then
    printf "\t[WARNING Service-Kubelet]: kubelet service is not enabled, please run 'systemctl enable kubelet.service'\n" >&2
  fi
}

# --- cluster identity --------------------------------------------------------
# cluster_get KEY: a top-level string of cluster.json. Pure bash (the file is
# written by _init_cluster_state, one "key": "value" per line, no quotes inside).
cluster_get() {
  local json re="\"$1\": \"([^\"]*)\""
  [[ -r $CLUSTER/cluster.json ]] || return 0
  json=$(<"$CLUSTER/cluster.json")
  [[ $json =~ $re ]] && printf '%s' "${BASH_REMATCH[1]}"
  return 0
}
cluster_exists() { [[ -e $CLUSTER/cluster.json ]]; }
# The API answers: a cluster exists and its init got past wait-control-plane.
api_serving() { cluster_exists && [[ ! -e $CLUSTER/api-down ]]; }

# configmap_store NAMESPACE NAME KEY VALUE [KEY VALUE...]: a v1 ConfigMap as the API keeps it
# (init's upload-config and addon phases); kubectl get configmap prints it.
configmap_store() {
  local ns=$1 name=$2
  shift 2
  mkdir -p "$CLUSTER/configmaps/$ns"
  jq -n --arg ns "$ns" --arg n "$name" --arg at "$(iso_time)" \
    '{apiVersion: "v1", kind: "ConfigMap", metadata: {name: $n, namespace: $ns, creationTimestamp: $at}, data: ([$ARGS.positional | _nwise(2) | {(.[0]): .[1]}] | add)}' --args "$@" |
    write_atomic "$CLUSTER/configmaps/$ns/$name.json"
}

# API endpoints that answer: the cluster endpoint and every control plane's :6443.
api_endpoints() {
  cluster_get endpoint
  echo
  local files=("$CLUSTER"/nodes/*.json)
  [[ -e ${files[0]} ]] || return 0
  jq -r 'select(.metadata.labels | has("node-role.kubernetes.io/control-plane"))
    | .status.addresses[] | select(.type == "InternalIP") | "\(.address):6443"' "${files[@]}"
}

require_admin_kubeconfig() { # require_admin_kubeconfig PATH
  if [[ ! -r $1 ]]; then
    local why="no such file or directory"
    [[ -e $1 ]] && why="permission denied"
    die 1 "failed to load admin kubeconfig: open $1: $why" "To see the stack trace of this error execute with --v=5 or higher"
  fi
  api_serving || die 1 "error execution phase: couldn't create a Kubernetes client from file \"$1\": Get \"https://$(api_server_of "$1")/api?timeout=32s\": dial tcp $(api_server_of "$1"): connect: connection refused"
}
api_server_of() { sed -n 's|^ *server: https://||p' "$1" | head -n1; }

# --- tokens ------------------------------------------------------------------
# Go duration ("24h", "1h30m", "90s", "0") -> seconds.
duration_seconds() {
  local d=$1 total=0 n u
  [[ $d == 0 ]] && { echo 0; return 0; }
  while [[ $d =~ ^([0-9]+)(h|ms|m|s)(.*)$ ]]; do
    n=${BASH_REMATCH[1]} u=${BASH_REMATCH[2]} d=${BASH_REMATCH[3]}
    case $u in h) total=$((total + n * 3600)) ;; m) total=$((total + n * 60)) ;; s) total=$((total + n)) ;; esac
  done
  [[ -z $d ]] || die 1 "invalid argument \"$1\" for \"--ttl\" flag: time: invalid duration \"$1\""
  echo "$total"
}

token_store() { # token_store TOKEN TTL_SECONDS DESCRIPTION
  local id=${1%%.*} exp=0
  [[ $2 -gt 0 ]] && exp=$(($(now_epoch) + $2))
  jq -n --arg t "$1" --argjson e "$exp" --arg d "$3" --arg h "$HOST_NAME" --arg c "$(iso_time)" \
    '{token: $t, expires: $e, description: $d, usages: ["authentication", "signing"],
      groups: ["system:bootstrappers:kubeadm:default-node-token"], createdBy: $h, created: $c}' |
    write_atomic "$CLUSTER/tokens/$id.json"
}

token_valid() { # token_valid TOKEN: exists, secret matches, not expired
  local f=$CLUSTER/tokens/${1%%.*}.json
  [[ -r $f ]] && jq -e --arg t "$1" --argjson now "$(now_epoch)" \
    '.token == $t and (.expires == 0 or .expires > $now)' "$f" >/dev/null
}

new_token() { printf '%s.%s' "$(rand_token_part 6)" "$(rand_token_part 16)"; }

# --- certificate key (upload-certs) -----------------------------------------
certkey_store() { # certkey_store KEY
  jq -n --arg k "$1" --argjson e "$(($(now_epoch) + 7200))" --arg h "$HOST_NAME" \
    '{key: $k, expires: $e, uploadedBy: $h}' | write_atomic "$CLUSTER/certificate-key.json"
}
certkey_check() { # certkey_check KEY: prints kubeadm's error and fails if unusable
  local f=$CLUSTER/certificate-key.json
  [[ $1 =~ ^[0-9a-f]{64}$ ]] || {
    echo "error execution phase control-plane-prepare/download-certs: error downloading certs: error decoding certificate key: encoding/hex: invalid byte: U+0078 'x'"
    return 1
  }
  if [[ ! -r $f ]] || ! jq -e --argjson now "$(now_epoch)" '.expires > $now' "$f" >/dev/null; then
    echo 'error execution phase control-plane-prepare/download-certs: error downloading certs: error downloading the secret: Secret "kubeadm-certs" was not found in the "kube-system" Namespace. This Secret might have expired. Please, run `kubeadm init phase upload-certs --upload-certs` on a control plane to generate a new one'
    return 1
  fi
  if [[ $(jq -r .key "$f") != "$1" ]]; then
    echo "error execution phase control-plane-prepare/download-certs: error downloading certs: error decoding secret data with provided key: cipher: message authentication failed"
    return 1
  fi
}

# --- files on the node -------------------------------------------------------
write_kubelet_files() { # write_kubelet_files NODE_NAME
  mkdir -p /var/lib/kubelet/pki
  cat >/var/lib/kubelet/config.yaml <<YAML
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
cgroupDriver: systemd
clusterDNS:
- 10.96.0.10
clusterDomain: cluster.local
staticPodPath: /etc/kubernetes/manifests
YAML
  echo "KUBELET_KUBEADM_ARGS=\"--container-runtime-endpoint=unix:///var/run/containerd/containerd.sock --node-ip=$HOST_IP --pod-infra-container-image=registry.k8s.io/pause:3.10\"" \
    >/var/lib/kubelet/kubeadm-flags.env
  printf '%s\n' "$1" >"$STATE/node-name"
}

# The control-plane manifests (or only COMPONENT's), with the cluster's extraArgs:
# the API server's from APISERVER_EXTRA_ARGS, the others' from
# $CLUSTER/component-args/NAME (written by `kubeadm init phase`, lib/kubeadm-phase.sh).
write_manifests() { # write_manifests ADVERTISE_ADDRESS NODE_NAME [COMPONENT]
  local m=/etc/kubernetes/manifests c img=registry.k8s.io
  local only=(kube-apiserver kube-controller-manager kube-scheduler etcd)
  [[ -n ${3:-} ]] && only=("$3")
  mkdir -p "$m"
  for c in "${only[@]}"; do
    local ver=$KUBEADM_VERSION cmd=("$c")
    [[ $c == etcd ]] && etcd_image_tag_v ver
    case $c in
      kube-apiserver)
        cmd+=("--advertise-address=$1" "--etcd-servers=http://$HOST_IP:2379" --secure-port=6443 --client-ca-file=/etc/kubernetes/pki/ca.crt)
        [[ -n ${APISERVER_EXTRA_ARGS:-} ]] && mapfile -t -O "${#cmd[@]}" cmd <<<"$APISERVER_EXTRA_ARGS"
        ;;
      # Plain http (see etcd.sh), in kubeadm's flag order so manifest readers work.
      etcd) cmd+=("--advertise-client-urls=http://$HOST_IP:2379" --data-dir=/var/lib/etcd
        "--initial-advertise-peer-urls=http://$HOST_IP:2380" "--listen-client-urls=http://127.0.0.1:2379,http://$HOST_IP:2379"
        "--listen-peer-urls=http://$HOST_IP:2380" "--name=$2") ;;
      *) cmd+=("--kubeconfig=/etc/kubernetes/${c#kube-}.conf") ;;
    esac
    if [[ $c != kube-apiserver && -s $CLUSTER/component-args/$c ]]; then mapfile -t -O "${#cmd[@]}" cmd <"$CLUSTER/component-args/$c"; fi
    {
      printf 'apiVersion: v1\nkind: Pod\nmetadata:\n  labels:\n    component: %s\n    tier: control-plane\n' "$c"
      printf '  name: %s\n  namespace: kube-system\nspec:\n  containers:\n  - command:\n' "$c"
      printf '    - %s\n' "${cmd[@]}"
      printf '    image: %s/%s:%s\n    name: %s\n  hostNetwork: true\n  priorityClassName: system-node-critical\n' "$img" "$c" "$ver" "$c"
    } >"$m/$c.yaml"
    chmod 600 "$m/$c.yaml"
    [[ $c == kube-controller-manager || $c == kube-scheduler ]] && component_ensure "$c"
    true
  done
}

# Control-plane kubeconfigs (admin, super-admin, controller-manager, scheduler).
write_control_plane_kubeconfigs() { # write_control_plane_kubeconfigs ENDPOINT ADVERTISE
  pki_kubeconfig /etc/kubernetes/admin.conf "$1" kubernetes-admin "/O=kubeadm:cluster-admins/CN=kubernetes-admin" &
  pki_kubeconfig /etc/kubernetes/super-admin.conf "$1" kubernetes-super-admin "/O=system:masters/CN=kubernetes-super-admin" &
  pki_kubeconfig /etc/kubernetes/controller-manager.conf "$2:6443" system:kube-controller-manager /CN=system:kube-controller-manager &
  pki_kubeconfig /etc/kubernetes/scheduler.conf "$2:6443" system:kube-scheduler /CN=system:kube-scheduler &
  wait_all
}

join_command() { # join_command ENDPOINT TOKEN [CERT_KEY]: kubeadm's one-line form
  printf 'kubeadm join %s --token %s --discovery-token-ca-cert-hash %s ' "$1" "$2" "$(cluster_get caCertHash)"
  [[ -n ${3:-} ]] && printf -- '--control-plane --certificate-key %s ' "$3"
  return 0
}
