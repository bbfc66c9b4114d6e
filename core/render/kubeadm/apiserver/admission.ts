/**
 * AdmissionConfiguration with the PodSecurity plugin's cluster-wide defaults (CIS 5.2.x): every
 * namespace without its own pod-security.kubernetes.io labels gets these levels.
 */
import type { ClusterSpec } from "../../../spec";

export function admissionConfiguration(spec: ClusterSpec): object {
  const ps = spec.security.podSecurity;
  return {
    apiVersion: "apiserver.config.k8s.io/v1",
    kind: "AdmissionConfiguration",
    plugins: [
      {
        name: "PodSecurity",
        configuration: {
          apiVersion: "pod-security.admission.config.k8s.io/v1",
          kind: "PodSecurityConfiguration",
          defaults: {
            enforce: ps.enforce,
            "enforce-version": "latest",
            audit: ps.audit,
            "audit-version": "latest",
            warn: ps.warn,
            "warn-version": "latest",
          },
          exemptions: { usernames: [], runtimeClasses: [], namespaces: [...ps.exemptNamespaces] },
        },
      },
    ],
  };
}
