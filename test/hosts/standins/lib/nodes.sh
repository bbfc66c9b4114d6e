# shellcheck shell=bash disable=SC2016 # jq filters are single-quoted on purpose
# Node objects of the stand-in API: $CLUSTER/nodes/NAME.json, each a v1 Node as
# `kubectl get node NAME -o json` prints it. Written only through write_atomic.

# shellcheck source=standins/lib/csrs.sh
source "$STANDIN_LIB/csrs.sh"

node_file() { printf '%s/nodes/%s.json' "$CLUSTER" "$1"; }
my_node_name() { [[ -r $STATE/node-name ]] && cat "$STATE/node-name"; }

# node_register NAME ROLE(control-plane|worker) KUBELET_VERSION
node_register() {
  local name=$1 role=$2 version=$3 ready=False reason=KubeletNotReady
  local msg='container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady message:Network plugin returns error: cni plugin not initialized'
  # kubeadm's kubelet-start phase restarts an enabled/running kubelet.
  if unit_enabled kubelet || unit_active kubelet; then
    ready=True reason=KubeletReady msg='kubelet is posting ready status'
    touch "$STATE/units/kubelet.active"
  fi
  if [[ $ready == True ]]; then csr_kubelet_serving "$name"; fi
  local pretty
  pretty=$(. /etc/os-release && printf '%s' "$PRETTY_NAME")
  jq -n --arg name "$name" --arg role "$role" --arg ver "$version" --arg ip "$HOST_IP" \
    --arg now "$(iso_time)" --arg uid "$(cat /proc/sys/kernel/random/uuid)" --arg ready "$ready" \
    --arg reason "$reason" --arg msg "$msg" --arg os "$pretty" --arg kernel "$(uname -r)" \
    --arg mid "$MACHINE_ID" --arg boot "$(cat /proc/sys/kernel/random/boot_id)" '
    def cond(t; s; r; m): {type: t, status: s, reason: r, message: m,
      lastHeartbeatTime: $now, lastTransitionTime: $now};
    {apiVersion: "v1", kind: "Node",
     metadata: {name: $name, uid: $uid, resourceVersion: "1", creationTimestamp: $now,
       labels: ({"beta.kubernetes.io/arch": "amd64", "beta.kubernetes.io/os": "linux",
         "kubernetes.io/arch": "amd64", "kubernetes.io/hostname": $name, "kubernetes.io/os": "linux"}
         + (if $role == "control-plane" then {"node-role.kubernetes.io/control-plane": "",
             "node.kubernetes.io/exclude-from-external-load-balancers": ""} else {} end)),
       annotations: {"kubeadm.alpha.kubernetes.io/cri-socket": "unix:///var/run/containerd/containerd.sock",
         "node.alpha.kubernetes.io/ttl": "0",
         "volumes.kubernetes.io/controller-managed-attach-detach": "true"}},
     spec: (if $role == "control-plane" then {taints: [{key: "node-role.kubernetes.io/control-plane",
       effect: "NoSchedule"}]} else {} end),
     status: {
       addresses: [{type: "InternalIP", address: $ip}, {type: "Hostname", address: $name}],
       allocatable: {cpu: "2", "ephemeral-storage": "47093746742", memory: "3922720Ki", pods: "110"},
       capacity: {cpu: "2", "ephemeral-storage": "51099000Ki", memory: "4025120Ki", pods: "110"},
       conditions: [
         cond("MemoryPressure"; "False"; "KubeletHasSufficientMemory"; "kubelet has sufficient memory available"),
         cond("DiskPressure"; "False"; "KubeletHasNoDiskPressure"; "kubelet has no disk pressure"),
         cond("PIDPressure"; "False"; "KubeletHasSufficientPID"; "kubelet has sufficient PID available"),
         cond("Ready"; $ready; $reason; $msg)],
       daemonEndpoints: {kubeletEndpoint: {Port: 10250}},
       nodeInfo: {architecture: "amd64", bootID: $boot, containerRuntimeVersion: "containerd://1.7.27",
         kernelVersion: $kernel, kubeProxyVersion: $ver, kubeletVersion: $ver, machineID: $mid,
         operatingSystem: "linux", osImage: $os, systemUUID: $uid}}}' |
    write_atomic "$(node_file "$name")"
}

# node_update NAME JQ_FILTER [jq args...]: read-modify-write under the cluster lock.
_node_update() {
  local f
  f=$(node_file "$1")
  [[ -e $f ]] || return 1
  jq "${@:2}" "$f" | write_atomic "$f"
}
node_update() { with_cluster_lock _node_update "$@"; }

node_set_ready() { # node_set_ready NAME STATUS REASON MESSAGE
  node_update "$1" --arg s "$2" --arg r "$3" --arg m "$4" --arg now "$(iso_time)" '
    .metadata.resourceVersion = ((.metadata.resourceVersion | tonumber) + 1 | tostring) |
    .status.conditions |= map(if .type == "Ready" then
      (if .status != $s then .lastTransitionTime = $now else . end)
      | .status = $s | .reason = $r | .message = $m | .lastHeartbeatTime = $now else . end)'
}

node_kubelet_started() {
  local name
  name=$(my_node_name) || return 0
  [[ -e /etc/kubernetes/kubelet.conf ]] || return 0
  node_set_ready "$name" True KubeletReady 'kubelet is posting ready status' || true
  # The kubelet reports the version it runs (a package upgrade shows after its restart).
  node_update "$name" --arg v "$(kube_version kubelet)" '.status.nodeInfo.kubeletVersion = $v | .status.nodeInfo.kubeProxyVersion = $v' || true
  [[ -e $(node_file "$name") ]] && csr_kubelet_serving "$name"
  return 0
}

node_kubelet_stopped() {
  local name
  name=$(my_node_name) || return 0
  node_set_ready "$name" Unknown NodeStatusUnknown 'Kubelet stopped posting node status.' || true
}
