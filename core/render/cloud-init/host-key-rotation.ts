/**
 * The script that replaces a VM's first-boot SSH host key. The first key reaches the VM in
 * guestinfo, which anyone who can read the VM's configuration in vCenter can read; it is used for
 * one SSH session only, over which this script installs a second key that never passes through
 * vCenter, then reloads sshd. Every later session pins the second key.
 *
 * The new private key arrives on standard input (never on a command line); the public half is
 * derived from it on the host, so the two cannot disagree.
 */

export const hostKeyPath = "/etc/ssh/ssh_host_ed25519_key";

export function renderHostKeyRotation(): string {
  return `set -eu
umask 077
tmp=$(mktemp -d /etc/ssh/.clusterkit-host-key.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
cat >"$tmp/key"
ssh-keygen -y -f "$tmp/key" >"$tmp/key.pub"
chmod 600 "$tmp/key"
chmod 644 "$tmp/key.pub"
mv -f "$tmp/key.pub" ${hostKeyPath}.pub
mv -f "$tmp/key" ${hostKeyPath}
sshd -t
# sshd loads its host keys when it starts; a reload (SIGHUP) makes it re-exec and serve the new one.
# Debian and Ubuntu call the unit ssh, the RHEL family sshd.
systemctl reload ssh.service 2>/dev/null || systemctl reload sshd.service
`;
}
