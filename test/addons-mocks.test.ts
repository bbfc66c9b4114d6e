/**
 * The Addons component under Pulumi's mocks, for every platform × CNI × ingress (× exposure)
 * combination the rules accept: what it creates, through which provider, under which parent, and
 * in which order (the network check, then the CNI, then storage and ingress).
 */
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import type { AddonInstall } from "../core/render/addons/helm";
import type { K8sObject } from "../core/render/addons/k8s";
import { addonPlan } from "../core/render/addons/plan";
import { storageSecrets } from "../core/render/addons/storage";
import type { ClusterSpec } from "../core/spec";
import { captureAddons, standInPlatform, useMocks, type Captured } from "./addons-support/program";
import { combinations, storageVariants, type Combination } from "./addons-support/specs";

let resourceName: (ctx: { prefix: string }, o: K8sObject) => string;

before(async () => {
  await useMocks();
  resourceName = (await import("../components/addons/resources")).resourceName as typeof resourceName;
});

const secrets = () => ({ vspherePassword: pulumi.secret("vcenter-password-value"), cephUserKey: pulumi.secret("ceph-key-value") });

/** Captured ids (`type::name`) of an install's resources, from the plan. */
function idsOf(spec: ClusterSpec, byName: Map<string, Captured>, install: AddonInstall): string[] {
  const names = [
    ...[...install.namespaces, ...(install.prerequisites ?? []), ...install.objects].map((o) => resourceName({ prefix: spec.name }, o)),
    ...install.releases.map((r) => `${spec.name}-${r.name}`),
  ];
  return names.map((n) => {
    const c = byName.get(n);
    assert.ok(c, `${n} was created`);
    return `${c.type}::${c.name}`;
  });
}

function closure(resources: Captured[], id: string): Set<string> {
  const deps = new Map(resources.map((r) => [`${r.type}::${r.name}`, r.dependsOn]));
  const seen = new Set<string>();
  const walk = (x: string) => {
    for (const d of deps.get(x) ?? []) if (!seen.has(d)) (seen.add(d), walk(d));
  };
  walk(id);
  return seen;
}

async function check(c: Combination): Promise<void> {
  const { spec } = c;
  const run = await captureAddons(spec, { secrets: secrets() });
  assert.equal(run.error, undefined, String(run.error));
  const { resources } = run;
  const byName = new Map(resources.map((r) => [r.name, r]));
  const addonsId = `clusterkit:addons:Addons::${spec.name}`;
  const readyId = `test:platform:Ready::${spec.name}-ready`;
  const plan = addonPlan(spec);

  // Every resource the component creates is its child.
  const own = resources.filter((r) => r.type.startsWith("kubernetes:") || r.type.startsWith("aws:") || r.type === "pulumi:providers:aws");
  for (const r of own) assert.equal(r.parent, addonsId, `${r.name} is parented to Addons`);

  // The network identity record: never updated, so it keeps what the cluster was built with.
  const guard = byName.get(`${spec.name}-network-identity`)!;
  assert.deepEqual(guard.ignoreChanges, ["data"]);
  assert.deepEqual(guard.dependsOn, [readyId]);
  const guardId = `${guard.type}::${guard.name}`;

  // CNI first: after the platform and the network check.
  const cni = idsOf(spec, byName, plan.cni);
  assert.ok(cni.length > 0);
  for (const id of cni) {
    const deps = closure(resources, id);
    assert.ok(deps.has(readyId) && deps.has(guardId), `${id} waits for the platform and the network check`);
  }
  const cniMain = cni.filter((id) => id.includes(":helm.sh/v3:Release::") || id.includes(":DaemonSet::"));
  assert.ok(cniMain.length > 0);

  // Storage and ingress after the CNI.
  const later = [plan.storage.flatMap((i) => idsOf(spec, byName, i)), ...plan.ingress.map((i) => idsOf(spec, byName, i))];
  for (const id of later.flat()) {
    const deps = closure(resources, id);
    for (const m of cniMain) assert.ok(deps.has(m), `${id} waits for ${m}`);
  }
  // The controller after MetalLB's pool, which gives its LoadBalancer Service an address.
  if (plan.ingress.length === 2) {
    const [metallb, controller] = later.slice(1);
    const pool = metallb.find((id) => id.includes(":IPAddressPool::"))!;
    for (const id of controller) assert.ok(closure(resources, id).has(pool), `${id} waits for the address pool`);
  }
  // Storage classes after their drivers.
  for (const sc of resources.filter((r) => r.type === "kubernetes:storage.k8s.io/v1:StorageClass")) {
    const deps = closure(resources, `${sc.type}::${sc.name}`);
    for (const driver of resources.filter((r) => r.type === "kubernetes:apps/v1:Deployment" || (r.type.includes("Release") && !cniMain.includes(`${r.type}::${r.name}`) && plan.storage[0].releases.some((p) => r.name === `${spec.name}-${p.name}`)))) {
      assert.ok(deps.has(`${driver.type}::${driver.name}`), `${sc.name} waits for ${driver.name}`);
    }
  }

  // Releases: the pinned chart, from its repository, in a namespace we made.
  for (const p of [plan.cni, ...plan.storage, ...plan.ingress].flatMap((i) => i.releases)) {
    const r = byName.get(`${spec.name}-${p.name}`)!;
    assert.equal(r.inputs.chart, p.chart.chart);
    assert.equal(r.inputs.version, p.chart.version);
    assert.deepEqual(r.inputs.repositoryOpts, { repo: p.chart.repo });
    assert.equal(r.inputs.createNamespace, false);
    // Only the live EKS cluster knows its endpoint (and, in ENI mode, the operator's IAM role); the plan shows placeholders there.
    const actual = r.inputs.values as Record<string, unknown>;
    const live = spec.platform.kind === "eks" ? Object.fromEntries(["k8sServiceHost", "serviceAccounts"].filter((k) => k in p.values).map((k) => [k, actual[k]])) : {};
    assert.deepEqual(r.inputs.values, { ...p.values, ...live });
  }

  // Credentials are Pulumi secrets, and only there.
  for (const s of storageSecrets(spec, { vspherePassword: "", cephUserKey: "" })) {
    const r = byName.get(resourceName({ prefix: spec.name }, s))!;
    assert.ok(r.secretInputs.includes("stringData"), `${r.name} holds its credentials as a secret`);
  }
  for (const r of resources.filter((x) => x.type !== "kubernetes:core/v1:Secret")) {
    const text = JSON.stringify(r.inputs);
    assert.ok(!text.includes("vcenter-password-value") && !text.includes("ceph-key-value"), `${r.name} carries no credential`);
  }

  // OIDC: an output for users, a secret; EKS gets an IdentityProviderConfig.
  assert.equal(run.outputs.oidcKubeconfig !== undefined, spec.oidc !== null);
  if (spec.oidc) assert.ok(run.secretOutputs.includes("oidcKubeconfig"));
  assert.equal(resources.some((r) => r.type === "aws:eks/identityProviderConfig:IdentityProviderConfig"), spec.oidc !== null && spec.platform.kind === "eks");
  assert.equal(run.outputs.cni, `${spec.cni.kind} ${spec.cni.version}`);
}

describe("Addons under mocks: every allowed combination", () => {
  for (const c of [...combinations(), ...storageVariants()]) it(c.label, () => check(c));
});

describe("Addons under mocks: platform specifics", () => {
  it("EKS with kube-proxy replacement: Cilium reaches the API server at the cluster's endpoint", async () => {
    const c = combinations().find((x) => x.label === "eks cilium-eni-kpr-wireguard nginx nlb")!;
    const run = await captureAddons(c.spec);
    const cilium = run.resources.find((r) => r.name === `${c.spec.name}-cilium`)!;
    const values = cilium.inputs.values as Record<string, unknown>;
    assert.equal(values.k8sServiceHost, "abcdef.gr7.us-east-1.eks.amazonaws.com");
    assert.equal(values.k8sServicePort, 443);
  });

  it("an oci:// chart mirror: every release is one chart reference below it, with no repository", async () => {
    const c = combinations().find((x) => x.label === "baremetal cilium traefik pool")!;
    const oci = "oci://registry.example.internal/charts";
    const spec: ClusterSpec = {
      ...c.spec,
      name: "t-ba-oci-mirror",
      mirrors: { images: null, charts: oci },
      cni: c.spec.cni.kind === "cilium" ? { ...c.spec.cni, chart: { ...c.spec.cni.chart, repo: oci } } : c.spec.cni,
      ingress: c.spec.ingress.kind === "traefik" ? { ...c.spec.ingress, chart: { ...c.spec.ingress.chart, repo: oci } } : c.spec.ingress,
    };
    const run = await captureAddons(spec);
    const releases = run.resources.filter((r) => r.type === "kubernetes:helm.sh/v3:Release");
    assert.deepEqual(releases.map((r) => r.inputs.chart).sort(), [`${oci}/cilium`, `${oci}/metallb`, `${oci}/traefik`]);
    for (const r of releases) assert.equal(r.inputs.repositoryOpts, undefined, `${r.name} names no repository`);
  });

  it("EFS classes bring the EFS CSI add-on with a role only its controller can assume", async () => {
    const c = storageVariants().find((x) => x.platform === "eks")!;
    const run = await captureAddons(c.spec);
    const addon = run.resources.find((r) => r.type === "aws:eks/addon:Addon")!;
    assert.equal(addon.inputs.addonName, "aws-efs-csi-driver");
    const role = run.resources.find((r) => r.type === "aws:iam/role:Role")!;
    const trust = JSON.parse(role.inputs.assumeRolePolicy as string);
    assert.deepEqual(trust.Statement[0].Condition.StringEquals, {
      "oidc.eks.us-east-1.amazonaws.com/id/ABC:sub": "system:serviceaccount:kube-system:efs-csi-controller-sa",
      "oidc.eks.us-east-1.amazonaws.com/id/ABC:aud": "sts.amazonaws.com",
    });
    const attachment = run.resources.find((r) => r.type === "aws:iam/rolePolicyAttachment:RolePolicyAttachment")!;
    assert.equal(attachment.inputs.policyArn, "arn:aws:iam::aws:policy/service-role/AmazonEFSCSIDriverPolicy");
  });

  it("a vSphere cluster without the vCenter password is refused, saying how to set it", async () => {
    const c = combinations().find((x) => x.platform === "vsphere")!;
    const k8s = await import("@pulumi/kubernetes");
    const { Addons } = await import("../components/addons");
    assert.throws(
      () => new Addons(`${c.spec.name}-nopw`, { spec: c.spec, platform: standInPlatform(c.spec, k8s), secrets: {} }),
      /needs these secrets for its storage:\n {2}pulumi config set --secret clusterkit:vspherePassword --stack vsphere-fra1/,
    );
  });
});
