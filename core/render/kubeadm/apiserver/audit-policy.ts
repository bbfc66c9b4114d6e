/**
 * Audit policy (audit.k8s.io/v1). CIS 3.2.1 and the audit-log items of section 1.2 ask for an
 * audit log with a policy that covers security-relevant requests. Rules are first-match: noise
 * first, then resources whose bodies hold secrets (Metadata only, so keys and tokens never reach
 * the log), then writes with their request body, then everything else at Metadata.
 */
import type { ClusterSpec } from "../../../spec";

const writeVerbs = ["create", "update", "patch", "delete", "deletecollection"];

export function auditPolicy(spec: ClusterSpec): object | null {
  if (!spec.security.auditLog.enabled) return null;
  return {
    apiVersion: "audit.k8s.io/v1",
    kind: "Policy",
    // RequestReceived duplicates every ResponseComplete entry.
    omitStages: ["RequestReceived"],
    omitManagedFields: true,
    rules: [
      { level: "None", nonResourceURLs: ["/healthz*", "/livez*", "/readyz*", "/version", "/metrics"] },
      { level: "None", resources: [{ group: "", resources: ["events"] }, { group: "events.k8s.io", resources: ["events"] }] },
      {
        level: "None",
        users: ["system:kube-proxy"],
        verbs: ["watch"],
        resources: [{ group: "", resources: ["endpoints", "services", "services/status"] }, { group: "discovery.k8s.io", resources: ["endpointslices"] }],
      },
      // Lease renewals: every node every 10 s, every leader-elected component every 2 s.
      { level: "None", userGroups: ["system:nodes"], verbs: ["get", "update"], namespaces: ["kube-node-lease"], resources: [{ group: "coordination.k8s.io", resources: ["leases"] }] },
      {
        level: "None",
        users: ["system:kube-controller-manager", "system:kube-scheduler"],
        verbs: ["get", "update"],
        namespaces: ["kube-system"],
        resources: [{ group: "coordination.k8s.io", resources: ["leases"] }],
      },
      {
        level: "Metadata",
        resources: [
          { group: "", resources: ["secrets", "configmaps", "serviceaccounts/token"] },
          { group: "authentication.k8s.io", resources: ["tokenreviews"] },
          { group: "certificates.k8s.io", resources: ["certificatesigningrequests"] },
        ],
      },
      { level: "Request", verbs: writeVerbs },
      { level: "Metadata" },
    ],
  };
}
