/**
 * Every cross-field rule, as a table of bad inputs. Each row mutates an example blueprint or
 * stack and asserts the exact file and field path of the problem, and a phrase of the message.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { blueprintRaw, describeIssues, issuesOf, resolveRaw, stackConfigRaw, type Raw } from "./support/fixtures";

interface Case {
  name: string;
  blueprint: string;
  stack: string;
  mutate: (bp: Raw, cfg: Raw) => void;
  file: string;
  path: string;
  message: RegExp;
  hint?: RegExp;
}

const vars = (cfg: Raw) => cfg["clusterkit:variables"];

const cases: Case[] = [
  { name: "misspelled blueprint key", blueprint: "eks-standard", stack: "prod-us-east-1", mutate: (bp) => { bp.cni.hubbel = true; }, file: "blueprints/eks-standard.yaml", path: "cni.hubbel", message: /unknown key/, hint: /did you mean 'hubble'/ },
  { name: "misspelled top-level blueprint key", blueprint: "baremetal-ha", stack: "metal-ber1", mutate: (bp) => { bp.netwroking = bp.networking; delete bp.networking; }, file: "blueprints/baremetal-ha.yaml", path: "netwroking", message: /unknown key/, hint: /did you mean 'networking'/ },
  { name: "misspelled stack key", blueprint: "eks-standard", stack: "prod-us-east-1", mutate: (_bp, cfg) => { cfg["clusterkit:regoin"] = "x"; }, file: "stacks/Pulumi.prod-us-east-1.yaml", path: "config.clusterkit:regoin", message: /unknown key/, hint: /did you mean 'clusterkit:region'/ },
  { name: "misspelled region variable", blueprint: "eks-standard", stack: "prod-us-east-1", mutate: (_bp, cfg) => { vars(cfg).vpcCdir = vars(cfg).vpcCidr; }, file: "stacks/Pulumi.prod-us-east-1.yaml", path: "config.clusterkit:variables.vpcCdir", message: /unknown region variable/, hint: /did you mean 'vpcCidr'/ },
  { name: "missing required variable", blueprint: "vsphere-ha", stack: "vsphere-fra1", mutate: (_bp, cfg) => { delete vars(cfg).template; }, file: "stacks/Pulumi.vsphere-fra1.yaml", path: "config.clusterkit:variables.template", message: /required region variable is missing/ },
  { name: "wrongly typed variable", blueprint: "baremetal-ha", stack: "metal-ber1", mutate: (_bp, cfg) => { vars(cfg).nodeCidr = "10.5.0.1/24"; }, file: "stacks/Pulumi.metal-ber1.yaml", path: "config.clusterkit:variables.nodeCidr", message: /no host bits/ },
  { name: "even control-plane count", blueprint: "baremetal-ha", stack: "metal-ber1", mutate: (bp) => { bp.controlPlane.count = 2; }, file: "blueprints/baremetal-ha.yaml", path: "controlPlane.count", message: /must be odd/ },
  { name: "seven control planes", blueprint: "vsphere-ha", stack: "vsphere-fra1", mutate: (bp) => { bp.controlPlane.count = 7; }, file: "blueprints/vsphere-ha.yaml", path: "controlPlane.count", message: /more than 5 etcd members/ },
  { name: "control-plane count on EKS", blueprint: "eks-standard", stack: "prod-us-east-1", mutate: (bp) => { bp.controlPlane.count = 3; }, file: "blueprints/eks-standard.yaml", path: "controlPlane.count", message: /EKS runs its own control plane/ },
  { name: "scheduled etcd snapshots on EKS", blueprint: "eks-standard", stack: "prod-us-east-1", mutate: (bp) => { bp.backup = { etcd: { schedule: { kind: "systemd-timer" } } }; }, file: "blueprints/eks-standard.yaml", path: "backup.etcd.schedule.kind", message: /EKS runs etcd for you/, hint: /Velero/ },
  { name: "OS patch rounds on EKS", blueprint: "eks-standard", stack: "prod-us-east-1", mutate: (bp) => { bp.osPatches = { kind: "rolling", round: "2026-12" }; }, file: "blueprints/eks-standard.yaml", path: "osPatches.kind", message: /patched by new AMI releases/, hint: /release version changes/ },
  { name: "an OS patch round that is not a name", blueprint: "baremetal-ha", stack: "metal-ber1", mutate: (bp) => { bp.osPatches = { kind: "rolling", round: "next month" }; }, file: "blueprints/baremetal-ha.yaml", path: "osPatches.round", message: /must be a name of up to 63 letters/ },
  { name: "snapshot calendar that could break the unit file", blueprint: "baremetal-ha", stack: "metal-ber1", mutate: (bp) => { bp.backup = { etcd: { schedule: { kind: "systemd-timer", onCalendar: "hourly\nExecStart=/bin/sh" } } }; }, file: "blueprints/baremetal-ha.yaml", path: "backup.etcd.schedule.onCalendar", message: /OnCalendar= expression/ },
  { name: "flannel on EKS", blueprint: "eks-standard", stack: "prod-us-east-1", mutate: (bp) => { bp.cni = { kind: "flannel" }; }, file: "blueprints/eks-standard.yaml", path: "cni.kind", message: /flannel is not allowed on eks/, hint: /VPC/ },
  { name: "weave on EKS", blueprint: "eks-standard", stack: "prod-us-east-1", mutate: (bp) => { bp.cni = { kind: "weave", acknowledgeUnmaintained: true }; }, file: "blueprints/eks-standard.yaml", path: "cni.kind", message: /weave is not allowed on eks/ },
  { name: "weave without acknowledgement", blueprint: "baremetal-ha", stack: "metal-ber1", mutate: (bp) => { bp.cni = { kind: "weave" }; }, file: "blueprints/baremetal-ha.yaml", path: "cni.acknowledgeUnmaintained", message: /unmaintained since 2021/ },
  { name: "unknown CNI kind", blueprint: "baremetal-ha", stack: "metal-ber1", mutate: (bp) => { bp.cni = { kind: "calico" }; }, file: "blueprints/baremetal-ha.yaml", path: "cni.kind", message: /not a known kind/ },
  { name: "CNI not tested on the Kubernetes version", blueprint: "vsphere-ha", stack: "vsphere-fra1", mutate: (bp) => { bp.kubernetesVersion = "1.36"; }, file: "blueprints/vsphere-ha.yaml", path: "kubernetesVersion", message: /cilium 1\.20\.0 is not tested with Kubernetes 1\.36/ },
  { name: "unsupported kubeadm version", blueprint: "baremetal-ha", stack: "metal-ber1", mutate: (bp) => { bp.kubernetesVersion = "1.29"; }, file: "blueprints/baremetal-ha.yaml", path: "kubernetesVersion", message: /not a Kubernetes version clusterkit bootstraps/ },
  { name: "unsupported EKS version", blueprint: "eks-standard", stack: "prod-us-east-1", mutate: (bp) => { bp.kubernetesVersion = "1.29"; }, file: "blueprints/eks-standard.yaml", path: "kubernetesVersion", message: /not a Kubernetes version EKS supports/ },
  { name: "http OIDC issuer", blueprint: "eks-standard", stack: "prod-us-east-1", mutate: (bp) => { bp.oidc.issuerUrl = "http://login.example.com"; }, file: "blueprints/eks-standard.yaml", path: "oidc.issuerUrl", message: /only trusts OIDC issuers over https/ },
  { name: "pod range overlaps node range", blueprint: "baremetal-ha", stack: "metal-ber1", mutate: (_bp, cfg) => { vars(cfg).podCidr = "10.5.0.0/16"; }, file: "stacks/Pulumi.metal-ber1.yaml", path: "config.clusterkit:variables.podCidr", message: /pod range overlaps the node range/ },
  { name: "service range overlaps VPC", blueprint: "eks-standard", stack: "prod-us-east-1", mutate: (_bp, cfg) => { vars(cfg).serviceCidr = "10.1.128.0/20"; }, file: "stacks/Pulumi.prod-us-east-1.yaml", path: "config.clusterkit:variables.serviceCidr", message: /service range overlaps the node range/ },
  { name: "two default storage classes", blueprint: "eks-standard", stack: "prod-us-east-1", mutate: (bp) => { bp.storage.classes.io2.default = true; }, file: "blueprints/eks-standard.yaml", path: "storage.classes", message: /exactly one storage class must be the default/ },
  { name: "storage kind not on platform", blueprint: "baremetal-ha", stack: "metal-ber1", mutate: (bp) => { bp.storage.classes.gp3 = { kind: "ebs" }; }, file: "blueprints/baremetal-ha.yaml", path: "storage.classes.gp3.kind", message: /not available on baremetal/ },
  { name: "AZ of another region", blueprint: "eks-standard", stack: "prod-us-east-1", mutate: (_bp, cfg) => { vars(cfg).azs = ["us-east-1a", "us-west-2b"]; }, file: "stacks/Pulumi.prod-us-east-1.yaml", path: "config.clusterkit:variables.azs[1]", message: /not an availability zone of region us-east-1/ },
  { name: "single AZ", blueprint: "eks-standard", stack: "prod-us-east-1", mutate: (_bp, cfg) => { vars(cfg).azs = ["us-east-1a"]; }, file: "stacks/Pulumi.prod-us-east-1.yaml", path: "config.clusterkit:variables.azs", message: /at least two availability zones/ },
  { name: "desired above max", blueprint: "eks-standard", stack: "prod-us-east-1", mutate: (bp) => { bp.nodePools.general.desired = 11; }, file: "blueprints/eks-standard.yaml", path: "nodePools.general.desired", message: /within min and max/ },
  { name: "count and min together", blueprint: "eks-standard", stack: "prod-us-east-1", mutate: (bp) => { bp.nodePools.general.count = 3; }, file: "blueprints/eks-standard.yaml", path: "nodePools.general.count", message: /either count, or min and max/ },
  { name: "public endpoint without allow-list", blueprint: "eks-standard", stack: "prod-us-east-1", mutate: (bp) => { bp.controlPlane.endpoint.publicAccess = true; }, file: "blueprints/eks-standard.yaml", path: "controlPlane.endpoint.publicAccessCidrs", message: /explicit CIDR allow-list/ },
  { name: "kube-vip endpoint on EKS", blueprint: "eks-standard", stack: "prod-us-east-1", mutate: (bp) => { bp.controlPlane.endpoint = { kind: "kube-vip" }; }, file: "blueprints/eks-standard.yaml", path: "controlPlane.endpoint.kind", message: /managed endpoint/ },
  { name: "first-node with three control planes", blueprint: "baremetal-ha", stack: "metal-ber1", mutate: (bp) => { bp.controlPlane.endpoint = { kind: "first-node" }; }, file: "blueprints/baremetal-ha.yaml", path: "controlPlane.endpoint.kind", message: /single control plane/ },
  { name: "VIP is a node address", blueprint: "baremetal-ha", stack: "metal-ber1", mutate: (_bp, cfg) => { vars(cfg).controlPlaneVip = "10.5.0.11"; }, file: "stacks/Pulumi.metal-ber1.yaml", path: "config.clusterkit:variables.controlPlaneVip", message: /already node ber1-cp-1's address/ },
  { name: "VIP outside the node network", blueprint: "vsphere-ha", stack: "vsphere-fra1", mutate: (_bp, cfg) => { vars(cfg).controlPlaneVip = "10.9.0.10"; }, file: "stacks/Pulumi.vsphere-fra1.yaml", path: "config.clusterkit:variables.controlPlaneVip", message: /inside the node network/ },
  { name: "host outside the node network", blueprint: "baremetal-ha", stack: "metal-ber1", mutate: (_bp, cfg) => { vars(cfg).hosts[4].address = "10.6.0.15"; }, file: "stacks/Pulumi.metal-ber1.yaml", path: "config.clusterkit:variables.hosts[4].address", message: /outside the node network/ },
  { name: "duplicate host address", blueprint: "baremetal-ha", stack: "metal-ber1", mutate: (_bp, cfg) => { vars(cfg).hosts[5].address = "10.5.0.15"; }, file: "stacks/Pulumi.metal-ber1.yaml", path: "config.clusterkit:variables.hosts[5].address", message: /duplicates hosts\[4\]\.address/ },
  { name: "control-plane hosts fewer than count", blueprint: "baremetal-ha", stack: "metal-ber1", mutate: (_bp, cfg) => { vars(cfg).hosts[2].role = "worker"; }, file: "stacks/Pulumi.metal-ber1.yaml", path: "config.clusterkit:variables.hosts", message: /asks for 3 control plane/ },
  { name: "wrong number of static IPs", blueprint: "vsphere-ha", stack: "vsphere-fra1", mutate: (_bp, cfg) => { vars(cfg).nodeIps.pop(); }, file: "stacks/Pulumi.vsphere-fra1.yaml", path: "config.clusterkit:variables.nodeIps", message: /exactly one IP per node/ },
  { name: "VM size out of bounds", blueprint: "vsphere-ha", stack: "vsphere-fra1", mutate: (bp) => { bp.nodePools.workers.size.memoryMiB = 512; }, file: "blueprints/vsphere-ha.yaml", path: "nodePools.workers.size.memoryMiB", message: /outside sane bounds/ },
  { name: "ingress pool outside the node network", blueprint: "baremetal-ha", stack: "metal-ber1", mutate: (_bp, cfg) => { vars(cfg).ingressAddressPool = "10.99.0.1-10.99.0.9"; }, file: "stacks/Pulumi.metal-ber1.yaml", path: "config.clusterkit:variables.ingressAddressPool", message: /inside the node network/ },
  { name: "bad override is blamed on the stack", blueprint: "eks-standard", stack: "prod-us-east-1", mutate: (_bp, cfg) => { cfg["clusterkit:overrides"] = { ingress: { kind: "ingress-nginx", replicas: 0 } }; }, file: "stacks/Pulumi.prod-us-east-1.yaml", path: "config.clusterkit:overrides.ingress.replicas", message: /Too small|>= 1/i },
  { name: "override of the platform kind", blueprint: "eks-standard", stack: "prod-us-east-1", mutate: (_bp, cfg) => { cfg["clusterkit:overrides"] = { platform: { kind: "eks" } }; }, file: "stacks/Pulumi.prod-us-east-1.yaml", path: "config.clusterkit:overrides.platform.kind", message: /cannot be overridden/ },
  { name: "kube-proxy replacement without a known endpoint", blueprint: "vsphere-ha", stack: "vsphere-fra1", mutate: (bp, cfg) => { bp.controlPlane.count = 1; bp.controlPlane.endpoint = { kind: "first-node" }; delete vars(cfg).nodeIps; delete vars(cfg).gateway; }, file: "blueprints/vsphere-ha.yaml", path: "cni.kubeProxyReplacement", message: /endpoint known before Cilium starts/ },
  { name: "kube-proxy mode on EKS", blueprint: "eks-standard", stack: "prod-us-east-1", mutate: (bp) => { bp.networking = { ...bp.networking, kubeProxyMode: "nftables" }; }, file: "blueprints/eks-standard.yaml", path: "networking.kubeProxyMode", message: /EKS's managed add-on/, hint: /remove networking\.kubeProxyMode/ },
  { name: "kube-proxy mode while Cilium replaces kube-proxy", blueprint: "vsphere-ha", stack: "vsphere-fra1", mutate: (bp) => { bp.cni.kubeProxyReplacement = true; bp.networking = { ...bp.networking, kubeProxyMode: "iptables" }; }, file: "blueprints/vsphere-ha.yaml", path: "networking.kubeProxyMode", message: /no kube-proxy to configure/ },
  { name: "kube-proxy mode misspelt", blueprint: "baremetal-ha", stack: "metal-ber1", mutate: (bp) => { bp.networking = { ...bp.networking, kubeProxyMode: "nft" }; }, file: "blueprints/baremetal-ha.yaml", path: "networking.kubeProxyMode", message: /iptables|nftables/ },
  { name: "certSANs on EKS", blueprint: "eks-standard", stack: "prod-us-east-1", mutate: (bp) => { bp.controlPlane.certSANs = ["api.example.com"]; }, file: "blueprints/eks-standard.yaml", path: "controlPlane.certSANs", message: /EKS issues the API server's certificate/ },
  { name: "a certSAN that is no name", blueprint: "baremetal-ha", stack: "metal-ber1", mutate: (bp) => { bp.controlPlane.certSANs = ["API_server.example"]; }, file: "blueprints/baremetal-ha.yaml", path: "controlPlane.certSANs[0]", message: /DNS name .* or an IPv4 address/ },
  { name: "blueprint name differs from file", blueprint: "baremetal-ha", stack: "metal-ber1", mutate: (bp) => { bp.name = "other"; }, file: "blueprints/baremetal-ha.yaml", path: "name", message: /must match the file name/ },
];

describe("cross-field rules", () => {
  for (const c of cases) {
    it(c.name, () => {
      const bp = blueprintRaw(c.blueprint);
      const cfg = stackConfigRaw(c.stack);
      c.mutate(bp, cfg);
      const issues = issuesOf(() => resolveRaw(c.blueprint, bp, c.stack, cfg));
      const hit = issues.find((i) => i.file === c.file && i.path === c.path);
      assert.ok(hit, `expected an issue at ${c.file}: ${c.path}, got:\n${describeIssues(issues) || "(none)"}`);
      assert.match(`${hit.message} ${hit.expected ?? ""}`, c.message);
      if (c.hint) assert.match(hit.hint ?? "", c.hint);
    });
  }

  it("collects every problem at once", () => {
    const bp = blueprintRaw("baremetal-ha");
    const cfg = stackConfigRaw("metal-ber1");
    bp.controlPlane.count = 4;
    bp.oidc = { issuerUrl: "http://idp.example.com", clientId: "k8s" };
    vars(cfg).podCidr = "10.5.0.0/16";
    const paths = issuesOf(() => resolveRaw("baremetal-ha", bp, "metal-ber1", cfg)).map((i) => i.path);
    for (const p of ["controlPlane.count", "oidc.issuerUrl", "config.clusterkit:variables.podCidr"]) assert.ok(paths.includes(p), `${p} missing from ${paths.join(", ")}`);
  });

  it("a plain-text secret is refused without echoing it", () => {
    const cfg = stackConfigRaw("metal-ber1");
    const secret = "-----BEGIN OPENSSH PRIVATE KEY-----\nAAAAverysecret\n-----END OPENSSH PRIVATE KEY-----";
    cfg["clusterkit:sshPrivateKey"] = secret;
    const issues = issuesOf(() => resolveRaw("baremetal-ha", blueprintRaw("baremetal-ha"), "metal-ber1", cfg));
    const text = describeIssues(issues);
    assert.match(text, /config\.clusterkit:sshPrivateKey: holds a secret/);
    assert.match(text, /pulumi config set --secret clusterkit:sshPrivateKey/);
    assert.doesNotMatch(text, /verysecret|BEGIN OPENSSH/);
  });
});

describe("warnings", () => {
  it("weave with the acknowledgement resolves with a warning", () => {
    const bp = blueprintRaw("baremetal-ha");
    bp.cni = { kind: "weave", acknowledgeUnmaintained: true };
    const r = resolveRaw("baremetal-ha", bp, "metal-ber1", stackConfigRaw("metal-ber1"));
    assert.equal(r.spec.cni.kind, "weave");
    assert.ok(r.warnings.some((w) => w.path === "cni.kind" && /unmaintained since 2021/.test(w.message)));
  });
  it("flannel warns that it enforces no NetworkPolicy", () => {
    const r = resolveRaw("baremetal-ha", blueprintRaw("baremetal-ha"), "metal-ber1", stackConfigRaw("metal-ber1"));
    assert.ok(r.warnings.some((w) => /enforces no NetworkPolicy/.test(w.message)));
  });
});
