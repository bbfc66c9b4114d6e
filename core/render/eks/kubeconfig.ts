/**
 * The admin kubeconfig for an EKS cluster. It holds no credential: kubectl runs
 * `aws eks get-token` for a short-lived token from whatever AWS identity the caller has, the way
 * `aws eks update-kubeconfig` writes it.
 */
import { stringify } from "yaml";

export interface KubeconfigInput {
  clusterName: string;
  region: string;
  endpoint: string;
  /** Base64 PEM of the cluster CA, as EKS returns it. */
  certificateAuthorityData: string;
}

export function renderKubeconfig(k: KubeconfigInput): string {
  const name = k.clusterName;
  return stringify({
    apiVersion: "v1",
    kind: "Config",
    clusters: [{ name, cluster: { server: k.endpoint, "certificate-authority-data": k.certificateAuthorityData } }],
    contexts: [{ name, context: { cluster: name, user: name } }],
    "current-context": name,
    preferences: {},
    users: [
      {
        name,
        user: {
          exec: {
            apiVersion: "client.authentication.k8s.io/v1beta1",
            command: "aws",
            args: ["--region", k.region, "eks", "get-token", "--cluster-name", name, "--output", "json"],
            interactiveMode: "Never",
          },
        },
      },
    ],
  });
}
