# shellcheck shell=bash disable=SC2016 # jq filters are single-quoted on purpose
# CertificateSigningRequests of the stand-in API: $CLUSTER/csrs/NAME.json, each a
# certificates.k8s.io/v1 object as `kubectl get csr NAME -o json` prints it.
# A kubelet with serverTLSBootstrap asks for its serving certificate when it
# starts without one: here, when it starts on a registered node and the CSR it
# made last (named in /var/lib/kubelet/pki, which kubeadm reset deletes) is gone.

csr_file() { printf '%s/csrs/%s.json' "$CLUSTER" "$1"; }
_csr_marker=/var/lib/kubelet/pki/clusterkit-standin-serving-csr

csr_kubelet_serving() { # csr_kubelet_serving NODE_NAME
  local node=$1 csr request
  if [[ -r $_csr_marker && -e $(csr_file "$(<"$_csr_marker")") ]]; then return 0; fi
  csr=$(</proc/sys/kernel/random/uuid)
  csr="csr-${csr:0:5}"
  # A real PKCS#10 request, as the kubelet sends: O=system:nodes, CN=system:node:NAME, its name and IP as SANs.
  request=$(openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout /dev/null \
    -subj "/O=system:nodes/CN=system:node:$node" -addext "subjectAltName=DNS:$node,IP:$HOST_IP" 2>/dev/null | base64 -w0)
  mkdir -p "$CLUSTER/csrs" /var/lib/kubelet/pki
  jq -n --arg csr "$csr" --arg node "$node" --arg req "$request" --arg now "$(iso_time)" \
    --arg uid "$(cat /proc/sys/kernel/random/uuid)" '
    {apiVersion: "certificates.k8s.io/v1", kind: "CertificateSigningRequest",
     metadata: {creationTimestamp: $now, generateName: "csr-", name: $csr, resourceVersion: "1", uid: $uid},
     spec: {groups: ["system:nodes", "system:authenticated"], request: $req,
       signerName: "kubernetes.io/kubelet-serving", usages: ["digital signature", "server auth"],
       username: "system:node:\($node)"},
     status: {}}' | write_atomic "$(csr_file "$csr")"
  printf '%s\n' "$csr" >"$_csr_marker"
}

# csr_approve NAME: adds the Approved condition (kept as is when already approved).
_csr_approve() {
  local f
  f=$(csr_file "$1")
  [[ -e $f ]] || return 1
  jq --arg now "$(iso_time)" '
    if any(.status.conditions[]?; .type == "Approved") then . else
      .metadata.resourceVersion = ((.metadata.resourceVersion | tonumber) + 1 | tostring)
      | .status.conditions = ((.status.conditions // []) + [{type: "Approved", status: "True",
          reason: "KubectlApprove", message: "This CSR was approved by kubectl certificate approve.",
          lastUpdateTime: $now, lastTransitionTime: $now}]) end' "$f" | write_atomic "$f"
}
csr_approve() { with_cluster_lock _csr_approve "$1"; }
