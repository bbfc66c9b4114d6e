# shellcheck shell=bash
# `kubeadm certs check-expiration [-o json]` and `kubeadm certs renew all|NAME`
# for the kubeadm stand-in: the node's real certificate files (pki.sh makes
# them with OpenSSL), kubeadm's names, and its output API
# (output.kubeadm.k8s.io/v1alpha3 CertificateExpirationInfo). renew re-issues
# each existing certificate from the local CAs with a year's validity, and, as
# kubeadm, does not restart anything: it says the control plane must be.

# name -> file: a .crt under /etc/kubernetes/pki, or a kubeconfig.
_certs_table() {
  cat <<'TXT'
admin.conf kubeconfig /etc/kubernetes/admin.conf ca
apiserver crt /etc/kubernetes/pki/apiserver ca
apiserver-etcd-client crt /etc/kubernetes/pki/apiserver-etcd-client etcd-ca
apiserver-kubelet-client crt /etc/kubernetes/pki/apiserver-kubelet-client ca
controller-manager.conf kubeconfig /etc/kubernetes/controller-manager.conf ca
etcd-healthcheck-client crt /etc/kubernetes/pki/etcd/healthcheck-client etcd-ca
etcd-peer crt /etc/kubernetes/pki/etcd/peer etcd-ca
etcd-server crt /etc/kubernetes/pki/etcd/server etcd-ca
front-proxy-client crt /etc/kubernetes/pki/front-proxy-client front-proxy-ca
scheduler.conf kubeconfig /etc/kubernetes/scheduler.conf ca
super-admin.conf kubeconfig /etc/kubernetes/super-admin.conf ca
TXT
}

# The PEM certificate of an entry, on stdout.
_cert_pem() { # KIND PATH
  if [[ $1 == crt ]]; then cat "$2.crt"; else sed -n 's/^ *client-certificate-data: *//p' "$2" | base64 -d; fi
}

_cert_exists() { [[ $1 == crt && -e $2.crt ]] || [[ $1 == kubeconfig && -e $2 ]]; }

kubeadm_certs_check() {
  local out="" a
  for a in "$@"; do [[ $a == -o=* || $a == --output=* ]] && out=${a#*=}; done
  is_root || preflight IsPrivilegedUser "user is not running as root"
  preflight_finish
  [[ -e /etc/kubernetes/pki/ca.crt ]] || die 1 "[check-expiration] Error reading configuration from the Cluster. Falling back to default configuration" "no certificates found in /etc/kubernetes/pki"
  case $out in
    json | "") _certs_table | "$STANDIN_NODE" "$STANDIN_LIB/certs-expiry.js" "${out:-text}" ;;
    *) die 1 "error: unable to match a printer suitable for the output format \"$out\"" ;;
  esac
}

# The subject a certificate was issued for ("/O=x/CN=y"), from PEM on stdin.
_cert_subject() { openssl x509 -noout -subject -nameopt compat | sed 's/^subject=//'; }

kubeadm_certs_renew() {
  local which=${1:-}
  [[ -n $which ]] || die 1 "missing subcommand; \"renew\" is not meant to be run on its own"
  is_root || preflight IsPrivilegedUser "user is not running as root"
  preflight_finish
  echo "[renew] Reading configuration from the \"kubeadm-config\" ConfigMap in namespace \"kube-system\"..."
  echo
  local name kind path ca found=0 subj capath server
  while read -r name kind path ca; do
    [[ $which == all || $which == "$name" ]] || continue
    found=1
    _cert_exists "$kind" "$path" || continue
    subj=$(_cert_pem "$kind" "$path" | _cert_subject)
    case $ca in ca) capath=/etc/kubernetes/pki/ca ;; etcd-ca) capath=/etc/kubernetes/pki/etcd/ca ;; *) capath=/etc/kubernetes/pki/front-proxy-ca ;; esac
    if [[ $kind == crt ]]; then
      pki_leaf "$capath" "$path" "$subj"
      echo "certificate for ${name//-/ } renewed"
    else
      server=$(sed -n 's|^ *server: https://||p' "$path" | head -n 1)
      _certs_kubeconfig "$path" "$server" "$(sed -n 's/^- name: //p' "$path" | head -n 1)" "$subj"
      echo "certificate embedded in the kubeconfig file for ${name%.conf} renewed"
    fi
  done < <(_certs_table)
  [[ $found -eq 1 ]] || die 1 "unknown command \"$which\" for \"kubeadm certs renew\""
  echo
  if [[ $which == all ]]; then
    echo "Done renewing certificates. You must restart the kube-apiserver, kube-controller-manager, kube-scheduler and etcd, so that they can use the new certificates."
  fi
}

# A kubeconfig with a renewed client certificate from the local CA (pki_kubeconfig uses the shared one).
_certs_kubeconfig() { # FILE SERVER USER SUBJECT
  local tmp
  tmp=$(mktemp -d)
  pki_leaf /etc/kubernetes/pki/ca "$tmp/c" "$4"
  (
    umask 077
    sed -e "s|^\( *client-certificate-data:\).*|\1 $(base64 -w0 "$tmp/c.crt")|" -e "s|^\( *client-key-data:\).*|\1 $(base64 -w0 "$tmp/c.key")|" "$1" >"$1.new"
    mv -f "$1.new" "$1"
  )
  rm -rf "$tmp"
}

kubeadm_certs() {
  local sub=${1:-}
  shift || true
  case $sub in
    certificate-key) rand_hex 32; echo ;;
    check-expiration) kubeadm_certs_check "$@" ;;
    renew) kubeadm_certs_renew "$@" ;;
    *) die 1 "stand-in kubeadm: certs $sub is not stood in (certificate-key, check-expiration, renew)" ;;
  esac
}
