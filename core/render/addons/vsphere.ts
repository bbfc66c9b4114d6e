/**
 * vSphere's cloud provider (CPI) and the configuration both it and the CSI driver read. The CPI
 * chart can write the credentials into its own Secret from Helm values, but values are stored in
 * the Helm release in clear text; so the chart runs with `config.enabled: false` and we supply the
 * `cloud-config` ConfigMap and the credentials Secrets, built from the vCenter password secret.
 *
 * TLS to vCenter is verified: against the system CAs, or against the SHA-1 thumbprint in the
 * stack variable `vcenterThumbprint` when vCenter uses its own (VMCA) certificate.
 */
import { stringify } from "yaml";
import type { ClusterSpec, VspherePlatformSpec } from "../../spec";
import { vsphereCpiChart } from "../../versions";
import { imageValues, mirroredChart, mirroredImage } from "../../mirrors";
import { withRawValues, type ReleasePlan } from "./helm";
import { meta, type K8sObject } from "./k8s";

export const vsphereCpi = { namespace: "kube-system", configMap: "cloud-config", secret: "vsphere-cloud-secret" } as const;
export const vsphereCsi = { namespace: "vmware-system-csi", secret: "vsphere-config-secret", configFile: "csi-vsphere.conf" } as const;

export type Vcenter = VspherePlatformSpec["vcenter"];

export function vcenterOf(spec: ClusterSpec): Vcenter {
  if (spec.platform.kind !== "vsphere") throw new Error("vsphere add-ons only run on the vsphere platform");
  return spec.platform.vcenter;
}

export function vcenterThumbprint(spec: ClusterSpec): string | null {
  const t = spec.variables.vcenterThumbprint;
  return typeof t === "string" && t ? t : null;
}

/** The CPI chart of the cluster's own Kubernetes minor: the CPI is supported against no other. */
export function cpiRelease(spec: ClusterSpec): ReleasePlan {
  const chart = vsphereCpiChart(spec.kubernetes.minor);
  // resolve() refuses such a minor on vSphere; reaching this is a bug, not bad input.
  if (!chart) throw new Error(`no vSphere CPI chart is pinned for Kubernetes ${spec.kubernetes.minor}`);
  // The chart takes its image as a repository without tag (`daemonset.image`) and adds its own tag.
  const images = imageValues(spec.mirrors.images, (m) => ({ "daemonset.image": mirroredImage(m, "registry.k8s.io/cloud-pv-vsphere/cloud-provider-vsphere") }));
  return { name: "vsphere-cpi", namespace: vsphereCpi.namespace, chart: mirroredChart(spec.mirrors.charts, chart), values: withRawValues({ config: { enabled: false } }, images) };
}

export function cpiCloudConfig(spec: ClusterSpec): K8sObject {
  const vc = vcenterOf(spec);
  const thumbprint = vcenterThumbprint(spec);
  const conf = {
    global: {
      port: 443,
      insecureFlag: false,
      ...(thumbprint ? { thumbprint } : {}),
      secretName: vsphereCpi.secret,
      secretNamespace: vsphereCpi.namespace,
    },
    vcenter: { [vc.server]: { server: vc.server, datacenters: [vc.datacenter] } },
  };
  return { apiVersion: "v1", kind: "ConfigMap", metadata: meta(spec, vsphereCpi.configMap, vsphereCpi.namespace), data: { "vsphere.conf": stringify(conf) } };
}

/** The CPI's credentials, keyed the way it looks them up: `<server>.username` and `<server>.password`. */
export function cpiCredentials(spec: ClusterSpec, password: string): K8sObject {
  const vc = vcenterOf(spec);
  return {
    apiVersion: "v1",
    kind: "Secret",
    metadata: meta(spec, vsphereCpi.secret, vsphereCpi.namespace),
    type: "Opaque",
    stringData: { [`${vc.server}.username`]: vc.user, [`${vc.server}.password`]: password },
  };
}

/** gcfg (INI) quoting: backslashes and double quotes are escaped inside "…". */
function quote(value: string): string {
  return `"${value.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
}

/** csi-vsphere.conf. `cluster-id` must be unique per vCenter: the cluster name is. */
export function csiConfigFile(spec: ClusterSpec, password: string): string {
  const vc = vcenterOf(spec);
  const thumbprint = vcenterThumbprint(spec);
  const lines = [
    "[Global]",
    `cluster-id = ${quote(spec.name)}`,
    "",
    `[VirtualCenter ${quote(vc.server)}]`,
    `insecure-flag = "false"`,
    ...(thumbprint ? [`thumbprint = ${quote(thumbprint)}`] : []),
    `user = ${quote(vc.user)}`,
    `password = ${quote(password)}`,
    `port = "443"`,
    `datacenters = ${quote(vc.datacenter)}`,
  ];
  return `${lines.join("\n")}\n`;
}

export function csiCredentials(spec: ClusterSpec, password: string): K8sObject {
  return {
    apiVersion: "v1",
    kind: "Secret",
    metadata: meta(spec, vsphereCsi.secret, vsphereCsi.namespace),
    type: "Opaque",
    stringData: { [vsphereCsi.configFile]: csiConfigFile(spec, password) },
  };
}
