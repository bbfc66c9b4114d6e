/**
 * Rancher's local-path-provisioner: node-local volumes for bare metal (and vSphere, if asked).
 * Upstream ships a manifest, not a published chart; these are its objects for the pinned image,
 * with each local-path class given its own directory through `storageClassConfigs`.
 */
import type { ClusterSpec, StorageClassSpec } from "../../spec";
import { addonImages } from "../../versions";
import { mirroredImage } from "../../mirrors";
import { meta, namespace, type K8sObject } from "./k8s";

export const localPathNamespace = "local-path-storage";
const sa = "local-path-provisioner-service-account";

type LocalPathClass = Extract<StorageClassSpec, { kind: "local-path" }>;

function localPathClasses(spec: ClusterSpec): LocalPathClass[] {
  return spec.storage.classes.filter((c): c is LocalPathClass => c.kind === "local-path");
}

/** config.json: no path for classes it does not know, one directory per class it does. */
export function localPathConfig(spec: ClusterSpec): Record<string, unknown> {
  return {
    nodePathMap: [],
    storageClassConfigs: Object.fromEntries(localPathClasses(spec).map((c) => [c.name, { nodePathMap: [{ node: "DEFAULT_PATH_FOR_NON_LISTED_NODES", paths: [c.path] }] }])),
  };
}

// World-writable like upstream's: host directories ignore a pod's fsGroup, so any pod UID must write.
const setup = `#!/bin/sh
set -eu
mkdir -m 0777 -p "$VOL_DIR"
`;
const teardown = `#!/bin/sh
set -eu
rm -rf "$VOL_DIR"
`;

function helperPod(spec: ClusterSpec): string {
  return JSON.stringify({
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: "helper-pod" },
    spec: {
      priorityClassName: "system-node-critical",
      tolerations: [{ key: "node.kubernetes.io/disk-pressure", operator: "Exists", effect: "NoSchedule" }],
      containers: [{ name: "helper-pod", image: mirroredImage(spec.mirrors.images, addonImages.localPath.helper), imagePullPolicy: "IfNotPresent" }],
    },
  });
}

export function localPathProvisioner(spec: ClusterSpec): K8sObject[] {
  const ns = localPathNamespace;
  const labels = { app: "local-path-provisioner" };
  return [
    // Its helper pods mount host paths, which only the privileged level allows.
    namespace(spec, ns, "privileged"),
    { apiVersion: "v1", kind: "ServiceAccount", metadata: meta(spec, sa, ns) },
    {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "ClusterRole",
      metadata: meta(spec, "local-path-provisioner-role"),
      rules: [
        { apiGroups: [""], resources: ["nodes", "persistentvolumeclaims", "configmaps", "pods", "pods/log"], verbs: ["get", "list", "watch"] },
        { apiGroups: [""], resources: ["persistentvolumes"], verbs: ["get", "list", "watch", "create", "patch", "update", "delete"] },
        { apiGroups: [""], resources: ["events"], verbs: ["create", "patch"] },
        { apiGroups: ["storage.k8s.io"], resources: ["storageclasses"], verbs: ["get", "list", "watch"] },
      ],
    },
    {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "ClusterRoleBinding",
      metadata: meta(spec, "local-path-provisioner-bind"),
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "local-path-provisioner-role" },
      subjects: [{ kind: "ServiceAccount", name: sa, namespace: ns }],
    },
    {
      // Helper pods are created, watched and deleted in this namespace only.
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "Role",
      metadata: meta(spec, "local-path-provisioner-role", ns),
      rules: [{ apiGroups: [""], resources: ["pods"], verbs: ["get", "list", "watch", "create", "patch", "update", "delete"] }],
    },
    {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "RoleBinding",
      metadata: meta(spec, "local-path-provisioner-bind", ns),
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: "local-path-provisioner-role" },
      subjects: [{ kind: "ServiceAccount", name: sa, namespace: ns }],
    },
    {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: meta(spec, "local-path-config", ns),
      data: { "config.json": JSON.stringify(localPathConfig(spec), null, 2), setup, teardown, "helperPod.yaml": helperPod(spec) },
    },
    {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: meta(spec, "local-path-provisioner", ns),
      spec: {
        replicas: 1,
        selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: {
            serviceAccountName: sa,
            securityContext: { runAsNonRoot: true, runAsUser: 65534, seccompProfile: { type: "RuntimeDefault" } },
            containers: [
              {
                name: "local-path-provisioner",
                image: addonImages.localPath.provisioner,
                imagePullPolicy: "IfNotPresent",
                command: ["local-path-provisioner", "start", "--config", "/etc/config/config.json"],
                securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } },
                volumeMounts: [{ name: "config-volume", mountPath: "/etc/config/" }],
                env: [
                  { name: "POD_NAMESPACE", valueFrom: { fieldRef: { fieldPath: "metadata.namespace" } } },
                  { name: "CONFIG_MOUNT_PATH", value: "/etc/config/" },
                ],
              },
            ],
            volumes: [{ name: "config-volume", configMap: { name: "local-path-config" } }],
          },
        },
      },
    },
  ];
}
