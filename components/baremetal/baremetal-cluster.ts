/**
 * BareMetalCluster: the stack's host inventory → a KubeadmCluster over SSH. Everything
 * bare-metal-specific is here (hosts from the inventory, pinned keys, bastion, trust on first
 * use, concurrency); the kubeadm lifecycle itself is shared with vSphere.
 */
import type * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { ClusterSpec } from "../../core/spec";
import { KubeadmCluster } from "../kubeadm/kubeadm-cluster";
import type { ClusterSecrets } from "../secrets";

export interface BareMetalClusterArgs {
  spec: ClusterSpec;
  secrets: ClusterSecrets;
}

export class BareMetalCluster extends pulumi.ComponentResource {
  static readonly type = "clusterkit:baremetal:BareMetalCluster";
  readonly kubeconfig: pulumi.Output<string>;
  readonly provider: k8s.Provider;
  readonly apiServerUrl: pulumi.Output<string>;
  readonly kubeadm: KubeadmCluster;

  constructor(name: string, args: BareMetalClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    super(BareMetalCluster.type, name, {}, opts);
    const { spec } = args;
    if (spec.platform.kind !== "baremetal") throw new pulumi.RunError(`BareMetalCluster ${name}: the spec is for ${spec.platform.kind}`);
    const key = args.secrets.sshPrivateKey;
    if (!key) throw new pulumi.RunError(`clusterkit: stack ${spec.stack} needs its SSH key: pulumi config set --secret clusterkit:sshPrivateKey --stack ${spec.stack} < KEYFILE`);
    this.kubeadm = new KubeadmCluster(
      name,
      {
        spec,
        hosts: spec.nodes.map((n) => ({ name: n.name, role: n.role, address: n.address ?? "", ssh: { ...n.ssh }, labels: n.labels, taints: n.taints })),
        sshPrivateKey: key,
        backupKey: args.secrets.backupKey,
        trustOnFirstUse: spec.platform.trustOnFirstUse,
        bastion: spec.platform.bastion,
        concurrency: spec.platform.concurrency,
      },
      { parent: this },
    );
    this.kubeconfig = this.kubeadm.kubeconfig;
    this.provider = this.kubeadm.provider;
    this.apiServerUrl = this.kubeadm.apiServerUrl;
    this.registerOutputs({ kubeconfig: this.kubeconfig, apiServerUrl: this.apiServerUrl });
  }
}
