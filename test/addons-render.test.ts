/** The add-on renderers, called directly on resolved specs. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parse } from "yaml";
import { apiServerFromUrl, ciliumValues, kubeadmApiServer } from "../core/render/addons/cilium";
import { flannelInstall } from "../core/render/addons/flannel";
import { ingressInstalls, nlbAnnotations } from "../core/render/addons/ingress";
import { localPathConfig } from "../core/render/addons/local-path";
import { bindingName, clusterTlsFromKubeconfig, eksIdentityProvider, oidcClusterRoleBindings, oidcIdentity, oidcKubeconfig } from "../core/render/addons/oidc";
import { networkIdentity } from "../core/render/addons/network-identity";
import { addonPlan } from "../core/render/addons/plan";
import { authenticationConfiguration } from "../core/render/kubeadm/apiserver/authentication";
import { defaultClassAnnotation, storageClasses } from "../core/render/addons/storage-classes";
import { storageSecretKeys, storageSecrets } from "../core/render/addons/storage";
import { csiConfigFile } from "../core/render/addons/vsphere";
import type { ClusterSpec } from "../core/spec";
import { specFor, storageVariants, variables } from "./addons-support/specs";

const cilium = (spec: ClusterSpec) => {
  if (spec.cni.kind !== "cilium") throw new Error("not cilium");
  return spec.cni;
};

describe("Cilium values", () => {
  it("kubeadm: Kubernetes IPAM, so pod addresses come from the spec's pod CIDR via the node CIDRs", () => {
    const spec = specFor("vsphere", (bp) => void (bp.cni = { kind: "cilium" }));
    const v = ciliumValues(spec, cilium(spec), kubeadmApiServer(spec));
    assert.deepEqual(v.ipam, { mode: "kubernetes" });
    assert.equal(v.kubeProxyReplacement, false);
    assert.equal(v.k8sServiceHost, undefined);
  });

  it("kube-proxy replacement points Cilium at the control-plane endpoint", () => {
    const spec = specFor("vsphere");
    const v = ciliumValues(spec, cilium(spec), kubeadmApiServer(spec));
    assert.equal(v.kubeProxyReplacement, true);
    assert.equal(v.k8sServiceHost, "10.3.10.10");
    assert.equal(v.k8sServicePort, 6443);
  });

  it("refuses kube-proxy replacement without an API server address", () => {
    const spec = specFor("vsphere");
    assert.throws(() => ciliumValues(spec, cilium(spec), null), /needs the API server address/);
  });

  it("Hubble and WireGuard are options", () => {
    const spec = specFor("baremetal", (bp) => void (bp.cni = { kind: "cilium", hubble: { enabled: true, ui: true }, encryption: "wireguard" }));
    const v = ciliumValues(spec, cilium(spec), null);
    assert.deepEqual(v.hubble, { enabled: true, relay: { enabled: true }, ui: { enabled: true } });
    assert.deepEqual(v.encryption, { enabled: true, type: "wireguard" });
  });

  it("EKS chaining keeps the VPC CNI; ENI mode replaces it and keeps VPC traffic unmasqueraded", () => {
    const chained = specFor("eks");
    const c = ciliumValues(chained, cilium(chained), null);
    assert.deepEqual(c.cni, { chainingMode: "aws-cni", exclusive: false });
    assert.equal(c.enableIPv4Masquerade, false);
    assert.equal(c.ipam, undefined);
    const eni = specFor("eks", (bp) => void (bp.cni = { kind: "cilium", eksMode: "eni", kubeProxyReplacement: true }));
    const e = ciliumValues(eni, cilium(eni), apiServerFromUrl("https://ABC.gr7.us-east-1.eks.amazonaws.com"));
    assert.deepEqual(e.ipam, { mode: "eni" });
    assert.deepEqual(e.eni, { enabled: true });
    assert.equal(e.ipv4NativeRoutingCIDR, "10.1.0.0/16");
    assert.equal(e.k8sServiceHost, "abc.gr7.us-east-1.eks.amazonaws.com", "host names are case-insensitive; URL lower-cases them");
    assert.equal(e.k8sServicePort, 443);
  });

  it("raw values are merged last and win", () => {
    const spec = specFor("vsphere", (bp) => void (bp.cni.values = { hubble: { relay: { enabled: false } }, operator: { replicas: 1 } }));
    const v = ciliumValues(spec, cilium(spec), kubeadmApiServer(spec)) as { hubble: { enabled: boolean; relay: { enabled: boolean } }; operator: unknown };
    assert.equal(v.hubble.relay.enabled, false);
    assert.equal(v.hubble.enabled, true, "curated keys next to the overridden one stay");
    assert.deepEqual(v.operator, { replicas: 1 });
  });
});

describe("Flannel", () => {
  it("takes the pod CIDR and backend from the spec, in a privileged kube-flannel namespace", () => {
    const spec = specFor("baremetal", (bp) => void (bp.cni = { kind: "flannel", backend: "host-gw" }));
    if (spec.cni.kind !== "flannel") throw new Error();
    const install = flannelInstall(spec, spec.cni);
    const values = install.releases[0].values as { podCidr: string; flannel: { backend: string }; netpol: { enabled: boolean } };
    assert.equal(values.podCidr, "10.66.0.0/16");
    assert.equal(values.flannel.backend, "host-gw");
    assert.equal(values.netpol.enabled, false);
    assert.equal(install.releases[0].namespace, "kube-flannel");
    assert.equal(install.namespaces[0].metadata.name, "kube-flannel");
    assert.equal(install.namespaces[0].metadata.labels?.["pod-security.kubernetes.io/enforce"], "privileged");
  });
});

describe("storage classes", () => {
  for (const [label, spec] of [["bare metal", specFor("baremetal")], ["vSphere", specFor("vsphere")], ...storageVariants().map((v) => [v.label, v.spec] as const)] as const) {
    it(`${label}: exactly one default; reclaim policy, binding mode and expansion explicit`, () => {
      const classes = storageClasses(spec);
      assert.equal(classes.filter((c) => c.metadata.annotations?.[defaultClassAnnotation] === "true").length, 1);
      for (const c of classes) {
        assert.ok(["true", "false"].includes(c.metadata.annotations?.[defaultClassAnnotation] ?? ""), `${c.metadata.name} says whether it is the default`);
        assert.equal(c.volumeBindingMode, "WaitForFirstConsumer");
        assert.ok(["Delete", "Retain"].includes(c.reclaimPolicy as string));
        assert.equal(typeof c.allowVolumeExpansion, "boolean");
      }
    });
  }

  it("EKS: encrypted gp3 default, io2 with its IOPS, EFS access points", () => {
    const spec = storageVariants()[1].spec;
    const byName = Object.fromEntries(storageClasses(spec).map((c) => [c.metadata.name, c]));
    assert.equal(byName.gp3.provisioner, "ebs.csi.aws.com");
    assert.deepEqual(byName.gp3.parameters, { type: "gp3", encrypted: "true", "csi.storage.k8s.io/fstype": "ext4" });
    assert.equal(byName.gp3.metadata.annotations?.[defaultClassAnnotation], "true");
    assert.deepEqual(byName.io2.parameters, { type: "io2", encrypted: "true", "csi.storage.k8s.io/fstype": "ext4", iops: "3000" });
    assert.equal(byName.io2.reclaimPolicy, "Retain");
    assert.equal(byName.shared.provisioner, "efs.csi.aws.com");
    assert.equal((byName.shared.parameters as Record<string, string>).fileSystemId, "fs-0123456789abcdef0");
  });

  it("vSphere: classes by storage policy", () => {
    const c = storageClasses(specFor("vsphere"))[0];
    assert.equal(c.provisioner, "csi.vsphere.vmware.com");
    assert.deepEqual(c.parameters, { storagepolicyname: "vSAN Default Storage Policy", "csi.storage.k8s.io/fstype": "ext4" });
  });

  it("bare metal: ceph-rbd names its cluster, pool and the credentials Secret", () => {
    const ceph = storageClasses(storageVariants()[0].spec).find((c) => c.provisioner === "rbd.csi.ceph.com")!;
    const p = ceph.parameters as Record<string, string>;
    assert.equal(p.clusterID, "5d2f8c3e-1b7a-4f0e-9c61-2d9d3f4a7b10");
    assert.equal(p.pool, "k8s-fast");
    assert.equal(p["csi.storage.k8s.io/node-stage-secret-name"], "csi-rbd-secret");
    assert.equal(p["csi.storage.k8s.io/provisioner-secret-namespace"], "ceph-csi-rbd");
  });

  it("local-path: each class its own directory, none for unknown classes", () => {
    const spec = specFor("baremetal", (bp) => void (bp.storage.classes.scratch = { kind: "local-path", path: "/var/scratch" }));
    const cfg = localPathConfig(spec) as { nodePathMap: unknown[]; storageClassConfigs: Record<string, { nodePathMap: { paths: string[] }[] }> };
    assert.deepEqual(cfg.nodePathMap, []);
    assert.deepEqual(cfg.storageClassConfigs["local-path"].nodePathMap[0].paths, ["/opt/local-path-provisioner"]);
    assert.deepEqual(cfg.storageClassConfigs.scratch.nodePathMap[0].paths, ["/var/scratch"]);
  });

  it("credentials come only from the secret values passed in", () => {
    const spec = specFor("vsphere");
    assert.deepEqual(storageSecretKeys(spec), ["vspherePassword"]);
    const text = JSON.stringify(storageSecrets(spec, { vspherePassword: "pa\"ss\\word", cephUserKey: "unused" }));
    assert.ok(text.includes("vcenter.fra1.example.com.password"));
    assert.match(csiConfigFile(spec, 'pa"ss\\word'), /password = "pa\\"ss\\\\word"/, "quotes and backslashes are escaped for gcfg");
    assert.deepEqual(storageSecretKeys(storageVariants()[0].spec), ["cephUserKey"]);
    assert.deepEqual(storageSecretKeys(specFor("eks")), []);
  });

  it("a vCenter thumbprint variable pins vCenter's certificate; TLS is verified either way", () => {
    const spec = specFor("vsphere", (bp, config) => {
      bp.variables.push({ name: "vcenterThumbprint", type: "string", description: "SHA-1 thumbprint of vCenter's certificate" });
      variables(config).vcenterThumbprint = "AB:CD:EF:01:23";
    });
    assert.match(csiConfigFile(spec, "x"), /thumbprint = "AB:CD:EF:01:23"/);
    assert.match(csiConfigFile(specFor("vsphere"), "x"), /insecure-flag = "false"/);
  });
});

describe("ingress", () => {
  it("EKS: NLB annotations carrying the cluster's tags, default IngressClass", () => {
    const spec = specFor("eks");
    const [install] = ingressInstalls(spec);
    const c = (install.releases[0].values as { controller: Record<string, any> }).controller; // eslint-disable-line @typescript-eslint/no-explicit-any
    assert.equal(c.service.type, "LoadBalancer");
    assert.equal(c.service.annotations["service.beta.kubernetes.io/aws-load-balancer-type"], "nlb");
    assert.match(nlbAnnotations(spec)["service.beta.kubernetes.io/aws-load-balancer-additional-resource-tags"], /clusterkit\.dev\/cluster=prod-us-east-1/);
    assert.deepEqual(c.ingressClassResource, { name: "nginx", enabled: true, default: true, controllerValue: "k8s.io/ingress-nginx" });
    assert.equal(c.allowSnippetAnnotations, false);
  });

  it("bare metal with a pool: MetalLB L2 first, with the stack's pool", () => {
    const installs = ingressInstalls(specFor("baremetal"));
    assert.deepEqual(installs.map((i) => i.releases[0].name), ["metallb", "traefik"]);
    const pool = installs[0].objects.find((o) => o.kind === "IPAddressPool")!;
    assert.deepEqual((pool.spec as { addresses: string[] }).addresses, ["10.5.0.240-10.5.0.250"]);
    assert.deepEqual((installs[0].objects.find((o) => o.kind === "L2Advertisement")!.spec as { ipAddressPools: string[] }).ipAddressPools, ["ingress"]);
  });

  it("no pool: host networking for ingress-nginx, NodePorts for Traefik, no MetalLB", () => {
    const nginx = ingressInstalls(specFor("baremetal", (bp, config) => {
      bp.ingress = { kind: "ingress-nginx", acknowledgeUnmaintained: true };
      delete variables(config).ingressAddressPool;
    }));
    assert.equal(nginx.length, 1);
    const c = (nginx[0].releases[0].values as { controller: Record<string, unknown> }).controller;
    assert.equal(c.hostNetwork, true);
    assert.equal(c.kind, "DaemonSet");
    assert.equal(nginx[0].namespaces[0].metadata.labels?.["pod-security.kubernetes.io/enforce"], "privileged");
    const traefik = ingressInstalls(specFor("vsphere", (bp, config) => {
      bp.ingress = { kind: "traefik" };
      delete variables(config).ingressAddressPool;
    }));
    const t = traefik[0].releases[0].values as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    assert.equal(t.service.type, "NodePort");
    assert.equal(t.ports.web.nodePort, 30080);
    assert.deepEqual(t.ingressClass, { enabled: true, isDefaultClass: true, name: "traefik" });
    assert.equal(traefik[0].namespaces[0].metadata.labels?.["pod-security.kubernetes.io/enforce"], "baseline");
  });

  it("none installs nothing", () => {
    assert.deepEqual(ingressInstalls(specFor("eks", (bp) => void (bp.ingress = { kind: "none" }))), []);
  });
});

describe("OIDC", () => {
  it("binds prefixed groups to the declared cluster roles", () => {
    const crbs = oidcClusterRoleBindings(specFor("eks"));
    assert.equal(crbs.length, 2);
    assert.deepEqual(crbs[0].subjects, [{ kind: "Group", apiGroup: "rbac.authorization.k8s.io", name: "oidc:platform-admins" }]);
    assert.deepEqual(crbs[0].roleRef, { kind: "ClusterRole", apiGroup: "rbac.authorization.k8s.io", name: "cluster-admin" });
    assert.notEqual(bindingName("Dev Ops", "view"), bindingName("dev-ops", "view"), "groups that read alike stay apart");
  });

  it("EKS's IdentityProviderConfig and the kubeconfig use the one identity", () => {
    const spec = specFor("eks");
    const idp = eksIdentityProvider(spec)!;
    const { identityProviderConfigName, ...identity } = idp;
    assert.equal(identityProviderConfigName, "clusterkit-oidc");
    assert.deepEqual(identity, oidcIdentity(spec.oidc!));
    const kc = parse(oidcKubeconfig(spec, "https://api.example", { "certificate-authority-data": "Q0E=" }, null));
    const exec = kc.users[0].user.exec;
    assert.equal(exec.command, "kubectl");
    assert.deepEqual(exec.args.slice(0, 4), ["oidc-login", "get-token", `--oidc-issuer-url=${identity.issuerUrl}`, `--oidc-client-id=${identity.clientId}`]);
    assert.ok(!exec.args.some((a: string) => a.startsWith("--oidc-client-secret")));
    assert.equal(kc.clusters[0].cluster["certificate-authority-data"], "Q0E=");
    assert.equal(eksIdentityProvider(specFor("vsphere")), null);
  });

  it("the kubeadm API server trusts exactly the identity the bindings and the kubeconfig assume", () => {
    const spec = specFor("vsphere", (bp) => {
      bp.oidc.usernameClaim = "preferred_username";
      bp.oidc.groupsPrefix = "sso:";
    });
    const id = oidcIdentity(spec.oidc!);
    const authn = authenticationConfiguration(spec) as { jwt: { issuer: { url: string; audiences: string[] }; claimMappings: { username: { claim: string; prefix: string }; groups: { claim: string; prefix: string } } }[] };
    const [jwt] = authn.jwt;
    assert.deepEqual(
      { issuerUrl: jwt.issuer.url, clientId: jwt.issuer.audiences[0], usernameClaim: jwt.claimMappings.username.claim, groupsClaim: jwt.claimMappings.groups.claim, usernamePrefix: jwt.claimMappings.username.prefix, groupsPrefix: jwt.claimMappings.groups.prefix },
      id,
    );
    assert.equal((oidcClusterRoleBindings(spec)[0].subjects as { name: string }[])[0].name, "sso:platform-admins");
  });

  it("the kubeconfig takes the admin kubeconfig's trust settings, never its credentials", () => {
    const admin = "clusters:\n- cluster:\n    server: https://x\n    certificate-authority-data: Q0E=\nusers:\n- name: admin\n  user:\n    client-key-data: S0VZ\n";
    assert.deepEqual(clusterTlsFromKubeconfig(admin), { "certificate-authority-data": "Q0E=" });
  });
});

describe("network identity", () => {
  it("records the CNI (with the EKS datapath) and the pod CIDR", () => {
    assert.deepEqual(networkIdentity(specFor("baremetal")), { cni: "flannel", podCidr: "10.66.0.0/16" });
    assert.deepEqual(networkIdentity(specFor("eks")), { cni: "cilium-chaining", podCidr: "vpc" });
    assert.deepEqual(networkIdentity(specFor("eks", (bp) => void (bp.cni.eksMode = "eni"))), { cni: "cilium-eni", podCidr: "vpc" });
  });
});

describe("plan", () => {
  it("every example's add-ons render, CNI first", () => {
    for (const platform of ["baremetal", "vsphere", "eks"] as const) {
      const plan = addonPlan(specFor(platform));
      assert.equal(plan.networkIdentity.metadata.name, "clusterkit-network-identity");
      assert.ok(plan.cni.releases.length + plan.cni.objects.length > 0, `${platform} has a CNI`);
    }
  });
});
