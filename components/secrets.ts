/** Secret config values, read once and only ever handled as Pulumi secret Outputs. */
import * as pulumi from "@pulumi/pulumi";
import type { ClusterSpec } from "../core/spec";

export type ClusterSecrets = Partial<Record<"sshPrivateKey" | "vspherePassword" | "oidcClientSecret" | "cephUserKey" | "backupKey", pulumi.Output<string>>>;

export function readSecrets(spec: ClusterSpec): ClusterSecrets {
  const config = new pulumi.Config("clusterkit");
  const out: ClusterSecrets = {};
  const missing: string[] = [];
  for (const ref of spec.secrets) {
    const name = ref.key.replace(/^clusterkit:/, "") as keyof ClusterSecrets;
    const value = config.getSecret(name);
    if (value) out[name] = value;
    else if (ref.required) missing.push(`  pulumi config set --secret ${ref.key} --stack ${spec.stack}    # ${ref.purpose}`);
  }
  if (missing.length) {
    throw new pulumi.RunError(`clusterkit: stack ${spec.stack} is missing secrets. Set them with:\n${missing.join("\n")}`);
  }
  return out;
}
