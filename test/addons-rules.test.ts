/** Resolution rules for add-ons: each refusal names the file and field and explains itself. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { replaceOnlyChanges } from "../core/resolve/rules/cni";
import { describeIssues, issuesOf } from "./support/fixtures";
import { resolvedFor, specFor, variables, type PlatformKind } from "./addons-support/specs";
import type { Raw } from "./support/fixtures";

interface Case {
  name: string;
  platform: PlatformKind;
  change: (bp: Raw, config: Raw) => void;
  path: string;
  message: RegExp;
}

const refused: Case[] = [
  { name: "Weave without the acknowledgement", platform: "baremetal", change: (bp) => void (bp.cni = { kind: "weave" }), path: "cni.acknowledgeUnmaintained", message: /unmaintained since 2021/ },
  { name: "Flannel on EKS", platform: "eks", change: (bp) => void (bp.cni = { kind: "flannel" }), path: "cni.kind", message: /flannel is not allowed on eks/ },
  {
    name: "Cilium kube-proxy replacement without a control-plane endpoint",
    platform: "vsphere",
    change: (bp, config) => {
      bp.controlPlane.count = 1;
      bp.controlPlane.endpoint = { kind: "first-node" };
      delete variables(config).nodeIps;
      delete variables(config).gateway;
      delete variables(config).nameservers;
    },
    path: "cni.kubeProxyReplacement",
    message: /endpoint known before Cilium starts/,
  },
  { name: "WireGuard with Cilium chained on the VPC CNI", platform: "eks", change: (bp) => void (bp.cni.encryption = "wireguard"), path: "cni.encryption", message: /not available when Cilium is chained/ },
  { name: "Hubble UI without Hubble", platform: "baremetal", change: (bp) => void (bp.cni = { kind: "cilium", hubble: { enabled: false, ui: true } }), path: "cni.hubble.ui", message: /needs hubble.enabled/ },
  {
    name: "two default storage classes",
    platform: "vsphere",
    change: (bp) => void (bp.storage.classes["vsan-retain"].default = true),
    path: "storage.classes",
    message: /exactly one storage class must be the default/,
  },
  { name: "no default storage class", platform: "eks", change: (bp) => void (bp.storage.classes.gp3.default = false), path: "storage.classes", message: /exactly one storage class must be the default/ },
  { name: "io2 without IOPS", platform: "eks", change: (bp) => void delete bp.storage.classes.io2.iops, path: "storage.classes.io2.iops", message: /provisioned IOPS/ },
  { name: "throughput on io2", platform: "eks", change: (bp) => void (bp.storage.classes.io2.throughputMiBps = 500), path: "storage.classes.io2.throughputMiBps", message: /only gp3/ },
  { name: "an expandable local-path class", platform: "baremetal", change: (bp) => void (bp.storage.classes["local-path"].allowVolumeExpansion = true), path: "storage.classes.local-path.allowVolumeExpansion", message: /cannot grow volumes/ },
  {
    name: "ceph-rbd classes with two Ceph clients",
    platform: "baremetal",
    change: (bp) => {
      const ceph = { kind: "ceph-rbd", clusterId: "c1", pool: "p", monitors: ["10.5.0.31:6789"] };
      bp.storage.classes.a = { ...ceph, userId: "alice" };
      bp.storage.classes.b = { ...ceph, userId: "bob" };
    },
    path: "storage.classes",
    message: /must name the same Ceph client/,
  },
  { name: "EBS on bare metal", platform: "baremetal", change: (bp) => void (bp.storage.classes.gp3 = { kind: "ebs" }), path: "storage.classes.gp3.kind", message: /not available on baremetal/ },
  { name: "an OIDC group prefix of system:", platform: "eks", change: (bp) => void (bp.oidc.groupsPrefix = "system:"), path: "oidc.groupsPrefix", message: /prefix of their own/ },
  { name: "an empty OIDC username prefix", platform: "vsphere", change: (bp) => void (bp.oidc.usernamePrefix = ""), path: "oidc.usernamePrefix", message: /prefix of their own/ },
  { name: "the same OIDC binding twice", platform: "eks", change: (bp) => void bp.oidc.bindings.push({ group: "developers", clusterRole: "view" }), path: "oidc.bindings[2]", message: /a second time/ },
  { name: "an IngressClass name that is no DNS label", platform: "eks", change: (bp) => void (bp.ingress.className = "Public_Web"), path: "ingress.className", message: /DNS label/ },
  { name: "ingress-nginx without the acknowledgement", platform: "baremetal", change: (bp) => void (bp.ingress = { kind: "ingress-nginx" }), path: "ingress.acknowledgeUnmaintained", message: /retired upstream in March 2026/ },
  {
    name: "ingress-nginx set by a stack override without the acknowledgement, blamed on the stack",
    platform: "vsphere",
    change: (_bp, config) => void (config["clusterkit:overrides"] = { ingress: { kind: "ingress-nginx", replicas: 3 } }),
    path: "config.clusterkit:overrides.ingress.acknowledgeUnmaintained",
    message: /retired upstream/,
  },
  { name: "an EFS class without a file system", platform: "eks", change: (bp) => void (bp.storage.classes.shared = { kind: "efs" }), path: "storage.classes.shared.fileSystemId", message: /./ },
];

describe("add-on rules refuse", () => {
  for (const c of refused) {
    it(c.name, () => {
      const issues = issuesOf(() => specFor(c.platform, c.change));
      const hit = issues.find((i) => i.path === c.path && c.message.test(i.message));
      assert.ok(hit, `expected an issue at ${c.path} matching ${c.message}; got:\n${describeIssues(issues)}`);
      assert.match(hit.file, /^(blueprints|stacks)\//, "the issue names the file to edit");
    });
  }
});

describe("add-on rules accept and warn", () => {
  const warned = (r: ReturnType<typeof resolvedFor>, re: RegExp) => r.warnings.some((w) => w.path === "cni.kind" && re.test(w.message));

  it("Weave with the acknowledgement, with a warning", () => {
    const r = resolvedFor("baremetal", (bp) => void (bp.cni = { kind: "weave", acknowledgeUnmaintained: true }));
    assert.equal(r.spec.cni.kind, "weave");
    assert.ok(warned(r, /unmaintained since 2021/));
  });

  it("ingress-nginx with the acknowledgement, with a warning; Traefik is the default and is not warned about", () => {
    const r = resolvedFor("baremetal", (bp) => void (bp.ingress = { kind: "ingress-nginx", acknowledgeUnmaintained: true }));
    assert.equal(r.spec.ingress.kind, "ingress-nginx");
    assert.ok(!("acknowledgeUnmaintained" in r.spec.ingress), "the acknowledgement is a gate, not part of the spec");
    assert.ok(r.warnings.some((w) => w.path === "ingress.kind" && /retired upstream in March 2026/.test(w.message)));
    const byDefault = resolvedFor("baremetal", (bp) => void delete bp.ingress);
    assert.equal(byDefault.spec.ingress.kind, "traefik");
    assert.ok(!byDefault.warnings.some((w) => w.path.startsWith("ingress")));
  });

  it("Flannel warns that it enforces no NetworkPolicy, unless kube-network-policies runs next to it", () => {
    assert.ok(warned(resolvedFor("baremetal"), /enforces no NetworkPolicy/));
    assert.ok(!warned(resolvedFor("baremetal", (bp) => void (bp.cni.networkPolicy = true)), /NetworkPolicy/));
  });

  it("Cilium ENI mode with WireGuard on EKS", () => {
    const spec = specFor("eks", (bp) => void (bp.cni = { kind: "cilium", eksMode: "eni", encryption: "wireguard" }));
    assert.equal(spec.cni.kind === "cilium" && spec.cni.eksMode, "eni");
  });
});

describe("replace-only: CNI and pod CIDR of a live cluster", () => {
  const built = { cni: "cilium", podCidr: "10.64.0.0/16" };

  it("a first install (nothing recorded) and an unchanged network pass", () => {
    assert.deepEqual(replaceOnlyChanges(undefined, built), []);
    assert.deepEqual(replaceOnlyChanges({}, built), []);
    assert.deepEqual(replaceOnlyChanges(built, { ...built }), []);
  });

  it("a different CNI or pod CIDR is refused, each with the way out", () => {
    const problems = replaceOnlyChanges(built, { cni: "flannel", podCidr: "10.99.0.0/16" });
    assert.equal(problems.length, 2);
    assert.match(problems[0], /^cni\.kind: the cluster was built with cilium and the blueprint now asks for flannel; this is replace-only/);
    assert.match(problems[1], /^networking\.podCidr: the cluster's pods use 10\.64\.0\.0\/16 and the configuration now says 10\.99\.0\.0\/16/);
    assert.ok(problems.every((p) => /build a new cluster \(a new stack\)/.test(p)));
  });
});
