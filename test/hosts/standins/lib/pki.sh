# shellcheck shell=bash
# Certificates for the kubeadm stand-in. They are real (OpenSSL, ECDSA P-256
# for speed) so that kubeconfigs hold well-formed data and the documented
# `openssl x509 -pubkey ... | sha256sum` recipe yields the discovery hash.
# Cluster-wide CAs and the service-account key live in $CLUSTER/pki (what the
# real kubeadm shares through the kubeadm-certs Secret).

_ec=(-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes)

# Waits for every background job and fails if any did (plain `wait` does not).
wait_all() {
  local pid rc=0
  for pid in $(jobs -p); do wait "$pid" || rc=1; done
  return "$rc"
}

pki_new_ca() { # pki_new_ca DIR NAME CN
  openssl req -x509 "${_ec[@]}" -keyout "$1/$2.key" -out "$1/$2.crt" -subj "/CN=$3" -days 3650 \
    -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,digitalSignature,keyEncipherment,keyCertSign \
    2>/dev/null
}

# Creates the cluster-wide CAs once per `kubeadm init`.
pki_init_cluster() {
  local d=$CLUSTER/pki
  rm -rf "$d"
  mkdir -p "$d/etcd"
  pki_new_ca "$d" ca kubernetes &
  pki_new_ca "$d" front-proxy-ca front-proxy-ca &
  pki_new_ca "$d/etcd" ca etcd-ca &
  {
    openssl genpkey -algorithm ec -pkeyopt ec_paramgen_curve:prime256v1 -out "$d/sa.key" 2>/dev/null
    openssl pkey -in "$d/sa.key" -pubout -out "$d/sa.pub" 2>/dev/null
  } &
  wait_all
  # kubectl compares every kubeconfig's CA with the cluster's: kept encoded once, not once per call.
  base64 -w0 "$d/ca.crt" >"$d/ca.crt.b64"
  chmod -R a+rX "$d"
}

# The cluster-wide CAs and service-account key that kubeadm init found on the node.
pki_adopt_cluster() {
  local d=$CLUSTER/pki p=/etc/kubernetes/pki
  rm -rf "$d"
  mkdir -p "$d/etcd"
  cp "$p"/{ca,front-proxy-ca}.{crt,key} "$p"/sa.{key,pub} "$d/"
  cp "$p"/etcd/ca.{crt,key} "$d/etcd/"
  base64 -w0 "$d/ca.crt" >"$d/ca.crt.b64"
  chmod -R a+rX "$d"
}

pki_ca_hash() { # pki_ca_hash CA_CRT -> sha256:<hex>
  printf 'sha256:%s' "$(openssl x509 -pubkey -noout -in "$1" | openssl pkey -pubin -outform der 2>/dev/null | sha256sum | cut -d' ' -f1)"
}

# pki_leaf CA_PREFIX OUT_PREFIX SUBJECT [SANS]: key + cert signed by CA_PREFIX.{crt,key}, valid for a
# year as kubeadm's are (PKI_DAYS: tests make a cluster whose certificates expire soon). SANS is
# openssl's subjectAltName value, e.g. DNS:kubernetes,IP:10.96.0.1.
pki_leaf() {
  local san=()
  [[ -n ${4:-} ]] && san=(-addext "subjectAltName=$4")
  openssl req -x509 "${_ec[@]}" -CA "$1.crt" -CAkey "$1.key" -keyout "$2.key" -out "$2.crt" \
    -subj "$3" -days "${PKI_DAYS:-365}" "${san[@]}" 2>/dev/null
  chmod 600 "$2.key"
}

# Copies the shared CAs into /etc/kubernetes/pki and issues this node's
# control-plane leaf certificates.
pki_control_plane() { # pki_control_plane NODE_NAME
  local p=/etc/kubernetes/pki
  mkdir -p "$p/etcd"
  cp "$CLUSTER"/pki/{ca,front-proxy-ca}.{crt,key} "$CLUSTER"/pki/sa.{key,pub} "$p/"
  cp "$CLUSTER"/pki/etcd/ca.{crt,key} "$p/etcd/"
  # In parallel: each openssl start costs more than the EC key it makes.
  pki_leaf "$p/ca" "$p/apiserver" /CN=kube-apiserver &
  pki_leaf "$p/ca" "$p/apiserver-kubelet-client" "/O=kubeadm:cluster-admins/CN=kube-apiserver-kubelet-client" &
  pki_leaf "$p/front-proxy-ca" "$p/front-proxy-client" /CN=front-proxy-client &
  pki_leaf "$p/etcd/ca" "$p/apiserver-etcd-client" /CN=kube-apiserver-etcd-client &
  pki_leaf "$p/etcd/ca" "$p/etcd/server" "/CN=$1" &
  pki_leaf "$p/etcd/ca" "$p/etcd/peer" "/CN=$1" &
  pki_leaf "$p/etcd/ca" "$p/etcd/healthcheck-client" /CN=kube-etcd-healthcheck-client &
  wait_all
  chmod 600 "$p"/*.key "$p"/etcd/*.key
}

# pki_kubeconfig FILE SERVER USER SUBJECT: kubeconfig with embedded client cert.
pki_kubeconfig() {
  local tmp
  tmp=$(mktemp -d)
  pki_leaf "$CLUSTER/pki/ca" "$tmp/c" "$4"
  (
    umask 077
    cat >"$1" <<YAML
apiVersion: v1
clusters:
- cluster:
    certificate-authority-data: $(base64 -w0 "$CLUSTER/pki/ca.crt")
    server: https://$2
  name: kubernetes
contexts:
- context:
    cluster: kubernetes
    user: $3
  name: $3@kubernetes
current-context: $3@kubernetes
kind: Config
preferences: {}
users:
- name: $3
  user:
    client-certificate-data: $(base64 -w0 "$tmp/c.crt")
    client-key-data: $(base64 -w0 "$tmp/c.key")
YAML
  )
  rm -rf "$tmp"
}
