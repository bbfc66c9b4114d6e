#!/usr/bin/env node
// Parser for `kubeadm init|join --config FILE` (used by the kubeadm STAND-IN).
// Usage: kubeadm-config.js init|join FILE. Prints the fields the stand-in uses
// as shell assignments (cfg_*=...) for `eval`, or a kubeadm-like error and
// exit 1. Uses the repo's `yaml` package so malformed YAML fails like it would
// for real; extracting everything here saves the stand-in a jq start per field.
"use strict";
const fs = require("fs");
const YAML = require("yaml");

const mode = process.argv[2];
const file = process.argv[3];
const fail = (msg) => {
  process.stderr.write(msg + "\nTo see the stack trace of this error execute with --v=5 or higher\n");
  process.exit(1);
};
let text;
try {
  text = file === "-" ? fs.readFileSync(0, "utf8") : fs.readFileSync(file, "utf8");
} catch (e) {
  fail(`unable to read config from "${file}" : open ${file}: ${e.code === "ENOENT" ? "no such file or directory" : e.message}`);
}
const docs = YAML.parseAllDocuments(text);
const out = { init: null, cluster: null, join: null, proxy: null, other: [] };
const KINDS = ["InitConfiguration", "ClusterConfiguration", "JoinConfiguration", "ResetConfiguration", "UpgradeConfiguration"];
for (const doc of docs) {
  if (doc.errors.length) {
    const e = doc.errors[0];
    fail(`error converting YAML to JSON: yaml: line ${e.linePos?.[0]?.line ?? 0}: ${e.message.split("\n")[0]}`);
  }
  const o = doc.toJS();
  if (o === null || o === undefined) continue;
  if (typeof o !== "object" || Array.isArray(o)) fail("error unmarshaling JSON: while decoding JSON: Object 'Kind' is missing in config");
  if (!o.kind) fail(`Object 'Kind' is missing in '${JSON.stringify(o).slice(0, 80)}'`);
  if (!o.apiVersion) fail(`Object 'apiVersion' is missing in '${JSON.stringify(o).slice(0, 80)}'`);
  const [group, version] = String(o.apiVersion).split("/");
  if (group !== "kubeadm.k8s.io") {
    if (o.kind === "KubeProxyConfiguration") out.proxy = o;
    out.other.push({ apiVersion: o.apiVersion, kind: o.kind });
    continue;
  }
  if (version !== "v1beta4") {
    if (version === "v1beta3") {
      // Real v1.33 still reads v1beta3 with a deprecation warning; the stand-in is
      // stricter on purpose so clusterkit keeps emitting the current API.
      fail(`stand-in kubeadm accepts only kubeadm.k8s.io/v1beta4: "${o.apiVersion}" (kind: "${o.kind}") is deprecated; run 'kubeadm config migrate --old-config old.yaml --new-config new.yaml'`);
    }
    if (["v1beta1", "v1beta2"].includes(version)) {
      fail(`your configuration file uses an old API spec: "${o.apiVersion}" (kind: "${o.kind}"). Please use kubeadm v1.22 instead and run 'kubeadm config migrate --old-config old.yaml --new-config new.yaml', which will write the new, similar spec using a newer API version.`);
    }
    fail(`no kind "${o.kind}" is registered for version "${o.apiVersion}" in scheme "k8s.io/kubernetes/cmd/kubeadm/app/apis/kubeadm/scheme/scheme.go:31"`);
  }
  if (!KINDS.includes(o.kind)) {
    fail(`no kind "${o.kind}" is registered for version "${o.apiVersion}" in scheme "k8s.io/kubernetes/cmd/kubeadm/app/apis/kubeadm/scheme/scheme.go:31"`);
  }
  if (o.kind === "InitConfiguration") out.init = o;
  if (o.kind === "ClusterConfiguration") out.cluster = o;
  if (o.kind === "JoinConfiguration") out.join = o;
}
const v1 = "(apiVersion: kubeadm.k8s.io/v1beta4)";
const get = (o, p) => p.split(".").reduce((x, k) => (x == null ? undefined : x[k]), o);
const shq = (v) => `'${String(v ?? "").replace(/'/g, `'\\''`)}'`;
const list = (v) => (Array.isArray(v) ? v.join(",") : "");
let fields;
if (mode === "init") {
  if (!out.init || !out.cluster) fail(`stand-in kubeadm init: ${file} must contain kind: InitConfiguration and kind: ClusterConfiguration ${v1}`);
  const tok = (get(out.init, "bootstrapTokens") || [])[0] || {};
  fields = {
    node_name: get(out.init, "nodeRegistration.name"),
    adv: get(out.init, "localAPIEndpoint.advertiseAddress"),
    token: tok.token,
    ttl: tok.ttl,
    cert_key: out.init.certificateKey,
    skip_phases: list(out.init.skipPhases),
    ignore: list(get(out.init, "nodeRegistration.ignorePreflightErrors")),
    cpe: out.cluster.controlPlaneEndpoint,
    k8s_version: out.cluster.kubernetesVersion,
    pod_subnet: get(out.cluster, "networking.podSubnet"),
    service_subnet: get(out.cluster, "networking.serviceSubnet"),
    cluster_name: out.cluster.clusterName,
    // kubeadm v1beta4 extraArgs: a list of {name, value}; the manifest carries them as --name=value.
    apiserver_args: (get(out.cluster, "apiServer.extraArgs") || []).map((a) => `--${a.name}=${a.value}`).join("\n"),
    // The kube-proxy ConfigMap's config.conf as kubeadm's addon/kube-proxy phase stores it: the
    // config's KubeProxyConfiguration (or kubeadm's defaults), pointed at the pod's kubeconfig.
    kube_proxy_conf: YAML.stringify({
      apiVersion: "kubeproxy.config.k8s.io/v1alpha1",
      kind: "KubeProxyConfiguration",
      mode: "iptables",
      ...out.proxy,
      clientConnection: { ...(out.proxy && out.proxy.clientConnection), kubeconfig: "/var/lib/kube-proxy/kubeconfig.conf" },
    }),
  };
} else if (mode === "join") {
  if (!out.join) fail(`stand-in kubeadm join: ${file} must contain kind: JoinConfiguration ${v1}`);
  const bt = get(out.join, "discovery.bootstrapToken") || {};
  const cp = out.join.controlPlane;
  fields = {
    endpoint: bt.apiServerEndpoint,
    token: bt.token || get(out.join, "discovery.tlsBootstrapToken"),
    hashes: list(bt.caCertHashes),
    unsafe: bt.unsafeSkipCAVerification === true ? 1 : 0,
    cp: cp && typeof cp === "object" ? 1 : 0,
    cert_key: get(cp, "certificateKey"),
    adv: get(cp, "localAPIEndpoint.advertiseAddress"),
    node_name: get(out.join, "nodeRegistration.name"),
    ignore: list(get(out.join, "nodeRegistration.ignorePreflightErrors")),
  };
} else if (mode === "phase") {
  // `kubeadm init phase control-plane|etcd|certs|addon --config FILE`: the InitConfiguration is
  // optional (kubeadm then takes the default interface's address), the ClusterConfiguration is not.
  if (!out.cluster) fail(`stand-in kubeadm init phase: ${file} must contain kind: ClusterConfiguration ${v1}`);
  const flags = (p) => (get(out.cluster, p) || []).map((a) => `--${a.name}=${a.value}`).join("\n");
  fields = {
    adv: get(out.init, "localAPIEndpoint.advertiseAddress"),
    apiserver_args: flags("apiServer.extraArgs"),
    controller_manager_args: flags("controllerManager.extraArgs"),
    scheduler_args: flags("scheduler.extraArgs"),
    etcd_args: flags("etcd.local.extraArgs"),
    // The serving certificate's names as kubeadm builds them: its own, the node's, apiServer.certSANs.
    apiserver_sans: (() => {
      const domain = get(out.cluster, "networking.dnsDomain") || "cluster.local";
      const names = ["kubernetes", "kubernetes.default", "kubernetes.default.svc", `kubernetes.default.svc.${domain}`];
      const node = get(out.init, "nodeRegistration.name");
      const adv = get(out.init, "localAPIEndpoint.advertiseAddress");
      const all = [...names, ...(node ? [node] : []), ...(adv ? [adv] : []), ...(get(out.cluster, "apiServer.certSANs") || [])];
      return [...new Set(all)].map((n) => (/^\d{1,3}(\.\d{1,3}){3}$/.test(n) ? `IP:${n}` : `DNS:${n}`)).join(",");
    })(),
  };
} else {
  fail(`usage: kubeadm-config.js init|join|phase FILE`);
}
process.stdout.write(Object.entries(fields).map(([k, v]) => `cfg_${k}=${shq(v)}\n`).join(""));
