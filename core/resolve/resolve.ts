/**
 * resolve(blueprint, stack) → ClusterSpec. Pure: no I/O, no Pulumi. Every rule runs even after
 * others fail, so the user sees all problems at once; any issue makes it throw ClusterkitError.
 */
import { ClusterkitError, joinPath, type Warning } from "../errors";
import { blueprintSchema, type Blueprint } from "../schema/blueprint";
import { zodIssues, type Locate } from "../schema/issues";
import { secretConfigKeys, type ClusterkitConfig, type SecretConfigKey } from "../schema/stack";
import type { ClusterSpec, SecretRef } from "../spec";
import { Collector, hasPath, type RuleContext, type SourceFiles } from "./context";
import { applicableOverrides, deepMerge, frozenOverrides } from "./overrides";
import { platformVariables } from "./platform-variables";
import { checkOidc, resolveIngress, resolveStorage } from "./rules/addons";
import { resolveBackup } from "./rules/backup";
import { resolveOsPatches } from "./rules/os-patches";
import { resolveCni } from "./rules/cni";
import { resolveControlPlane } from "./rules/control-plane";
import { resolveKubernetes } from "./rules/kubernetes";
import { checkAddresses, rangeOrigins, resolveNetworking } from "./rules/networking";
import { baremetalNodes, inventoryPools, vsphereNodes } from "./rules/nodes";
import { resolvePlatform } from "./rules/platform";
import { resolvePools } from "./rules/pools";
import { checkVsphereAddons } from "./rules/vsphere-addons";
import { declaredVariables, fillVariables } from "./variables";
import { mirroredChart } from "../mirrors";

export interface BlueprintSource {
  file: string;
  /** The parsed YAML document, not yet validated. */
  raw: unknown;
}

export interface StackSource {
  name: string;
  file: string;
  config: ClusterkitConfig;
  /** Config of other namespaces, as written (absent: none). */
  otherConfig?: Record<string, unknown>;
}

export interface Resolved {
  spec: ClusterSpec;
  warnings: Warning[];
  /** Where the node, pod and service ranges were set (fleet-wide overlap messages point there). */
  rangeOrigins: Record<"node" | "pod" | "service", { file: string; path: string }>;
}

/** Parses the blueprint with the stack's overrides applied, attributing each problem to its file. */
function parseBlueprint(bp: BlueprintSource, stack: StackSource, out: Collector): Blueprint | null {
  const overrides = stack.config.overrides;
  for (const path of frozenOverrides(overrides)) {
    out.add({ file: stack.file, path: joinPath(["config", "clusterkit:overrides", ...path]), message: "cannot be overridden; pick another blueprint instead" });
  }
  const merged = deepMerge(bp.raw, applicableOverrides(overrides));
  const result = blueprintSchema.safeParse(merged);
  if (!result.success) {
    const locate: Locate = (path) => {
      for (let i = path.length; i > 0; i--) {
        if (hasPath(overrides, path.slice(0, i))) return { file: stack.file, path: ["config", "clusterkit:overrides", ...path] };
      }
      return { file: bp.file, path };
    };
    out.add(...zodIssues(result.error, locate, [], merged, blueprintSchema));
    return null;
  }
  const expectedName = bp.file.replace(/^.*\//, "").replace(/\.ya?ml$/, "");
  if (result.data.name !== expectedName) {
    out.add({ file: bp.file, path: "name", message: "must match the file name", expected: JSON.stringify(expectedName), found: JSON.stringify(result.data.name) });
  }
  return result.data;
}

function secretRefs(bp: Blueprint, config: ClusterkitConfig): SecretRef[] {
  const needs: Record<SecretConfigKey, boolean | null> = {
    sshPrivateKey: bp.platform.kind === "eks" ? null : true,
    vspherePassword: bp.platform.kind === "vsphere" ? true : null,
    oidcClientSecret: bp.oidc ? false : null,
    cephUserKey: Object.values(bp.storage.classes).some((c) => c.kind === "ceph-rbd") ? true : null,
    // Scheduled snapshots are sealed on the control planes with a key derived from it.
    backupKey: bp.platform.kind === "eks" ? null : bp.backup.etcd.schedule.kind !== "none",
  };
  return (Object.keys(needs) as SecretConfigKey[])
    .filter((k) => needs[k] !== null)
    .map((k) => ({ key: `clusterkit:${k}`, purpose: secretConfigKeys[k], required: needs[k] === true, present: config[k] !== undefined }));
}

function tagsFor(bp: Blueprint, name: string, stack: StackSource, variables: Record<string, unknown>): Record<string, string> {
  const tags: Record<string, string> = {
    "clusterkit.dev/cluster": name,
    "clusterkit.dev/stack": stack.name,
    "clusterkit.dev/blueprint": bp.name,
    "clusterkit.dev/region": stack.config.region,
  };
  const wellKnown = platformVariables[bp.platform.kind];
  for (const [k, v] of Object.entries(variables)) {
    if (!(k in wellKnown) && ["string", "number", "boolean"].includes(typeof v)) tags[k] = String(v);
  }
  return tags;
}

export function resolve(bpSource: BlueprintSource, stack: StackSource): Resolved {
  const out = new Collector();
  const files: SourceFiles = { blueprintFile: bpSource.file, stackFile: stack.file, stackName: stack.name };
  const bp = parseBlueprint(bpSource, stack, out);
  if (!bp) throw new ClusterkitError(out.issues);

  const decls = declaredVariables(bp, files, out);
  const filled = fillVariables(decls, stack.config.variables, files, out);
  const ctx: RuleContext = {
    ...files,
    blueprint: bp,
    overrides: stack.config.overrides,
    variables: filled.values,
    variableOrigin: filled.origin,
    region: stack.config.region,
    clusterNameDefaulted: stack.config.clusterName === undefined,
    providerConfig: stack.otherConfig ?? {},
    out,
  };
  const name = stack.config.clusterName ?? stack.name;

  const kubernetes = resolveKubernetes(ctx);
  const platform = resolvePlatform(ctx, name);
  const hostCounts = bp.platform.kind === "baremetal" ? inventoryPools(ctx) : null;
  const nodePools = resolvePools(ctx, hostCounts);
  const cpCount = bp.controlPlane.count;
  const nodes =
    bp.platform.kind === "baremetal" ? baremetalNodes(ctx, nodePools, cpCount) : bp.platform.kind === "vsphere" ? vsphereNodes(ctx, name, nodePools, cpCount ?? 1) : [];
  const controlPlane = resolveControlPlane(ctx, nodes.find((n) => n.role === "control-plane")?.address ?? null);
  const networking = resolveNetworking(ctx);
  if (networking) checkAddresses(ctx, networking, nodes);
  const cni = resolveCni(ctx, kubernetes?.minor ?? null, controlPlane?.endpoint ?? null);
  const storage = resolveStorage(ctx);
  const ingress = resolveIngress(ctx);
  checkOidc(ctx);
  checkVsphereAddons(ctx, kubernetes?.minor ?? null);
  const backup = resolveBackup(ctx);
  const osPatches = resolveOsPatches(ctx);

  if (out.issues.length || !kubernetes || !platform || !controlPlane || !networking || !cni || !storage) {
    throw new ClusterkitError(out.issues);
  }

  const ep = controlPlane.endpoint;
  // Only what every control plane shares: kubeadm adds each node's own name and address to its
  // serving certificate, and these SANs are in the cluster-wide ClusterConfiguration, so listing
  // the control planes here would make every membership change a cluster reconfiguration.
  const certSANs = [...new Set([ep.kind !== "eks-managed" ? ep.host : null, networking.apiServerServiceIp, ...bp.controlPlane.certSANs].filter((x): x is string => !!x))];

  const mirrors = { images: bp.mirrors.images?.registry ?? null, charts: bp.mirrors.charts?.repository ?? null };
  const spec: ClusterSpec = {
    apiVersion: "clusterkit.dev/v1alpha1",
    kind: "ClusterSpec",
    name,
    stack: stack.name,
    blueprint: bp.name,
    region: stack.config.region,
    platform,
    kubernetes,
    controlPlane: { ...controlPlane, certSANs, extraArgs: stringFlags(bp.controlPlane.extraArgs) },
    nodePools,
    nodes,
    networking,
    // The spec names where each chart really comes from: the chart mirror, when one is set.
    cni: "chart" in cni ? { ...cni, chart: mirroredChart(mirrors.charts, cni.chart) } : cni,
    storage,
    ingress: ingress.kind === "none" ? ingress : { ...ingress, chart: mirroredChart(mirrors.charts, ingress.chart) },
    oidc: bp.oidc ?? null,
    mirrors,
    security: bp.security,
    upgrades: bp.upgrades,
    certificates: bp.certificates,
    backup,
    osPatches,
    variables: filled.values,
    tags: tagsFor(bp, name, stack, filled.values),
    secrets: secretRefs(bp, stack.config),
  };
  return { spec, warnings: out.warnings, rangeOrigins: rangeOrigins(ctx) };
}

/** Flag values as kubeadm takes them (strings), keys sorted so the rendering is stable. */
function stringFlags(a: Record<"controllerManager" | "scheduler" | "etcd", Record<string, string | number | boolean>>): ClusterSpec["controlPlane"]["extraArgs"] {
  const str = (m: Record<string, string | number | boolean>) => Object.fromEntries(Object.keys(m).sort().map((k) => [k, String(m[k])]));
  return { controllerManager: str(a.controllerManager), scheduler: str(a.scheduler), etcd: str(a.etcd) };
}
