#!/usr/bin/env bash
# Becomes one fake host. Started by the harness as
#   ip netns exec NS unshare --mount --uts --propagation private host-init.sh HOSTDIR
# and ends by exec'ing sshd, so the harness's child pid is the host's sshd and
# every later process of the host (sessions, etcd) descends into these namespaces.
#
# HOSTDIR (root-namespace path) holds host.env, the host key, users and the
# authorized key; this script stages them before it hides /run (where HOSTDIR
# lives) behind the host's private /run.
set -euo pipefail

hd=${1:?host dir}
# shellcheck source=/dev/null
source "$hd/host.env" # HOST_NAME HOST_IP HOST_OS HOST_ROLE MACHINE_ID FLEET_SLOT CLUSTER_DIR STANDIN_DIR STANDIN_NODE

rw=$hd/rw
mount -t tmpfs -o mode=700 ckrw "$rw"
for d in etc varlib usrbin usrsbin; do mkdir -p "$rw/$d/u" "$rw/$d/w"; done
overlay() { mount -t overlay ck-overlay -o "lowerdir=$2,upperdir=$rw/$1/u,workdir=$rw/$1/w" "$2"; }
overlay etc /etc
overlay varlib /var/lib
overlay usrbin /usr/bin
overlay usrsbin /usr/sbin

# The stand-in code stays in the repo; /usr/local is private so the host starts
# with an empty /usr/local/bin like a fresh server.
mount -t tmpfs -o mode=755 ck-usrlocal /usr/local
mkdir -p /usr/local/bin /usr/local/sbin /usr/local/lib /usr/local/share
ln -s "$STANDIN_DIR" /usr/local/lib/clusterkit-standin
sb=/usr/local/lib/clusterkit-standin/bin

# Stand-ins replace the real tools at their real paths (so absolute paths such
# as /usr/sbin/sysctl can never reach the machine's real ones either).
ln -sf "$sb/systemctl" /usr/bin/systemctl
ln -sf "$sb/swapoff" "$sb/modprobe" "$sb/sysctl" /usr/sbin/
ln -sf "$sb/etcdctl" /usr/local/bin/etcdctl
# curl: hosts cannot reach the internet, so the stand-in serves repository keys;
# the real binary stays reachable (outside PATH) for the fleet's own addresses.
mkdir -p /usr/local/libexec/clusterkit-standin
cp /usr/bin/curl /usr/local/libexec/clusterkit-standin/curl
ln -sf "$sb/curl" /usr/bin/curl
if [[ $HOST_OS == rhel ]]; then
  for t in dnf yum rpm; do ln -sf "$sb/$t" "/usr/bin/$t"; done
  mkdir -p /etc/yum.repos.d /etc/dnf/plugins
  # Whiteouts (0:0 char devices) make Debian's package tools vanish on "RHEL".
  for t in apt apt-get apt-mark apt-cache apt-key dpkg dpkg-query dpkg-deb; do
    rm -f "/usr/bin/$t" 2>/dev/null || true
  done
else
  for t in apt apt-get apt-cache apt-mark dpkg dpkg-query; do ln -sf "$sb/$t" "/usr/bin/$t"; done
fi

# Identity: hostname, os-release, host key, sshd config.
hostname "$HOST_NAME"
echo "$HOST_NAME" >/etc/hostname
echo "$MACHINE_ID" >/etc/machine-id
printf '127.0.0.1\tlocalhost\n%s\t%s\n' "$HOST_IP" "$HOST_NAME" >/etc/hosts
rm -f /etc/os-release
cp "$STANDIN_DIR/os-release/$HOST_OS" /etc/os-release
rm -f /etc/ssh/ssh_host_*
install -m 600 "$hd/ssh_host_ed25519_key" /etc/ssh/ssh_host_ed25519_key
install -m 644 "$hd/ssh_host_ed25519_key.pub" /etc/ssh/ssh_host_ed25519_key.pub
sed "s/@HOST_IP@/$HOST_IP/" "$STANDIN_DIR/../scripts/sshd_config" >/etc/ssh/sshd_config
rm -rf /etc/ssh/sshd_config.d

# Users: root plus the spec's extra users, all with the fleet's client key.
# The shadow field is '*' (no password, not locked): with '!' sshd refuses even
# key logins when PAM is off.
authkey=$(<"$hd/authorized_keys")
mkdir -p "$rw/home"
uid=1001
while read -r user sudo; do
  [[ -n $user ]] || continue
  printf '%s:x:%d:%d::/home/%s:/bin/bash\n' "$user" "$uid" "$uid" "$user" >>/etc/passwd
  printf '%s:*:20000:0:99999:7:::\n' "$user" >>/etc/shadow
  printf '%s:x:%d:\n' "$user" "$uid" >>/etc/group
  mkdir -p "$rw/home/$user/.ssh"
  echo "$authkey" >"$rw/home/$user/.ssh/authorized_keys"
  chmod 700 "$rw/home/$user/.ssh"
  chmod 600 "$rw/home/$user/.ssh/authorized_keys"
  chown -R "$uid:$uid" "$rw/home/$user"
  if [[ $sudo == nopasswd ]]; then
    echo "$user ALL=(ALL:ALL) NOPASSWD:ALL" >"/etc/sudoers.d/90-$user"
    chmod 440 "/etc/sudoers.d/90-$user"
  fi
  uid=$((uid + 1))
done <"$hd/users"

# Kernel modules as this host sees them: the machine's, minus the two that
# Kubernetes preparation loads, so the modprobe stand-in's effect is visible.
mods=(/sys/module/*)
mount -t tmpfs -o mode=755 ck-sysmodule /sys/module
(cd /sys/module && mkdir -p "${mods[@]##*/}" && rmdir br_netfilter overlay 2>/dev/null) || true

# Fleet-shared cluster state, at the same path on every host.
mount -t tmpfs -o mode=755 ck-srv /srv
mkdir -p /srv/standin-cluster
mount --bind "$CLUSTER_DIR" /srv/standin-cluster

# Private writable dirs. /root is deliberately bare: Debian's root .bashrc adds
# ~90 ms to every ssh command.
mount -t tmpfs -o mode=700 ck-root /root
mkdir -m 700 /root/.ssh
echo "$authkey" >/root/.ssh/authorized_keys
chmod 600 /root/.ssh/authorized_keys
mount -t tmpfs -o mode=755 ck-home /home
cp -a "$rw/home/." /home/
mount -t tmpfs -o mode=1777 ck-tmp /tmp
mount -t tmpfs -o mode=1777 ck-vartmp /var/tmp
mount -t tmpfs -o mode=755 ck-log /var/log
mkdir -m 1777 /var/log/clusterkit-standin
: >/var/log/clusterkit-standin/calls.jsonl
chmod 666 /var/log/clusterkit-standin/calls.jsonl
# Drop this namespace's copies of the netns bind mounts: a private copy would
# pin every fleet's namespaces for as long as this host lives.
umount -R -l /run/netns 2>/dev/null || true
mount -t tmpfs -o mode=755 ck-run /run # hides $hd from here on
mkdir -m 755 /run/sshd /run/clusterkit-standin
for v in HOST_NAME HOST_IP HOST_OS HOST_ROLE MACHINE_ID FLEET_SLOT STANDIN_NODE; do
  printf '%s=%q\n' "$v" "${!v}"
done >/run/clusterkit-standin/host.env
mkdir -p /var/lib/clusterkit-standin/packages /var/lib/clusterkit-standin/holds /var/lib/clusterkit-standin/units

exec /usr/sbin/sshd -D -e -f /etc/ssh/sshd_config
