/**
 * EncryptionConfiguration (apiserver.config.k8s.io/v1): Secrets encrypted at rest in etcd (CIS
 * section 1.2: encryption-provider-config set, providers appropriately configured). secretbox is
 * the local provider upstream rates "strong" (aescbc is "weak" against padding-oracle attacks). `identity` comes last so objects written
 * before encryption was turned on stay readable until they are rewritten.
 */
import { ClusterkitError } from "../../../errors";
import type { ClusterSpec } from "../../../spec";
import type { EncryptionSecrets } from "../secrets";

export interface EncryptionOptions {
  /** Also encrypt ConfigMaps (off by default: they are meant for non-secret data, and reads get slower). */
  configMaps?: boolean;
}

export function encryptionConfiguration(spec: ClusterSpec, secrets: EncryptionSecrets | undefined, opts: EncryptionOptions = {}): object | null {
  if (!spec.security.encryptionAtRest.enabled) return null;
  if (!secrets || secrets.keys.length === 0) {
    throw ClusterkitError.failure("(rendered encryption config)", "security.encryptionAtRest", "encryption at rest is on but no encryption key was passed", "pass NodeSecrets.encryption with at least one key");
  }
  return {
    apiVersion: "apiserver.config.k8s.io/v1",
    kind: "EncryptionConfiguration",
    resources: [
      {
        resources: opts.configMaps ? ["secrets", "configmaps"] : ["secrets"],
        providers: [{ secretbox: { keys: secrets.keys.map((k) => ({ name: k.name, secret: k.secret })) } }, { identity: {} }],
      },
    ],
  };
}
