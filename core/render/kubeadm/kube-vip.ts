/**
 * kube-vip as a static pod on every control plane: ARP mode, one leader (elected through a Lease)
 * answers for the API server's virtual IP. Services stay with MetalLB (`svc_enable: false`).
 *
 * kubeadm ≥ 1.29 binds admin.conf to RBAC through a ClusterRoleBinding that only exists once the
 * API server is up, so during `kubeadm init` kube-vip on the first control plane must use
 * super-admin.conf or it can never take the Lease and the VIP never comes up
 * (kube-vip/kube-vip#684). The first control plane therefore gets the `bootstrap` variant before
 * init and the normal one after it; joining control planes only get the normal one, after their
 * join (kubeadm join refuses a non-empty manifests directory).
 */
import type { IPod } from "kubernetes-models/v1/Pod";
import type { ClusterSpec, NodeSpec } from "../../spec";
import { compareMinor } from "../../versions";
import { mirroredImage } from "../../mirrors";
import { apiServerBindPort } from "./node";
import * as paths from "./paths";

export const kubeVipImage = "ghcr.io/kube-vip/kube-vip:v1.0.4";

export type KubeVipVariant = "bootstrap" | "steady";

/** Whether the first control plane needs super-admin.conf during init (kubeadm ≥ 1.29). */
export function needsSuperAdminDuringInit(spec: ClusterSpec): boolean {
  return compareMinor(spec.kubernetes.minor, "1.29") >= 0;
}

function env(name: string, value: string | number | boolean) {
  return { name, value: String(value) };
}

/** The manifest for one control plane, or null when the endpoint is not kube-vip or the node is a worker. */
export function kubeVipPod(spec: ClusterSpec, node: NodeSpec, variant: KubeVipVariant): IPod | null {
  const ep = spec.controlPlane.endpoint;
  if (ep.kind !== "kube-vip" || node.role !== "control-plane") return null;
  const kubeconfig = variant === "bootstrap" && needsSuperAdminDuringInit(spec) ? paths.superAdminKubeconfigPath : paths.adminKubeconfigPath;
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: "kube-vip", namespace: "kube-system", labels: { "app.kubernetes.io/name": "kube-vip", "app.kubernetes.io/managed-by": "clusterkit" } },
    spec: {
      hostNetwork: true,
      priorityClassName: "system-node-critical",
      // kube-vip talks to the local API server as https://kubernetes:<port> so that it never needs the VIP it manages.
      hostAliases: [{ ip: "127.0.0.1", hostnames: ["kubernetes"] }],
      containers: [
        {
          name: "kube-vip",
          image: mirroredImage(spec.mirrors.images, kubeVipImage),
          imagePullPolicy: "IfNotPresent",
          args: ["manager"],
          env: [
            env("vip_arp", true),
            env("port", apiServerBindPort(spec)),
            { name: "vip_nodename", valueFrom: { fieldRef: { fieldPath: "spec.nodeName" } } },
            // Without an interface kube-vip uses the one holding the default route.
            ...(ep.interface ? [env("vip_interface", ep.interface)] : []),
            env("vip_subnet", 32),
            env("dns_mode", "first"),
            env("cp_enable", true),
            env("cp_namespace", "kube-system"),
            env("svc_enable", false),
            env("vip_leaderelection", true),
            env("vip_leasename", "plndr-cp-lock"),
            env("vip_leaseduration", 5),
            env("vip_renewdeadline", 3),
            env("vip_retryperiod", 1),
            env("address", ep.host),
            env("prometheus_server", "127.0.0.1:2112"),
          ],
          securityContext: { capabilities: { drop: ["ALL"], add: ["NET_ADMIN", "NET_RAW"] } },
          volumeMounts: [{ name: "kubeconfig", mountPath: paths.adminKubeconfigPath, readOnly: true }],
        },
      ],
      volumes: [{ name: "kubeconfig", hostPath: { path: kubeconfig, type: "File" } }],
    },
  };
}
