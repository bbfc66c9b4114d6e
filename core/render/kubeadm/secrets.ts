/**
 * Secret values the renderers take as parameters. They never come from the spec (which holds no
 * secrets); the provider passes Pulumi secrets, the offline plan passes the placeholders below.
 */

export interface InitSecrets {
  /**
   * Bootstrap token `[a-z0-9]{6}.[a-z0-9]{16}` that `kubeadm init` registers. kubeadm always
   * creates one (24 h by default); passing it keeps it short-lived and known to the caller.
   */
  bootstrapToken: string;
  /** 64 hex characters; `kubeadm init --upload-certs` encrypts the control-plane certificates with it. */
  certificateKey: string;
}

export interface JoinSecrets {
  /** A short-lived bootstrap token created for this one join. */
  token: string;
  /** `sha256:<64 hex>` of the cluster CA's public key (`kubeadm token create --print-join-command` prints it). */
  caCertHash: string;
  /** Control planes only: the key the certificates were uploaded with (valid 2 h). */
  certificateKey?: string;
}

export interface EncryptionKey {
  /** Key name inside the EncryptionConfiguration, e.g. `key1`; a new name per rotation. */
  name: string;
  /** base64 of 32 random bytes. */
  secret: string;
}

export interface EncryptionSecrets {
  /** secretbox keys. The first encrypts new writes; the others only decrypt (keep the previous key during a rotation). */
  keys: EncryptionKey[];
}

/** Every secret one node's files need. Join secrets are absent on the first control plane, init secrets elsewhere. */
export interface NodeSecrets {
  init?: InitSecrets;
  join?: JoinSecrets;
  /** Control planes only, when `spec.security.encryptionAtRest.enabled`. */
  encryption?: EncryptionSecrets;
}

/** What the offline plan writes instead of secret values; also what `nodeConfigHash` hashes. */
export const placeholders = {
  bootstrapToken: "<secret: bootstrap token>",
  certificateKey: "<secret: certificate key>",
  caCertHash: "<discovery: CA certificate hash>",
  encryptionKey: "<secret: encryption key>",
} as const;

export const placeholderSecrets: Required<NodeSecrets> = {
  init: { bootstrapToken: placeholders.bootstrapToken, certificateKey: placeholders.certificateKey },
  join: { token: placeholders.bootstrapToken, caCertHash: placeholders.caCertHash, certificateKey: placeholders.certificateKey },
  encryption: { keys: [{ name: "key1", secret: placeholders.encryptionKey }] },
};
