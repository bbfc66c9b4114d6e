#!/usr/bin/env bash
# Becomes one fake host. Started by the harness as
#   ip netns exec NS unshare --mount --uts --propagation private host-init.sh HOSTDIR
# and ends by exec'ing sshd, so the harness's child pid is the host's sshd and
# every later process of the host (sessions, etcd) lives in these namespaces.
#
# HOSTDIR (root-namespace path) holds host.env, the host key, users and the
# authorized key; they are read before /run (where HOSTDIR lives) is hidden
# behind the host's private /run. Fleet start time is dominated by process
# starts, so mounts go through `mount -a` on generated fstabs and files are
# written with shell builtins where possible.
set -euo pipefail

hd=${1:?host dir}
# shellcheck source=/dev/null
source "$hd/host.env" # HOST_NAME HOST_IP HOST_OS HOST_ROLE HOST_CGROUP MACHINE_ID FLEET_SLOT CLUSTER_DIR STANDIN_DIR STANDIN_NODE
# The netns side of the veth, from inside (saves an `ip -n` per host outside). `replace`: a host
# installed anew (machine.ts) boots in the namespace, and with the address, its last machine left.
printf '%s\n' "addr replace $HOST_IP/24 dev eth0" "link set eth0 addrgenmode none" "link set eth0 up" "link set lo up" |
  ip -batch -
rw=$hd/rw
sb=/usr/local/lib/clusterkit-standin/bin
authkey=$(<"$hd/authorized_keys")
hostkey=$(<"$hd/ssh_host_ed25519_key")
hostpub=$(<"$hd/ssh_host_ed25519_key.pub")
sshd_config=$(<"$STANDIN_DIR/../scripts/sshd_config")
os_release=$(<"$STANDIN_DIR/os-release/$HOST_OS")
mapfile -t users <"$hd/users"
# Kernel modules as this host sees them: the machine's, minus the two that
# Kubernetes preparation loads, so the modprobe stand-in's effect is visible.
mods=()
for m in /sys/module/*; do
  m=${m##*/}
  [[ $m == br_netfilter || $m == overlay ]] || mods+=("$m")
done

# Phase 1: scratch tmpfs (overlay upper dirs) and mount points that need it. /sys/fs/cgroup
# is what `stat -fc %T` shows on a real server whatever the machine running the tests has: the
# cgroup2 hierarchy (cgroup2fs), or for a cgroup v1 host the tmpfs v1 mounts its controllers on.
if [[ ${HOST_CGROUP:-v2} == v1 ]]; then cgroupfs="ck-cgroup /sys/fs/cgroup tmpfs mode=755 0 0"; else cgroupfs="ck-cgroup /sys/fs/cgroup cgroup2 rw 0 0"; fi
printf '%s\n' "ck-rw $rw tmpfs mode=700 0 0" "ck-srv /srv tmpfs mode=755 0 0" \
  "ck-sysmodule /sys/module tmpfs mode=755 0 0" "$cgroupfs" >"$hd/fstab.1"
mount -a -T "$hd/fstab.1"
mkdir -p "$rw"/{etc,varlib,usrbin,usrsbin}/{u,w} "$rw/home" /srv/standin-cluster
# Phase 2: copy-on-write system dirs, private writable dirs, shared state.
{
  for d in etc:/etc varlib:/var/lib usrbin:/usr/bin usrsbin:/usr/sbin; do
    echo "ck-overlay ${d#*:} overlay lowerdir=${d#*:},upperdir=$rw/${d%%:*}/u,workdir=$rw/${d%%:*}/w 0 0"
  done
  echo "ck-usrlocal /usr/local tmpfs mode=755 0 0"
  echo "ck-log /var/log tmpfs mode=755 0 0"
  echo "$CLUSTER_DIR /srv/standin-cluster none bind 0 0"
} >"$hd/fstab.2"
mount -a -T "$hd/fstab.2"

# The stand-in code stays in the repo; /usr/local starts empty like on a fresh
# server apart from the stand-in library and the etcdctl wrapper.
mkdir -p /usr/local/{bin,sbin,lib,share,libexec/clusterkit-standin} /var/log/clusterkit-standin \
  /var/lib/clusterkit-standin/{packages,holds,units} "${mods[@]/#//sys/module/}"
# The repository (stand-ins and the node_modules they load) is bind-mounted before the private
# /tmp, /root and /home below, because it may itself live under one of those, as a CI clone under
# /tmp does; a plain symlink would then point into the host's empty tmpfs.
mkdir -p /usr/local/lib/clusterkit-repo
mount --bind "${STANDIN_DIR%/test/hosts/standins}" /usr/local/lib/clusterkit-repo
ln -s /usr/local/lib/clusterkit-repo/test/hosts/standins /usr/local/lib/clusterkit-standin
# The real etcdctl stays reachable for the stand-ins (outside PATH) even on a host a test
# removed it from, as kubeadm hosts normally are (etcdctl lives in the etcd container there).
: >/usr/local/libexec/clusterkit-standin/etcdctl
printf '%s\n' "ck-root /root tmpfs mode=700 0 0" "ck-home /home tmpfs mode=755 0 0" \
  "ck-tmp /tmp tmpfs mode=1777 0 0" "ck-vartmp /var/tmp tmpfs mode=1777 0 0" \
  "/usr/bin/etcdctl /usr/local/libexec/clusterkit-standin/etcdctl none bind 0 0" >"$hd/fstab.3"
mount -a -T "$hd/fstab.3"
# curl: hosts cannot reach the internet, so the stand-in serves repository
# keys; the real binary stays reachable (outside PATH) for the fleet's own
# addresses.
cp /usr/bin/curl /usr/local/libexec/clusterkit-standin/curl
# Stand-ins replace the real tools at their real paths (so absolute paths such
# as /usr/sbin/sysctl can never reach the machine's real ones either).
if [[ $HOST_OS == rhel ]]; then
  # rm in an overlay leaves a whiteout: Debian's package tools vanish on "RHEL".
  rm -f /usr/bin/{apt,apt-get,apt-mark,apt-cache,apt-key,dpkg,dpkg-query,dpkg-deb}
  mkdir -p /etc/yum.repos.d /etc/dnf/plugins
  ln -sf "$sb"/{dnf,yum,rpm,systemctl,curl} /usr/bin/
else
  ln -sf "$sb"/{apt,apt-get,apt-cache,apt-mark,dpkg,dpkg-query,systemctl,curl} /usr/bin/
fi
ln -sf "$sb"/{swapoff,modprobe,sysctl} /usr/sbin/
ln -sf "$sb/etcdctl" /usr/local/bin/etcdctl
ln -sf "$sb/df" /usr/local/bin/df

# Identity: hostname, machine-id, os-release, host key, sshd config.
echo "$HOST_NAME" >/proc/sys/kernel/hostname # this UTS namespace's, no process start
echo "$HOST_NAME" >/etc/hostname
echo "$MACHINE_ID" >/etc/machine-id
printf '127.0.0.1\tlocalhost\n%s\t%s\n' "$HOST_IP" "$HOST_NAME" >/etc/hosts
rm -rf /etc/os-release /etc/ssh/ssh_host_* /etc/ssh/sshd_config.d
echo "$os_release" >/etc/os-release
(umask 077 && echo "$hostkey" >/etc/ssh/ssh_host_ed25519_key)
echo "$hostpub" >/etc/ssh/ssh_host_ed25519_key.pub
echo "${sshd_config//@HOST_IP@/$HOST_IP}" >/etc/ssh/sshd_config

# Users: root plus the spec's extra users, all with the fleet's client key.
# The shadow field is '*' (no password, not locked): with '!' sshd refuses even
# key logins when PAM is off. /root is deliberately bare: Debian's root
# .bashrc adds ~90 ms to every ssh command.
mkdir -m 700 /root/.ssh
(umask 077 && echo "$authkey" >/root/.ssh/authorized_keys)
uid=1001
owned=()
for line in "${users[@]}"; do
  read -r user sudo <<<"$line"
  [[ -n $user ]] || continue
  printf '%s:x:%d:%d::/home/%s:/bin/bash\n' "$user" "$uid" "$uid" "$user" >>/etc/passwd
  printf '%s:*:20000:0:99999:7:::\n' "$user" >>/etc/shadow
  printf '%s:x:%d:\n' "$user" "$uid" >>/etc/group
  mkdir -m 700 "/home/$user" "/home/$user/.ssh"
  (umask 077 && echo "$authkey" >"/home/$user/.ssh/authorized_keys")
  owned+=("$uid:/home/$user")
  if [[ $sudo == nopasswd ]]; then
    (umask 0227 && echo "$user ALL=(ALL:ALL) NOPASSWD:ALL" >"/etc/sudoers.d/90-$user")
  fi
  uid=$((uid + 1))
done
for o in "${owned[@]}"; do chown -R "${o%%:*}:${o%%:*}" "${o#*:}"; done

# Every user's stand-in calls are logged, so the log is world-writable.
(umask 0 && : >/var/log/clusterkit-standin/calls.jsonl)
chmod 1777 /var/log/clusterkit-standin

mount -t tmpfs -o mode=755 ck-run /run # hides $hd from here on
mkdir -m 755 /run/sshd /run/clusterkit-standin
for v in HOST_NAME HOST_IP HOST_OS HOST_ROLE MACHINE_ID FLEET_SLOT STANDIN_NODE; do
  printf '%s=%q\n' "$v" "${!v}"
done >/run/clusterkit-standin/host.env
# The kernel's boot id, as this host sees it: a file the reboot stand-in (lib/boot.sh) rewrites,
# so a reboot shows as a new boot id as on a real machine. Its listener's pid, so the reboot
# stand-in can end every session and spare the listener (sshd -D keeps this pid).
cat /proc/sys/kernel/random/uuid >/var/lib/clusterkit-standin/boot_id
mount --bind /var/lib/clusterkit-standin/boot_id /proc/sys/kernel/random/boot_id
echo $$ >/var/lib/clusterkit-standin/sshd.pid

exec /usr/sbin/sshd -D -e -f /etc/ssh/sshd_config
