/**
 * KubeletConfiguration (kubelet.config.k8s.io/v1beta1). kubeadm init uploads it to the
 * `kubelet-config` ConfigMap and every joining node takes it from there, so it holds nothing
 * node-specific (the node IP and labels go in `kubeletExtraArgs`). CIS section 4.2 references.
 */
import type { ClusterSpec } from "../../spec";
import { compareMinor, kubeletRefusesCgroupV1From } from "../../versions";
import * as paths from "./paths";
import { tlsCipherSuites, tlsMinVersion } from "./tls";

export function kubeletConfiguration(spec: ClusterSpec): object {
  return {
    apiVersion: "kubelet.config.k8s.io/v1beta1",
    kind: "KubeletConfiguration",
    // Same driver as containerd's `SystemdCgroup = true`; two managers of one cgroup tree fight.
    cgroupDriver: "systemd",
    containerRuntimeEndpoint: paths.containerdSocket,
    authentication: {
      anonymous: { enabled: spec.security.kubeletAnonymousAuth }, // 4.2.1
      webhook: { enabled: true, cacheTTL: "2m0s" }, // 4.2.2: bearer tokens checked with TokenReview
      x509: { clientCAFile: paths.clusterCaPath }, // 4.2.3
    },
    authorization: { mode: "Webhook", webhook: { cacheAuthorizedTTL: "5m0s", cacheUnauthorizedTTL: "30s" } }, // 4.2.2
    readOnlyPort: 0, // 4.2.4: the unauthenticated read-only port stays closed
    protectKernelDefaults: true, // 4.2.6: fail instead of silently changing kernel tunables (host prep sets them)
    makeIPTablesUtilChains: true, // 4.2.7
    rotateCertificates: true, // 4.2.11: client certificate renewed before it expires
    // 4.2.12: serving certificate from the cluster CA through a CSR; the API server verifies it
    // (--kubelet-certificate-authority). Those CSRs must be approved (kubelet-serving signer).
    serverTLSBootstrap: true,
    tlsMinVersion,
    tlsCipherSuites, // 4.2.13
    clusterDomain: spec.networking.dnsDomain,
    clusterDNS: [spec.networking.clusterDnsIp],
    staticPodPath: paths.staticPodDir,
    failSwapOn: true,
    // Spelled out for the minors where it is the default, to match host preparation, which
    // refuses cgroup v1 hosts for exactly these (core/render/host/steps/cgroup-v2.ts).
    ...(compareMinor(spec.kubernetes.minor, kubeletRefusesCgroupV1From) >= 0 ? { failCgroupV1: true } : {}),
  };
}
