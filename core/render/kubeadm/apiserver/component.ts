/**
 * The API server's `extraArgs` and `extraVolumes`: the flags that point it at the rendered files,
 * and the CIS flags kubeadm does not set by itself. Which files exist depends on the spec alone,
 * so every control plane gets the same ClusterConfiguration (kubeadm stores it in the cluster).
 */
import type { ClusterSpec } from "../../../spec";
import { args, type Arg } from "../args";
import * as paths from "../paths";
import { tlsCipherSuites, tlsMinVersion } from "../tls";
import { authenticationConfiguration, oidcFlags } from "./authentication";

export interface HostPathMount {
  name: string;
  hostPath: string;
  mountPath: string;
  readOnly: boolean;
  pathType: "Directory" | "DirectoryOrCreate";
}

export interface ApiServerComponent {
  certSANs: string[];
  extraArgs: Arg[];
  extraVolumes: HostPathMount[];
}

export function apiServerComponent(spec: ClusterSpec): ApiServerComponent {
  const { auditLog, encryptionAtRest } = spec.security;
  const extraArgs: Arg[] = [
    ...args({ "admission-control-config-file": paths.admissionConfigPath }),
    ...(auditLog.enabled
      ? args({
          "audit-policy-file": paths.auditPolicyPath,
          "audit-log-path": paths.auditLogPath,
          "audit-log-maxage": auditLog.maxAgeDays,
          "audit-log-maxbackup": auditLog.maxBackups,
          "audit-log-maxsize": auditLog.maxSizeMB,
        })
      : []),
    ...(authenticationConfiguration(spec) ? args({ "authentication-config": paths.authenticationConfigPath }) : oidcFlags(spec)),
    ...(encryptionAtRest.enabled ? args({ "encryption-provider-config": paths.encryptionConfigPath }) : []),
    // Verify kubelet serving certificates (issued through serverTLSBootstrap) against the cluster CA.
    ...args({
      "kubelet-certificate-authority": paths.clusterCaPath,
      profiling: false,
      "tls-min-version": tlsMinVersion,
      "tls-cipher-suites": tlsCipherSuites.join(","),
    }),
  ];
  const extraVolumes: HostPathMount[] = [
    { name: "clusterkit-apiserver-config", hostPath: paths.apiserverConfigDir, mountPath: paths.apiserverConfigDir, readOnly: true, pathType: "Directory" },
    ...(auditLog.enabled ? [{ name: "audit-log", hostPath: paths.auditLogDir, mountPath: paths.auditLogDir, readOnly: false, pathType: "DirectoryOrCreate" as const }] : []),
  ];
  return { certSANs: [...spec.controlPlane.certSANs], extraArgs, extraVolumes };
}
