/** Security settings. Every default is the secure one (CIS Kubernetes benchmark where kubeadm/EKS allow). */
import { z } from "zod";

const podSecurityLevel = z.enum(["privileged", "baseline", "restricted"]);

export const securitySchema = z.strictObject({
  auditLog: z
    .strictObject({
      enabled: z.boolean().default(true),
      maxAgeDays: z.number().int().min(1).max(365).default(30),
      maxBackups: z.number().int().min(1).max(100).default(10),
      maxSizeMB: z.number().int().min(1).max(10_000).default(100),
    })
    .default({ enabled: true, maxAgeDays: 30, maxBackups: 10, maxSizeMB: 100 }),
  /** Secrets encrypted at rest: a secretbox key on kubeadm clusters, a customer KMS key on EKS. */
  encryptionAtRest: z.strictObject({ enabled: z.boolean().default(true) }).default({ enabled: true }),
  podSecurity: z
    .strictObject({
      enforce: podSecurityLevel.default("baseline"),
      audit: podSecurityLevel.default("restricted"),
      warn: podSecurityLevel.default("restricted"),
      exemptNamespaces: z.array(z.string()).default(["kube-system"]),
    })
    .default({ enforce: "baseline", audit: "restricted", warn: "restricted", exemptNamespaces: ["kube-system"] }),
  /** Kubelet anonymous auth is off unless a blueprint turns it on (CIS 4.2.1). */
  kubeletAnonymousAuth: z.boolean().default(false),
});
export type Security = z.output<typeof securitySchema>;
