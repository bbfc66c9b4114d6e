/**
 * Runs the Addons component under Pulumi's mocks with a stand-in platform (a stand-in Kubernetes
 * provider, a `ready` resource, platform inputs), recording every resource it registers with its
 * parent, dependencies and settled inputs. The plan's own mock outputs (cli/plan/mocks) apply.
 */
import * as pulumi from "@pulumi/pulumi";
import { planMocks } from "../../cli/plan/mocks";
import type { ClusterSpec } from "../../core/spec";
import type { PlatformResult } from "../../components/platform";

type State = Record<string, unknown>;

export interface Captured {
  type: string;
  name: string;
  parent: string | null;
  dependsOn: string[];
  inputs: State;
  secretInputs: string[];
  ignoreChanges: string[];
}

/** Per resource name: extra outputs the mock returns (e.g. a network identity recorded earlier). */
export const outputOverrides = new Map<string, (inputs: State) => State>();
/** Names of the resources the mock engine received, in order (what would reach a real engine). */
const registered: string[] = [];
let ready: Promise<void> | undefined;
// A program that fails inside an apply (as a refusal does) keeps rejecting the Outputs that
// depend on it after the capture has returned; a real engine turns the first into a failed update.
process.on("unhandledRejection", () => undefined);

export function useMocks(): Promise<void> {
  ready ??= pulumi.runtime.setMocks(
    {
      async newResource(args) {
        registered.push(args.name);
        const base = await planMocks.newResource(args);
        const extra = outputOverrides.get(args.name)?.(args.inputs) ?? {};
        return { id: base.id, state: { ...base.state, ...extra } };
      },
      call: (args) => planMocks.call(args),
    },
    "clusterkit",
    "addons-test",
    false,
  );
  return ready;
}

/** Resolves every Output inside a value, noting which top-level inputs were secret. */
async function settle(value: unknown): Promise<{ value: unknown; secret: boolean }> {
  if (pulumi.Output.isInstance(value)) {
    const o = value as pulumi.Output<unknown>;
    const [inner, isSecret] = await Promise.all([new Promise((r) => o.apply((v) => r(v))), pulumi.isSecret(o)]);
    const s = await settle(inner);
    return { value: s.value, secret: isSecret || s.secret };
  }
  if (value instanceof Promise) return settle(await value);
  if (Array.isArray(value)) {
    const items = await Promise.all(value.map(settle));
    return { value: items.map((i) => i.value), secret: items.some((i) => i.secret) };
  }
  if (value && typeof value === "object" && !pulumi.Resource.isInstance(value)) {
    const entries = await Promise.all(Object.entries(value).map(async ([k, v]) => [k, await settle(v)] as const));
    return { value: Object.fromEntries(entries.map(([k, s]) => [k, s.value])), secret: entries.some(([, s]) => s.secret) };
  }
  return { value, secret: false };
}

export interface StandIn {
  secrets?: Record<string, pulumi.Output<string>>;
}

const adminKubeconfig = (server: string) =>
  `apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster:\n    server: ${server}\n    certificate-authority-data: VEVTVC1DQQ==\nusers: []\ncontexts: []\n`;

/** A platform result as a platform builder would return it, with a stand-in Kubernetes provider. */
export function standInPlatform(spec: ClusterSpec, k8s: typeof import("@pulumi/kubernetes")): PlatformResult {
  const ready = new pulumi.ComponentResource("test:platform:Ready", `${spec.name}-ready`);
  const server = spec.platform.kind === "eks" ? "https://ABCDEF.gr7.us-east-1.eks.amazonaws.com" : `https://${(spec.controlPlane.endpoint as { host?: string }).host}:6443`;
  return {
    kubeconfig: pulumi.secret(adminKubeconfig(server)),
    provider: new k8s.Provider(`${spec.name}-stand-in`, { kubeconfig: "stand-in" }),
    apiServerUrl: pulumi.output(server),
    ready: [ready],
    component: ready,
    addonInputs:
      spec.platform.kind === "eks"
        ? {
            eksOidcProviderArn: pulumi.output("arn:aws:iam::111122223333:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/ABC"),
            eksOidcProviderUrl: pulumi.output("https://oidc.eks.us-east-1.amazonaws.com/id/ABC"),
            eksClusterName: pulumi.output(spec.name),
            // The EKS platform creates this role only in Cilium ENI mode, as here.
            ...(spec.cni.kind === "cilium" && spec.cni.eksMode === "eni" ? { eksCiliumOperatorRoleArn: pulumi.output(`arn:aws:iam::111122223333:role/${spec.name}-cilium-operator`) } : {}),
          }
        : {},
  };
}

/** Builds Addons for `spec` against a stand-in platform and returns what was registered. */
export async function captureAddons(spec: ClusterSpec, standIn: StandIn = {}): Promise<{ resources: Captured[]; outputs: State; secretOutputs: string[]; registered: string[]; error?: unknown }> {
  await useMocks();
  const k8s = await import("@pulumi/kubernetes");
  const { Addons } = await import("../../components/addons");
  const recorded: Recorded[] = [];
  let addons: InstanceType<typeof Addons> | undefined;
  const registeredFrom = registered.length;
  const run = pulumi.runtime.runInPulumiStack(async () => {
    pulumi.runtime.registerStackTransformation((args) => {
      const d = args.opts.dependsOn;
      const deps = (Array.isArray(d) ? d : d ? [d] : []).filter((x): x is pulumi.Resource => pulumi.Resource.isInstance(x));
      recorded.push({ res: args.resource, type: args.type, name: args.name, parent: args.opts.parent, deps, props: (args.props ?? {}) as State, ignoreChanges: (args.opts as pulumi.CustomResourceOptions).ignoreChanges ?? [] });
      return undefined;
    });
    addons = new Addons(spec.name, {
      spec,
      platform: standInPlatform(spec, k8s),
      secrets: standIn.secrets ?? {},
    });
    return {};
  });
  try {
    await run;
    return { ...(await settleAll(recorded)), ...(await outputsOf(addons)), registered: registered.slice(registeredFrom) };
  } catch (e) {
    await new Promise((r) => setTimeout(r, 300)); // let in-flight registrations land
    return { resources: [], outputs: {}, secretOutputs: [], registered: registered.slice(registeredFrom), error: e };
  }
}

type Recorded = { res: pulumi.Resource; type: string; name: string; parent?: pulumi.Resource; deps: pulumi.Resource[]; props: State; ignoreChanges: string[] };

async function settleAll(recorded: Recorded[]): Promise<{ resources: Captured[] }> {
  const names = new Map(recorded.map((r) => [r.res, `${r.type}::${r.name}`]));
  const resources: Captured[] = [];
  for (const r of recorded) {
    const secretInputs: string[] = [];
    const inputs: State = {};
    for (const [k, v] of Object.entries(r.props)) {
      const s = await settle(v);
      inputs[k] = s.value;
      if (s.secret) secretInputs.push(k);
    }
    resources.push({ type: r.type, name: r.name, parent: (r.parent && names.get(r.parent)) ?? null, dependsOn: r.deps.map((d) => names.get(d) ?? "?"), inputs, secretInputs, ignoreChanges: r.ignoreChanges });
  }
  return { resources };
}

async function outputsOf(addons: { cni: pulumi.Output<string>; networkIdentity: pulumi.Output<unknown>; oidcKubeconfig?: pulumi.Output<string> } | undefined): Promise<{ outputs: State; secretOutputs: string[] }> {
  const outputs: State = {};
  const secretOutputs: string[] = [];
  if (addons) {
    for (const k of ["cni", "networkIdentity", "oidcKubeconfig"] as const) {
      const o = addons[k];
      if (!o) continue;
      const s = await settle(o);
      outputs[k] = s.value;
      if (s.secret) secretOutputs.push(k);
    }
  }
  return { outputs, secretOutputs };
}
