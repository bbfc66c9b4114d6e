/**
 * OIDC sign-in. `oidcIdentity` is the one statement of issuer, client, claims and prefixes: the
 * kubeadm API server flags, EKS's IdentityProviderConfig and the users' kubeconfig all take it
 * from here, so the two sides cannot drift. Groups arrive prefixed (`oidc:platform-admins`), which
 * keeps an IdP group from ever matching a built-in group such as system:masters.
 */
import { createHash } from "node:crypto";
import { parse, stringify } from "yaml";
import type { Oidc } from "../../schema/oidc";
import type { ClusterSpec } from "../../spec";
import { meta, toDnsLabel, type K8sObject } from "./k8s";

export interface OidcIdentity {
  issuerUrl: string;
  clientId: string;
  usernameClaim: string;
  groupsClaim: string;
  usernamePrefix: string;
  groupsPrefix: string;
}

export function oidcIdentity(oidc: Oidc): OidcIdentity {
  const { issuerUrl, clientId, usernameClaim, groupsClaim, usernamePrefix, groupsPrefix } = oidc;
  return { issuerUrl, clientId, usernameClaim, groupsClaim, usernamePrefix, groupsPrefix };
}

/** A stable DNS name per binding; the hash keeps groups that read alike once lower-cased apart. */
export function bindingName(group: string, clusterRole: string): string {
  const hash = createHash("sha256").update(`${group}\0${clusterRole}`).digest("hex").slice(0, 8);
  return `oidc-${toDnsLabel(`${group}-${clusterRole}`).slice(0, 44)}-${hash}`;
}

export function oidcClusterRoleBindings(spec: ClusterSpec): K8sObject[] {
  const oidc = spec.oidc;
  if (!oidc) return [];
  return oidc.bindings.map((b) => ({
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind: "ClusterRoleBinding",
    metadata: meta(spec, bindingName(b.group, b.clusterRole), undefined, { annotations: { "clusterkit.dev/oidc-group": b.group } }),
    subjects: [{ kind: "Group", apiGroup: "rbac.authorization.k8s.io", name: `${oidc.groupsPrefix}${b.group}` }],
    roleRef: { kind: "ClusterRole", apiGroup: "rbac.authorization.k8s.io", name: b.clusterRole },
  }));
}

/** The API server URL OIDC users connect to, where the spec knows it (not on EKS). */
export function kubeadmServerUrl(spec: ClusterSpec): string | null {
  const ep = spec.controlPlane.endpoint;
  return ep.kind === "eks-managed" || !ep.host ? null : `https://${ep.host}:${ep.port}`;
}

/** How clients trust the API server, as the admin kubeconfig says (CA data or file, TLS server name). */
export type ClusterTls = Partial<Record<"certificate-authority-data" | "certificate-authority" | "tls-server-name", string>>;

/** The trust settings of an admin kubeconfig's cluster: the CA is public, the kubeconfig is not. */
export function clusterTlsFromKubeconfig(kubeconfig: string): ClusterTls {
  const doc = parse(kubeconfig) as { clusters?: { cluster?: Record<string, unknown> }[] } | null;
  const cluster = doc?.clusters?.[0]?.cluster ?? {};
  const out: ClusterTls = {};
  for (const key of ["certificate-authority-data", "certificate-authority", "tls-server-name"] as const) {
    if (typeof cluster[key] === "string") out[key] = cluster[key] as string;
  }
  return out;
}

/**
 * A kubeconfig for OIDC users: kubectl runs `kubectl oidc-login get-token` (int128/kubelogin),
 * which signs the user in with the browser and caches the ID token. It holds no credential
 * unless the IdP client is confidential, in which case the client secret makes it a secret.
 */
export function oidcKubeconfig(spec: ClusterSpec, server: string, tls: ClusterTls, clientSecret: string | null): string {
  const oidc = spec.oidc;
  if (!oidc) throw new Error("oidc: the blueprint declares no OIDC issuer");
  const name = spec.name;
  const user = `${name}-oidc`;
  return stringify(
    {
      apiVersion: "v1",
      kind: "Config",
      clusters: [{ name, cluster: { server, ...tls } }],
      contexts: [{ name: user, context: { cluster: name, user } }],
      "current-context": user,
      preferences: {},
      users: [
        {
          name: user,
          user: {
            exec: {
              apiVersion: "client.authentication.k8s.io/v1",
              command: "kubectl",
              args: [
                "oidc-login",
                "get-token",
                `--oidc-issuer-url=${oidc.issuerUrl}`,
                `--oidc-client-id=${oidc.clientId}`,
                ...(clientSecret ? [`--oidc-client-secret=${clientSecret}`] : []),
                ...oidc.extraScopes.map((s) => `--oidc-extra-scope=${s}`),
              ],
              interactiveMode: "IfAvailable",
              provideClusterInfo: false,
            },
          },
        },
      ],
    },
    { lineWidth: 0 },
  );
}

/** EKS IdentityProviderConfig arguments: the same identity the kubeconfig and bindings assume. */
export function eksIdentityProvider(spec: ClusterSpec): (OidcIdentity & { identityProviderConfigName: string }) | null {
  if (!spec.oidc || spec.platform.kind !== "eks") return null;
  return { identityProviderConfigName: "clusterkit-oidc", ...oidcIdentity(spec.oidc) };
}
