/**
 * The Pulumi program the real-engine tier (test/upstream-engine.test.ts) runs: index.ts's bare-metal
 * path with the same edge (config → resolveProgram → readSecrets), the same KubeadmCluster
 * BareMetalCluster builds, the same destroy guard (as Cluster wires it) and the same outputs, but without the two parts the test machine cannot
 * feed, said plainly in test/upstream/README.md:
 *  - The add-ons' target: the host fleet's control planes are stand-ins with nothing on :6443, so
 *    the add-ons go to a real API server on loopback instead, through a provider of their own
 *    (engine-addons.ts), without the Helm charts, whose repositories are not reachable offline.
 *  - The encryption key's random.RandomBytes: the pulumi-random plugin is a terraform-bridge
 *    provider not built here. The key comes from the stack's secret config instead (the
 *    `encryptionKeys` argument KubeadmCluster offers), so it still travels through the engine and
 *    state as a secret, which the tier checks.
 */
import * as pulumi from "@pulumi/pulumi";
import { formatWarning } from "../../core/errors";
import { KubeadmCluster } from "../../components/kubeadm/kubeadm-cluster";
import { projectRoot, resolveProgram, runtimeConfigMap } from "../../components/program-config";
import { readSecrets } from "../../components/secrets";
import { guardClusterDestroy } from "../../components/destroy-guard";
import { EngineAddons } from "./engine-addons";

const { spec, warnings } = resolveProgram(projectRoot(), pulumi.getStack(), runtimeConfigMap());
for (const w of warnings) pulumi.log.warn(formatWarning(w).replace(/^warning: /, ""));
if (spec.platform.kind !== "baremetal") throw new pulumi.RunError(`engine-program: stack ${spec.stack} is not bare metal`);

// The product's URNs: KubeadmCluster under BareMetalCluster under the Cluster component, so the
// state this program writes is the state index.ts would (`clusterkit plan --state` reads it).
class Parent extends pulumi.ComponentResource {
  constructor(type: string, name: string, opts?: pulumi.ComponentResourceOptions) {
    super(type, name, {}, opts);
    this.registerOutputs({});
  }
}
const top = new Parent("clusterkit:index:Cluster", spec.name);
const platform = new Parent("clusterkit:baremetal:BareMetalCluster", spec.name, { parent: top });
const secrets = readSecrets(spec);
const testConfig = new pulumi.Config("clusterkit-test");
const encryptionKey = testConfig.requireSecret("encryptionKey");
const cluster = new KubeadmCluster(spec.name, {
  spec,
  hosts: spec.nodes.map((n) => ({ name: n.name, role: n.role, address: n.address ?? "", ssh: { ...n.ssh }, labels: n.labels, taints: n.taints })),
  sshPrivateKey: secrets.sshPrivateKey!,
  trustOnFirstUse: spec.platform.trustOnFirstUse,
  bastion: spec.platform.bastion,
  concurrency: spec.platform.concurrency,
  encryptionKeys: encryptionKey.apply((secret) => [{ name: "key1", secret }]),
}, { parent: platform });

const addonsKubeconfig = testConfig.getSecret("addonsKubeconfig");
const addons = addonsKubeconfig && new EngineAddons(`${spec.name}-addons`, spec, addonsKubeconfig, [...cluster.nodes], { parent: top });
guardClusterDestroy(spec.name, spec, addons ? [platform, addons] : [platform], top);

export const clusterName = spec.name;
export const apiServerUrl = cluster.apiServerUrl;
export const kubeconfig = pulumi.secret(cluster.kubeconfig);
