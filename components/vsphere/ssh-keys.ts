/**
 * SSH material for the VMs: two host key pairs generated per node (so both fingerprints are pinned
 * before the VM first boots, no trust on first use), and the authorized key derived from the
 * stack's secret private key. The first-boot key goes to cloud-init through guestinfo, which vCenter
 * users can read; it serves one session only, which installs the lasting key (HostKeyRotation).
 */
import * as pulumi from "@pulumi/pulumi";
import * as tls from "@pulumi/tls";
import { sshFingerprintSha256 } from "../../core/render/cloud-init/fingerprint";
import type { NodeSpec } from "../../core/spec";

export interface NodeHostKey {
  /** OpenSSH private key; secret. */
  privateKeyOpenssh: pulumi.Output<string>;
  publicKeyOpenssh: pulumi.Output<string>;
  /** `SHA256:…`, as the SSH layer pins it. */
  fingerprint: pulumi.Output<string>;
}

export interface NodeHostKeys {
  /** Installed by cloud-init from guestinfo; readable in vCenter, so trusted for one session. */
  firstBoot: NodeHostKey;
  /** Installed over that session; never in vCenter. Every later session pins it. */
  lasting: NodeHostKey;
}

function hostKey(name: string, opts: pulumi.CustomResourceOptions): NodeHostKey {
  const key = new tls.PrivateKey(name, { algorithm: "ED25519" }, opts);
  return {
    privateKeyOpenssh: pulumi.secret(key.privateKeyOpenssh),
    publicKeyOpenssh: key.publicKeyOpenssh,
    fingerprint: key.publicKeyOpenssh.apply(sshFingerprintSha256),
  };
}

export function nodeHostKeys(node: NodeSpec, opts: pulumi.CustomResourceOptions): NodeHostKeys {
  return { firstBoot: hostKey(`${node.name}-ssh-host-key`, opts), lasting: hostKey(`${node.name}-ssh-host-key-lasting`, opts) };
}

const opensshPrivateKey = /^\s*-----BEGIN OPENSSH PRIVATE KEY-----/;

/** The public half of clusterkit's SSH key (OpenSSH or PEM private key), for authorized_keys. */
export function authorizedKey(privateKey: pulumi.Output<string>, opts: pulumi.InvokeOutputOptions): pulumi.Output<string> {
  const secretKey = pulumi.secret(privateKey);
  return tls.getPublicKeyOutput(
    {
      privateKeyOpenssh: secretKey.apply((k) => (opensshPrivateKey.test(k) ? k : undefined)),
      privateKeyPem: secretKey.apply((k) => (opensshPrivateKey.test(k) ? undefined : k)),
    },
    opts,
  ).publicKeyOpenssh;
}
