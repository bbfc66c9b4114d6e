#!/usr/bin/env bash
# Network plumbing for one fleet of fake hosts (root namespace side).
#   fleet-net.sh up SLOT COUNT   bridge ckbrSLOT (10.77.SLOT.1/24) + COUNT netns
#   fleet-net.sh down SLOT       kill everything in the fleet's netns, delete them
#
# Hosts get no default route on purpose: nothing inside a host can send a packet
# anywhere but the fleet's own bridge, whatever the code under test tries.
set -euo pipefail

slot=${2:?slot}
[[ $slot =~ ^[0-9]+$ && $slot -ge 1 && $slot -le 250 ]] || { echo "bad slot $slot" >&2; exit 2; }
br=ckbr$slot

up() {
  local count=$1 i ns
  # One `ip -batch` for the root-namespace side keeps fleet start to a few ms.
  {
    echo "link add $br type bridge"
    echo "link set $br addrgenmode none"
    echo "addr add 10.77.$slot.1/24 dev $br"
    echo "link set $br up"
    for ((i = 0; i < count; i++)); do
      echo "netns add ckh$slot-$i"
      echo "link add ckv$slot-$i type veth peer name eth0 netns ckh$slot-$i"
      echo "link set ckv$slot-$i addrgenmode none"
      echo "link set ckv$slot-$i master $br up"
    done
  } | ip -batch -
  for ((i = 0; i < count; i++)); do
    ns=ckh$slot-$i
    printf '%s\n' "addr add 10.77.$slot.$((10 + i))/24 dev eth0" \
      "link set eth0 addrgenmode none" "link set eth0 up" "link set lo up" |
      ip -n "$ns" -batch -
  done
}

fleet_netns() { ip netns list | awk -v p="^ckh$slot-" '$1 ~ p {print $1}'; }

down() {
  local ns pids tries link
  # Re-list until empty: a process forked while we were killing (sshd accepting
  # a connection) would otherwise keep the namespace, and its veth, alive.
  for ((tries = 0; tries < 300; tries++)); do
    pids=()
    for ns in $(fleet_netns); do
      while read -r p; do [[ -n $p ]] && pids+=("$p"); done < <(ip netns pids "$ns" 2>/dev/null || true)
    done
    [[ ${#pids[@]} -eq 0 ]] && break
    kill -KILL "${pids[@]}" 2>/dev/null || true
    sleep 0.01
  done
  # Deleting the root-side veth removes both ends now; namespace teardown in
  # the kernel is asynchronous and would free them only later.
  for link in $(ip -o link show | awk -F': ' -v p="^ckv$slot-" '$2 ~ p {sub(/@.*/, "", $2); print $2}'); do
    ip link del "$link" 2>/dev/null || true
  done
  for ns in $(fleet_netns); do ip netns del "$ns" 2>/dev/null || true; done
  ip link del "$br" 2>/dev/null || true
}

case ${1:-} in
  up) up "${3:?count}" ;;
  down) down ;;
  *) echo "usage: $0 up SLOT COUNT | down SLOT" >&2; exit 2 ;;
esac
