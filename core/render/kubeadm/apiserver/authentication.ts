/**
 * API server authentication beyond kubeadm's certificates and tokens:
 * - OIDC sign-in: through the structured AuthenticationConfiguration file from Kubernetes 1.30
 *   (apiserver.config.k8s.io/v1beta1; v1 once it went GA in 1.34), through `--oidc-*` flags before.
 *   The API server refuses the flags when the file is given, so exactly one of the two is rendered.
 * - Anonymous requests limited to the health endpoints and kubeadm's discovery ConfigMap
 *   (CIS 1.2.1; configurable endpoints are beta and on by default from 1.32, GA in 1.34). kubeadm
 *   join reads `cluster-info` anonymously before it trusts the cluster, so that path must stay open.
 */
import type { ClusterSpec } from "../../../spec";
import { compareMinor } from "../../../versions";
import { args, type Arg } from "../args";

const structuredAuthnSince = "1.30";
const structuredAuthnGaSince = "1.34";
const anonymousEndpointsSince = "1.32";

export const anonymousPaths = ["/livez", "/readyz", "/healthz", "/api/v1/namespaces/kube-public/configmaps/cluster-info"];

function atLeast(spec: ClusterSpec, minor: string): boolean {
  return compareMinor(spec.kubernetes.minor, minor) >= 0;
}

export function authenticationApiVersion(spec: ClusterSpec): string | null {
  if (!atLeast(spec, structuredAuthnSince)) return null;
  return atLeast(spec, structuredAuthnGaSince) ? "apiserver.config.k8s.io/v1" : "apiserver.config.k8s.io/v1beta1";
}

export function authenticationConfiguration(spec: ClusterSpec): object | null {
  const apiVersion = authenticationApiVersion(spec);
  const anonymous = atLeast(spec, anonymousEndpointsSince);
  if (!apiVersion || (!spec.oidc && !anonymous)) return null;
  const oidc = spec.oidc;
  return {
    apiVersion,
    kind: "AuthenticationConfiguration",
    ...(oidc && {
      jwt: [
        {
          issuer: { url: oidc.issuerUrl, audiences: [oidc.clientId] },
          claimMappings: {
            username: { claim: oidc.usernameClaim, prefix: oidc.usernamePrefix },
            groups: { claim: oidc.groupsClaim, prefix: oidc.groupsPrefix },
          },
        },
      ],
    }),
    ...(anonymous && { anonymous: { enabled: true, conditions: anonymousPaths.map((path) => ({ path })) } }),
  };
}

/** `--oidc-*` flags, only for versions without the structured file. */
export function oidcFlags(spec: ClusterSpec): Arg[] {
  const oidc = spec.oidc;
  if (!oidc || authenticationApiVersion(spec)) return [];
  return args({
    "oidc-issuer-url": oidc.issuerUrl,
    "oidc-client-id": oidc.clientId,
    "oidc-username-claim": oidc.usernameClaim,
    "oidc-username-prefix": oidc.usernamePrefix,
    "oidc-groups-claim": oidc.groupsClaim,
    "oidc-groups-prefix": oidc.groupsPrefix,
  });
}
