# shellcheck shell=bash disable=SC2016 # jq filters are single-quoted on purpose
# `kubeadm token ...` and `kubeadm certs certificate-key` for the kubeadm stand-in.

kubeadm_token() {
  local sub=${1:-} kubeconfig=/etc/kubernetes/admin.conf ttl=86400 desc="" print_join=0 cert_key="" pos=()
  shift || true
  while [[ $# -gt 0 ]]; do
    case $1 in
      --kubeconfig=*) kubeconfig=${1#*=} ;;
      --ttl=*) ttl=$(duration_seconds "${1#*=}") ;;
      --description=*) desc=${1#*=} ;;
      --print-join-command) print_join=1 ;;
      --certificate-key=*) cert_key=${1#*=} ;;
      -*) ;;
      *) pos+=("$1") ;;
    esac
    shift
  done
  case $sub in
    generate) new_token; echo; return 0 ;;
    create | list | delete) ;;
    *) die 1 "unknown command \"$sub\" for \"kubeadm token\"" ;;
  esac
  is_root || [[ -r $kubeconfig ]] || die 1 "failed to load admin kubeconfig: open $kubeconfig: permission denied"
  require_admin_kubeconfig "$kubeconfig"
  case $sub in
    create)
      local token=${pos[0]:-}
      [[ -z $token || $token =~ $TOKEN_RE ]] ||
        die 1 "the bootstrap token \"$token\" was not of the form \"[a-z0-9]{6}.[a-z0-9]{16}\""
      standin_delay token-create
      standin_should_fail token-create &&
        die 1 "timed out waiting for the condition" "To see the stack trace of this error execute with --v=5 or higher"
      token=${token:-$(new_token)}
      token_store "$token" "$ttl" "$desc"
      if [[ $print_join -eq 1 ]]; then
        join_command "$(cluster_get endpoint)" "$token" "$cert_key"
        echo
      else
        echo "$token"
      fi
      ;;
    list)
      local f
      printf '%-24s%-8s%-22s%-26s%-34s%s\n' TOKEN TTL EXPIRES USAGES DESCRIPTION "EXTRA GROUPS"
      for f in "$CLUSTER"/tokens/*.json; do
        [[ -e $f ]] || continue
        jq -r --argjson now "$(now_epoch)" '
          select(.expires == 0 or .expires > $now) |
          [.token, (if .expires == 0 then "<forever>" else "\((.expires - $now) / 3600 | floor)h" end),
           (if .expires == 0 then "<never>" else (.expires | todate) end),
           (.usages | join(",")), (if .description == "" then "<none>" else .description end),
           (.groups | join(","))] | @tsv' "$f"
      done | while IFS=$'\t' read -r t l e u d g; do
        printf '%-24s%-8s%-22s%-26s%-34s%s\n' "$t" "$l" "$e" "$u" "$d" "$g"
      done
      ;;
    delete)
      [[ ${#pos[@]} -gt 0 ]] || die 1 "missing argument; 'token delete' is missing token of form \"[a-z0-9]{6}\" or \"[a-z0-9]{6}.[a-z0-9]{16}\""
      local t id
      for t in "${pos[@]}"; do
        id=${t%%.*}
        [[ -e $CLUSTER/tokens/$id.json ]] || die 1 "bootstrap token \"$id\" not found"
        rm -f "$CLUSTER/tokens/$id.json"
        echo "bootstrap token \"$id\" deleted"
      done
      ;;
  esac
}
