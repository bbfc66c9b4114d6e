/**
 * The EKS upgrade under mocks: the EksCluster component built for Kubernetes 1.33 and then, with the
 * same names, for 1.34 (a stack override, as a fleet upgrades one stack at a time), compared
 * resource by resource: what depends on what, which inputs change for the upgrade, the upgrade
 * policy and the timeouts. The same names make the mocks' invented IDs and ARNs the same, so what
 * differs is what `pulumi up` would change.
 */
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { planMocks } from "../cli/plan/mocks";
import { eksAddonVersions } from "../core/render/eks/addon-versions";
import { eksClusterArgs, type EksClusterArgs } from "../core/render/eks/args";
import { blueprintRaw, resolveRaw, stackConfigRaw } from "./support/fixtures";

type Inputs = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
interface Recorded {
  side: Side;
  resource: pulumi.Resource;
  type: string;
  name: string;
  dependsOn: pulumi.Resource[];
  customTimeouts: pulumi.CustomTimeouts | undefined;
  inputs: Inputs;
}

const GUARD = "pulumi-nodejs:dynamic/clusterkit:EksVersionGuard";
const CLUSTER = "aws:eks/cluster:Cluster";
const NODE_GROUP = "aws:eks/nodeGroup:NodeGroup";
const ADDON = "aws:eks/addon:Addon";
const LAUNCH_TEMPLATE = "aws:ec2/launchTemplate:LaunchTemplate";
const versions = { from: "1.33", to: "1.34" } as const;
type Side = keyof typeof versions;
const NAME = "upgrade";

const recorded: Recorded[] = [];
/** The build being registered: the first is complete before the second starts. */
let building: Side = "from";
const inputsByName: Record<Side, Map<string, Inputs>> = { from: new Map(), to: new Map() };

function argsFor(side: Side): EksClusterArgs {
  const bp = blueprintRaw("eks-standard");
  const cfg = stackConfigRaw("prod-us-east-1");
  cfg["clusterkit:clusterName"] = NAME;
  cfg["clusterkit:overrides"] = { kubernetesVersion: versions[side] };
  return eksClusterArgs(resolveRaw("eks-standard", bp, "prod-us-east-1", cfg).spec);
}

const of = (side: Side) => recorded.filter((r) => r.side === side);
const one = (side: Side, type: string, suffix = ""): Recorded => {
  const found = of(side).filter((r) => r.type === type && r.name === `${NAME}${suffix}`);
  assert.equal(found.length, 1, `one ${type} ${NAME}${suffix}`);
  return found[0];
};
const keyOf = (r: { type: string; name: string }) => `${r.type}::${r.name}`;
const inputsOf = (r: Recorded): Inputs => inputsByName[r.side].get(keyOf(r)) ?? {};

/** Everything `r` waits for, through explicit dependencies and their own. */
function closure(r: Recorded): Set<pulumi.Resource> {
  const byResource = new Map(recorded.map((x) => [x.resource, x]));
  const seen = new Set<pulumi.Resource>();
  const walk = (x: Recorded) => {
    for (const d of x.dependsOn) {
      if (seen.has(d)) continue;
      seen.add(d);
      const next = byResource.get(d);
      if (next) walk(next);
    }
  };
  walk(r);
  return seen;
}

/** Field paths whose values differ between two input objects. */
function changedPaths(a: unknown, b: unknown, at = ""): string[] {
  if (JSON.stringify(a) === JSON.stringify(b)) return [];
  if (a && b && typeof a === "object" && typeof b === "object" && !Array.isArray(a) && !Array.isArray(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    return keys.flatMap((k) => changedPaths((a as Inputs)[k], (b as Inputs)[k], at ? `${at}.${k}` : k));
  }
  return [at];
}

/** `type::name field` for every input that differs between the 1.33 and the 1.34 build. */
function upgradeChanges(): string[] {
  const before = new Map(of("from").map((r) => [keyOf(r), inputsOf(r)]));
  const after = new Map(of("to").map((r) => [keyOf(r), inputsOf(r)]));
  assert.deepEqual([...after.keys()].sort(), [...before.keys()].sort(), "the same resources, nothing created or removed");
  return [...after].flatMap(([k, v]) => changedPaths(before.get(k), v).map((p) => `${k} ${p}`)).sort();
}

describe("EKS upgrade 1.33 → 1.34 under mocks", () => {
  before(async () => {
    await pulumi.runtime.setMocks(
      {
        newResource: async (args) => {
          inputsByName[building].set(keyOf(args), args.inputs);
          const result = await planMocks.newResource(args);
          return { ...result, id: result.id || `${args.name}-id` };
        },
        call: (args) => planMocks.call(args),
      },
      "clusterkit",
      "eks-upgrade-test",
      false,
    );
    // Loaded after the mocks are set; require() so the component shares this file's SDK instance.
    const { EksCluster } = require("../components/eks") as typeof import("../components/eks");
    await pulumi.runtime.runInPulumiStack(async () => {
      pulumi.runtime.registerStackTransformation((a) => {
        const deps = a.opts.dependsOn;
        recorded.push({
          side: building,
          resource: a.resource,
          type: a.type,
          name: a.name,
          dependsOn: (Array.isArray(deps) ? deps : deps ? [deps] : []).filter((d): d is pulumi.Resource => pulumi.Resource.isInstance(d)),
          customTimeouts: (a.opts as pulumi.CustomResourceOptions).customTimeouts,
          inputs: {},
        });
        return undefined;
      });
      for (const side of Object.keys(versions) as Side[]) {
        building = side;
        new EksCluster(NAME, argsFor(side));
        // Every registration of this build reaches the mocks before the next build starts.
        await Promise.all(of(side).map((r) => new Promise((resolve) => r.resource.urn.apply(resolve))));
      }
      return {};
    });
  });

  it("guards the version: the cluster depends on a guard that holds the minor and where it is set", () => {
    const guard = one("to", GUARD, "-version");
    const cluster = one("to", CLUSTER);
    assert.ok(cluster.dependsOn.includes(guard.resource), "the cluster waits for the guard, whose diff runs first");
    assert.deepEqual(inputsOf(guard).version, "1.34");
    assert.equal(inputsOf(guard).file, "stacks/Pulumi.prod-us-east-1.yaml");
    assert.equal(inputsOf(guard).path, "config.clusterkit:overrides.kubernetesVersion");
    assert.equal(inputsOf(guard).clusterName, NAME);
  });

  it("orders the upgrade: control plane, then vpc-cni and kube-proxy, then node groups, then CoreDNS and EBS CSI", () => {
    const cluster = one("to", CLUSTER).resource;
    const addon = (n: string) => one("to", ADDON, `-${n}`);
    const groups = of("to").filter((r) => r.type === NODE_GROUP);
    assert.equal(groups.length, 2);
    for (const n of ["vpc-cni", "kube-proxy", "coredns", "aws-ebs-csi-driver"]) assert.ok(addon(n).dependsOn.includes(cluster), `${n} depends on the cluster itself`);
    for (const g of groups) {
      assert.ok(g.dependsOn.includes(cluster), `${g.name} depends on the cluster itself`);
      for (const n of ["vpc-cni", "kube-proxy"]) assert.ok(g.dependsOn.includes(addon(n).resource), `${g.name} waits for ${n}`);
      for (const n of ["coredns", "aws-ebs-csi-driver"]) assert.ok(addon(n).dependsOn.includes(g.resource), `${n} waits for ${g.name}`);
    }
    for (const lt of of("to").filter((r) => r.type === LAUNCH_TEMPLATE)) assert.ok(lt.dependsOn.includes(cluster), `${lt.name} waits for the control plane`);
  });

  it("changes only the minor, the guard, the new minor's add-on pins and the node groups' version", () => {
    const changes = upgradeChanges();
    const pins = (minor: string) => eksAddonVersions[minor];
    const movedAddons = (["vpc-cni", "kube-proxy", "coredns", "aws-ebs-csi-driver"] as const).filter((a) => pins("1.33")[a] !== pins("1.34")[a]);
    assert.deepEqual(movedAddons, ["kube-proxy", "coredns"], "the pins this test expects to move");
    assert.deepEqual(changes, [
      `${ADDON}::upgrade-coredns addonVersion`,
      `${ADDON}::upgrade-kube-proxy addonVersion`,
      `${CLUSTER}::upgrade version`,
      `${NODE_GROUP}::upgrade-general version`,
      `${NODE_GROUP}::upgrade-system version`,
      `${GUARD}::upgrade-version version`,
    ].sort());
    assert.equal(inputsOf(one("to", ADDON, "-coredns")).addonVersion, pins("1.34").coredns);
    assert.equal(inputsOf(one("to", NODE_GROUP, "-general")).version, "1.34", "the pinned minor, known in the preview");
  });

  it("moves nothing in parallel with the control plane: every resource that changes waits for it", () => {
    const cluster = one("to", CLUSTER);
    const guard = one("to", GUARD, "-version");
    const moving = new Set(upgradeChanges().map((c) => c.split(" ")[0]));
    const followers = of("to").filter((r) => moving.has(keyOf(r)) && r !== cluster && r !== guard);
    assert.equal(followers.length, 4, "two add-ons and two node groups move");
    // Also what moves when the same pulumi up changes a pool's template or an add-on's settings.
    for (const r of [...followers, ...of("to").filter((x) => [ADDON, NODE_GROUP, LAUNCH_TEMPLATE].includes(x.type))]) {
      assert.ok(closure(r).has(cluster.resource), `${r.type} ${r.name} waits for the control plane`);
    }
    assert.ok(!closure(guard).has(cluster.resource), "the guard comes first");
  });

  it("rolls nodes one at a time, overwrites add-on drift, and keeps AWS from skipping ahead unasked", () => {
    for (const g of of("to").filter((r) => r.type === NODE_GROUP)) assert.deepEqual(inputsOf(g).updateConfig, { maxUnavailable: 1 }, g.name);
    for (const a of of("to").filter((r) => r.type === ADDON)) assert.equal(inputsOf(a).resolveConflictsOnUpdate, "OVERWRITE", a.name);
    assert.deepEqual(inputsOf(one("to", CLUSTER)).upgradePolicy, { supportType: "EXTENDED" });
  });

  it("waits long enough for EKS: 90 minutes or more for the control plane, every batch of nodes", () => {
    const minutes = (t: string | undefined) => Number(/^(\d+)m$/.exec(t ?? "")?.[1] ?? NaN);
    assert.ok(minutes(one("to", CLUSTER).customTimeouts?.update) >= 90, "control plane update");
    for (const a of of("to").filter((r) => r.type === ADDON)) assert.ok(minutes(a.customTimeouts?.update) >= 30, a.name);
    // system: max 4 nodes, general: max 10, one at a time, 20 minutes a node.
    assert.equal(minutes(one("to", NODE_GROUP, "-system").customTimeouts?.update), 80);
    assert.equal(minutes(one("to", NODE_GROUP, "-general").customTimeouts?.update), 200);
  });
});
