/**
 * cloud-init user-data (`#cloud-config`) for one node: its name, the SSH user clusterkit connects
 * as, and the SSH host key clusterkit generated for it. Nothing else: packages, kernel settings and
 * kubeadm are the bootstrap's job over SSH, identical to bare metal.
 */
import { stringify } from "yaml";
import type { NodeSpec } from "../../spec";

export interface NodeSshKeys {
  /** OpenSSH public key clusterkit authenticates with (public half of clusterkit:sshPrivateKey). */
  authorizedKey: string;
  /** The node's ed25519 host key pair, OpenSSH format. The private half is a secret. */
  hostKey: { privateKeyOpenssh: string; publicKeyOpenssh: string };
}

export function renderUserData(node: NodeSpec, keys: NodeSshKeys): string {
  const doc = {
    hostname: node.name,
    // The kubelet registers under the host name; a bare name keeps `hostname -f` equal to it.
    fqdn: node.name,
    prefer_fqdn_over_hostname: false,
    manage_etc_hosts: true,
    users: [
      {
        name: node.ssh.user,
        gecos: "clusterkit bootstrap",
        shell: "/bin/bash",
        lock_passwd: true,
        sudo: "ALL=(ALL) NOPASSWD:ALL",
        ssh_authorized_keys: [keys.authorizedKey.trim()],
      },
    ],
    disable_root: true,
    ssh_pwauth: false,
    // The template's host keys are shared by every clone: remove them and install the pinned key.
    // Given ssh_keys, cloud-init generates none; were it to, ed25519 exists already, so the server
    // can only ever present the key whose fingerprint is pinned.
    ssh_deletekeys: true,
    ssh_genkeytypes: ["ed25519"],
    ssh_keys: {
      ed25519_private: ensureTrailingNewline(keys.hostKey.privateKeyOpenssh),
      ed25519_public: keys.hostKey.publicKeyOpenssh.trim(),
    },
    // Package work happens over SSH under clusterkit's control; a boot-time upgrade would race it
    // for the package manager lock.
    package_update: false,
    package_upgrade: false,
    // Disks are cloned larger than the template's: grow the root partition and file system into it.
    growpart: { mode: "auto", devices: ["/"] },
    resize_rootfs: true,
  };
  return `#cloud-config\n${stringify(doc, { lineWidth: 0 })}`;
}

function ensureTrailingNewline(s: string): string {
  return s.endsWith("\n") ? s : `${s}\n`;
}
