/**
 * The vSphere CSI driver (csi.vsphere.vmware.com). Upstream publishes no chart, only the manifest
 * `manifests/vanilla/vsphere-csi-driver.yaml`; these are the objects of its v3.3.0 manifest, with
 * the images of the release core/versions.ts pins for the cluster's Kubernetes minor. Two
 * deliberate differences: the controller runs one replica per control plane (upstream: edit by
 * hand), and the snapshot sidecar is left out because clusterkit does not install the snapshot CRDs
 * and controller (so `block-volume-snapshot` stays off).
 */
import type { ClusterSpec } from "../../spec";
import { vsphereCsiRelease, type VsphereCsiRelease } from "../../versions";
import { meta, namespace, type K8sObject } from "./k8s";
import { vsphereCsi } from "./vsphere";

const ns = vsphereCsi.namespace;
const driverName = "csi.vsphere.vmware.com";
const fss = ["--fss-name=internal-feature-states.csi.vsphere.vmware.com", "--fss-namespace=$(CSI_NAMESPACE)"];
const leaderElection = ["--leader-election", "--leader-election-lease-duration=120s", "--leader-election-renew-deadline=60s", "--leader-election-retry-period=30s"];
const csiNamespaceEnv = { name: "CSI_NAMESPACE", valueFrom: { fieldRef: { fieldPath: "metadata.namespace" } } };
const socket = { name: "socket-dir", mountPath: "/csi" };
const config = { name: "vsphere-config-volume", mountPath: "/etc/cloud", readOnly: true };
const healthz = { httpGet: { path: "/healthz", port: "healthz" }, initialDelaySeconds: 10, timeoutSeconds: 3, periodSeconds: 5, failureThreshold: 3 };

type Rule = [apiGroup: string, resources: string[], verbs: string[]];
const rules = (list: Rule[]) => list.map(([g, resources, verbs]) => ({ apiGroups: [g], resources, verbs }));
const read = ["get", "list", "watch"];

const controllerRules: Rule[] = [
  ["", ["nodes", "pods"], read],
  ["", ["configmaps"], [...read, "create"]],
  ["", ["persistentvolumeclaims"], [...read, "update"]],
  ["", ["persistentvolumeclaims/status"], ["patch"]],
  ["", ["persistentvolumes"], [...read, "create", "update", "delete", "patch"]],
  ["", ["events"], [...read, "create", "update", "patch"]],
  ["coordination.k8s.io", ["leases"], [...read, "delete", "update", "create"]],
  ["storage.k8s.io", ["storageclasses", "csinodes"], read],
  ["storage.k8s.io", ["volumeattachments"], [...read, "patch"]],
  ["storage.k8s.io", ["volumeattachments/status"], ["patch"]],
  ["cns.vmware.com", ["triggercsifullsyncs"], ["create", "get", "update", "watch", "list"]],
  ["cns.vmware.com", ["cnsvspherevolumemigrations"], [...read, "create", "update", "delete"]],
  ["cns.vmware.com", ["cnsvolumeinfoes"], [...read, "create", "delete"]],
  ["cns.vmware.com", ["cnsvolumeoperationrequests"], ["create", "get", "list", "update", "delete"]],
  ["cns.vmware.com", ["csinodetopologies"], ["get", "update", "watch", "list"]],
  ["apiextensions.k8s.io", ["customresourcedefinitions"], ["get", "create", "update"]],
];

function rbac(spec: ClusterSpec, sa: string, clusterRules: Rule[], nsRules: Rule[]): K8sObject[] {
  const subjects = [{ kind: "ServiceAccount", name: sa, namespace: ns }];
  const out: K8sObject[] = [
    { apiVersion: "v1", kind: "ServiceAccount", metadata: meta(spec, sa, ns) },
    { apiVersion: "rbac.authorization.k8s.io/v1", kind: "ClusterRole", metadata: meta(spec, `${sa}-role`), rules: rules(clusterRules) },
    {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "ClusterRoleBinding",
      metadata: meta(spec, `${sa}-binding`),
      subjects,
      roleRef: { kind: "ClusterRole", name: `${sa}-role`, apiGroup: "rbac.authorization.k8s.io" },
    },
  ];
  if (nsRules.length) {
    out.push(
      { apiVersion: "rbac.authorization.k8s.io/v1", kind: "Role", metadata: meta(spec, `${sa}-ns-role`, ns), rules: rules(nsRules) },
      {
        apiVersion: "rbac.authorization.k8s.io/v1",
        kind: "RoleBinding",
        metadata: meta(spec, `${sa}-ns-binding`, ns),
        subjects,
        roleRef: { kind: "Role", name: `${sa}-ns-role`, apiGroup: "rbac.authorization.k8s.io" },
      },
    );
  }
  return out;
}

/** Feature states the driver reads at start; absent keys are off. */
const featureStates: Record<string, string> = {
  "csi-migration": "false",
  "csi-auth-check": "true",
  "online-volume-extend": "true",
  "trigger-csi-fullsync": "false",
  "async-query-volume": "true",
  "improved-csi-idempotency": "true",
  "improved-volume-topology": "true",
  "block-volume-snapshot": "false",
  "csi-windows-support": "false",
  "use-csinode-id": "true",
  "list-volumes": "true",
  "pv-to-backingdiskobjectid-mapping": "false",
  "cnsmgr-suspend-create-volume": "true",
  "topology-preferential-datastores": "true",
  "max-pvscsi-targets-per-vm": "true",
  "multi-vcenter-csi-topology": "true",
};

function sidecar(name: string, image: string, extraArgs: string[]): Record<string, unknown> {
  return {
    name,
    image,
    args: ["--v=4", "--timeout=300s", "--csi-address=$(ADDRESS)", "--kube-api-qps=100", "--kube-api-burst=100", ...leaderElection, ...extraArgs],
    env: [{ name: "ADDRESS", value: "/csi/csi.sock" }],
    volumeMounts: [socket],
  };
}

function controller(spec: ClusterSpec, img: VsphereCsiRelease): K8sObject {
  const replicas = Math.min(Math.max(spec.controlPlane.count, 1), 3);
  const labels = { app: "vsphere-csi-controller", role: "vsphere-csi" };
  const driverEnv = [
    { name: "VSPHERE_CSI_CONFIG", value: `/etc/cloud/${vsphereCsi.configFile}` },
    { name: "LOGGER_LEVEL", value: "PRODUCTION" },
    { name: "INCLUSTER_CLIENT_QPS", value: "100" },
    { name: "INCLUSTER_CLIENT_BURST", value: "100" },
    csiNamespaceEnv,
  ];
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: meta(spec, "vsphere-csi-controller", ns),
    spec: {
      replicas,
      strategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } },
      selector: { matchLabels: { app: "vsphere-csi-controller" } },
      template: {
        metadata: { labels },
        spec: {
          priorityClassName: "system-cluster-critical",
          serviceAccountName: "vsphere-csi-controller",
          nodeSelector: { "node-role.kubernetes.io/control-plane": "" },
          tolerations: [{ key: "node-role.kubernetes.io/control-plane", operator: "Exists", effect: "NoSchedule" }],
          affinity: {
            podAntiAffinity: {
              requiredDuringSchedulingIgnoredDuringExecution: [
                { labelSelector: { matchExpressions: [{ key: "app", operator: "In", values: ["vsphere-csi-controller"] }] }, topologyKey: "kubernetes.io/hostname" },
              ],
            },
          },
          securityContext: { runAsNonRoot: true, runAsUser: 65532, runAsGroup: 65532, seccompProfile: { type: "RuntimeDefault" } },
          // vCenter is resolved with the node's DNS, which may know names the cluster's does not.
          dnsPolicy: "Default",
          containers: [
            sidecar("csi-attacher", img.attacher, []),
            sidecar("csi-resizer", img.resizer, ["--handle-volume-inuse-error=false"]),
            {
              name: "vsphere-csi-controller",
              image: img.driver,
              args: [...fss],
              env: [
                { name: "CSI_ENDPOINT", value: "unix:///csi/csi.sock" },
                { name: "X_CSI_MODE", value: "controller" },
                { name: "X_CSI_SPEC_DISABLE_LEN_CHECK", value: "true" },
                { name: "X_CSI_SERIAL_VOL_ACCESS_TIMEOUT", value: "3m" },
                ...driverEnv,
              ],
              volumeMounts: [config, socket],
              ports: [
                { name: "healthz", containerPort: 9808, protocol: "TCP" },
                { name: "prometheus", containerPort: 2112, protocol: "TCP" },
              ],
              livenessProbe: healthz,
            },
            { name: "liveness-probe", image: img.livenessProbe, args: ["--v=4", "--csi-address=/csi/csi.sock"], volumeMounts: [socket] },
            {
              name: "vsphere-syncer",
              image: img.syncer,
              args: [...leaderElection, ...fss],
              env: [{ name: "FULL_SYNC_INTERVAL_MINUTES", value: "30" }, ...driverEnv],
              ports: [{ name: "prometheus", containerPort: 2113, protocol: "TCP" }],
              volumeMounts: [config],
            },
            sidecar("csi-provisioner", img.provisioner, ["--default-fstype=ext4"]),
          ],
          volumes: [
            { name: "vsphere-config-volume", secret: { secretName: vsphereCsi.secret } },
            { name: "socket-dir", emptyDir: {} },
          ],
        },
      },
    },
  };
}

function nodePlugin(spec: ClusterSpec, img: VsphereCsiRelease): K8sObject {
  const plugin = `/var/lib/kubelet/plugins/${driverName}`;
  const hostPath = (name: string, path: string, type: string) => ({ name, hostPath: { path, type } });
  return {
    apiVersion: "apps/v1",
    kind: "DaemonSet",
    metadata: meta(spec, "vsphere-csi-node", ns),
    spec: {
      selector: { matchLabels: { app: "vsphere-csi-node" } },
      updateStrategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 1 } },
      template: {
        metadata: { labels: { app: "vsphere-csi-node", role: "vsphere-csi" } },
        spec: {
          priorityClassName: "system-node-critical",
          nodeSelector: { "kubernetes.io/os": "linux" },
          serviceAccountName: "vsphere-csi-node",
          hostNetwork: true,
          dnsPolicy: "ClusterFirstWithHostNet",
          tolerations: [
            { operator: "Exists", effect: "NoSchedule" },
            { operator: "Exists", effect: "NoExecute" },
          ],
          containers: [
            {
              name: "node-driver-registrar",
              image: img.nodeDriverRegistrar,
              args: ["--v=5", "--csi-address=$(ADDRESS)", "--kubelet-registration-path=$(DRIVER_REG_SOCK_PATH)"],
              env: [
                { name: "ADDRESS", value: "/csi/csi.sock" },
                { name: "DRIVER_REG_SOCK_PATH", value: `${plugin}/csi.sock` },
              ],
              volumeMounts: [
                { name: "plugin-dir", mountPath: "/csi" },
                { name: "registration-dir", mountPath: "/registration" },
              ],
              livenessProbe: {
                exec: { command: ["/csi-node-driver-registrar", `--kubelet-registration-path=${plugin}/csi.sock`, "--mode=kubelet-registration-probe"] },
                initialDelaySeconds: 3,
              },
            },
            {
              name: "vsphere-csi-node",
              image: img.driver,
              args: [...fss],
              env: [
                { name: "NODE_NAME", valueFrom: { fieldRef: { fieldPath: "spec.nodeName" } } },
                { name: "CSI_ENDPOINT", value: "unix:///csi/csi.sock" },
                { name: "MAX_VOLUMES_PER_NODE", value: "59" },
                { name: "X_CSI_MODE", value: "node" },
                { name: "X_CSI_SPEC_REQ_VALIDATION", value: "false" },
                { name: "X_CSI_SPEC_DISABLE_LEN_CHECK", value: "true" },
                { name: "LOGGER_LEVEL", value: "PRODUCTION" },
                { name: "NODEGETINFO_WATCH_TIMEOUT_MINUTES", value: "1" },
                csiNamespaceEnv,
              ],
              // Mounting and formatting block devices on the host needs full privileges.
              securityContext: { privileged: true, capabilities: { add: ["SYS_ADMIN"] }, allowPrivilegeEscalation: true },
              volumeMounts: [
                { name: "plugin-dir", mountPath: "/csi" },
                { name: "pods-mount-dir", mountPath: "/var/lib/kubelet", mountPropagation: "Bidirectional" },
                { name: "device-dir", mountPath: "/dev" },
                { name: "blocks-dir", mountPath: "/sys/block" },
                { name: "sys-devices-dir", mountPath: "/sys/devices" },
              ],
              ports: [{ name: "healthz", containerPort: 9808, protocol: "TCP" }],
              livenessProbe: { ...healthz, timeoutSeconds: 5 },
            },
            { name: "liveness-probe", image: img.livenessProbe, args: ["--v=4", "--csi-address=/csi/csi.sock"], volumeMounts: [{ name: "plugin-dir", mountPath: "/csi" }] },
          ],
          volumes: [
            hostPath("registration-dir", "/var/lib/kubelet/plugins_registry", "Directory"),
            hostPath("plugin-dir", plugin, "DirectoryOrCreate"),
            hostPath("pods-mount-dir", "/var/lib/kubelet", "Directory"),
            hostPath("device-dir", "/dev", "Directory"),
            hostPath("blocks-dir", "/sys/block", "Directory"),
            hostPath("sys-devices-dir", "/sys/devices", "Directory"),
          ],
        },
      },
    },
  };
}

/** Every object of the driver except its credentials Secret (see vsphere.ts). */
export function vsphereCsiDriver(spec: ClusterSpec): K8sObject[] {
  const img = vsphereCsiRelease(spec.kubernetes.minor);
  // resolve() refuses vSphere storage on such a minor; reaching this is a bug, not bad input.
  if (!img) throw new Error(`no vSphere CSI driver release is pinned for Kubernetes ${spec.kubernetes.minor}`);
  return [
    namespace(spec, ns, "privileged"),
    { apiVersion: "storage.k8s.io/v1", kind: "CSIDriver", metadata: meta(spec, driverName), spec: { attachRequired: true, podInfoOnMount: false } },
    ...rbac(spec, "vsphere-csi-controller", controllerRules, []),
    ...rbac(spec, "vsphere-csi-node", [["cns.vmware.com", ["csinodetopologies"], ["create", "watch", "get", "patch"]], ["", ["nodes"], ["get"]]], [["", ["configmaps"], read]]),
    { apiVersion: "v1", kind: "ConfigMap", metadata: meta(spec, "internal-feature-states.csi.vsphere.vmware.com", ns), data: featureStates },
    {
      apiVersion: "v1",
      kind: "Service",
      metadata: meta(spec, "vsphere-csi-controller", ns, { labels: { app: "vsphere-csi-controller" } }),
      spec: {
        selector: { app: "vsphere-csi-controller" },
        ports: [
          { name: "ctlr", port: 2112, targetPort: 2112, protocol: "TCP" },
          { name: "syncer", port: 2113, targetPort: 2113, protocol: "TCP" },
        ],
      },
    },
    controller(spec, img),
    nodePlugin(spec, img),
  ];
}
