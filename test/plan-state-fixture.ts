/**
 * Builds a `pulumi stack export` document for a stack as if it had just been deployed: the real
 * program runs under the plan's own mocks, and what it registers (inputs) and what the mocks answer
 * (outputs) become the state, secrets as ciphertext the way an export holds them. Built from the
 * program each time, the fixture never goes stale. The program runs once per process, so this is a
 * script: `node --import tsx test/plan-state-fixture.ts <project root> <stack>` prints the export.
 */
import * as pulumi from "@pulumi/pulumi";
import { isRpcSecret, unwrapRpcSecret } from "@pulumi/pulumi/runtime/rpc";
import { loadStackAlone } from "../core/load/project";
import { SECRET } from "../cli/plan/markers";
import { planMocks } from "../cli/plan/mocks";
import { offlineConfig } from "../cli/plan/offline-config";
import { runProgramOffline } from "../cli/plan/run-program";
import { HostKeyRotation } from "../providers/vsphere-node/resources";
import { KubeadmNode } from "../providers/kubeadm/resources";

const SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

/** What an export shows for a secret without --show-secrets. */
const encrypted = () => ({ [SIG_KEY]: SECRET_SIG, ciphertext: "v1:fixture-ciphertext-not-a-real-secret" });

/** Outputs the engine stores as secrets (additionalSecretOutputs) of clusterkit's own resources. */
const secretOutputs: Record<string, readonly string[]> = {
  "pulumi-nodejs:dynamic/clusterkit:KubeadmNode": KubeadmNode.secretOutputs,
  "pulumi-nodejs:dynamic/clusterkit:HostKeyRotation": HostKeyRotation.secretOutputs,
  "pulumi-nodejs:dynamic/clusterkit:HostPreparation": ["privateKey"],
};

/** A mock's answer as state JSON: secrets encrypted, anything that is no plain data dropped. */
function asState(v: unknown): unknown {
  if (isRpcSecret(v)) return encrypted();
  if (v === SECRET) return encrypted();
  if (Array.isArray(v)) return v.map(asState);
  if (pulumi.Resource.isInstance(v)) return undefined;
  if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, asState(x)]).filter(([, x]) => x !== undefined));
  return v;
}

export async function buildStateExport(root: string, stack: string): Promise<unknown> {
  const { spec } = loadStackAlone(root, stack);
  const { config, secretKeys } = offlineConfig(root, stack, spec.secrets.map((s) => s.key));
  const answered = new Map<string, { id: string | undefined; state: Record<string, unknown> }>();
  const mocks: pulumi.runtime.Mocks = {
    ...planMocks,
    newResource(args) {
      const r = planMocks.newResource(args) as { id: string | undefined; state: Record<string, unknown> };
      answered.set(`${args.type}::${args.name}`, r);
      return r;
    },
  };
  process.chdir(root);
  const run = await runProgramOffline({ root, project: "clusterkit", stack, config, secretKeys, mocks });
  const resources = run.resources.map((r) => {
    const answer = answered.get(`${r.type}::${r.name}`);
    const outputs = asState(answer?.state ?? {}) as Record<string, unknown>;
    for (const k of secretOutputs[r.type] ?? []) if (k in outputs) outputs[k] = encrypted();
    return {
      urn: r.urn,
      custom: r.custom,
      ...(r.custom ? { id: unwrapRpcSecret(answer?.id) ?? `${r.name}-id` } : {}),
      type: r.type,
      inputs: asState(r.inputs),
      ...(r.custom ? { outputs } : {}),
      ...(r.parent ? { parent: r.parent } : { parent: `urn:pulumi:${stack}::clusterkit::pulumi:pulumi:Stack::clusterkit-${stack}` }),
      dependencies: r.dependsOn,
    };
  });
  return {
    version: 3,
    deployment: {
      manifest: { time: "2026-01-01T00:00:00Z", magic: "", version: "v3.248.0" },
      secrets_providers: { type: "passphrase", state: { salt: "v1:fixture" } },
      resources: [
        { urn: `urn:pulumi:${stack}::clusterkit::pulumi:pulumi:Stack::clusterkit-${stack}`, custom: false, type: "pulumi:pulumi:Stack", outputs: {} },
        { urn: `urn:pulumi:${stack}::clusterkit::pulumi:providers:random::default_4_21_2`, custom: true, id: "00000000-0000-0000-0000-000000000000", type: "pulumi:providers:random", inputs: { version: "4.21.2" }, outputs: { version: "4.21.2" } },
        ...resources,
      ],
    },
  };
}

if (require.main === module) {
  const [root, stack] = process.argv.slice(2);
  void buildStateExport(root, stack).then((doc) => process.stdout.write(`${JSON.stringify(doc, null, 2)}\n`));
}
