/**
 * The kubeadm lifecycle's Pulumi dynamic resources; their providers load runtime.ts lazily in the
 * engine's provider process (see ../lazy-dynamic-provider.ts for why).
 */
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { lazyDynamicProvider, type Inputs } from "../lazy-dynamic-provider";
import type { HostPrepInputs, NodeInputs } from "./types";

const runtime = path.join(__dirname, "runtime");

export const kubeadmNodeProvider = lazyDynamicProvider("kubeadmNode", runtime);
export const hostPreparationProvider = lazyDynamicProvider("hostPreparation", runtime);

/** One node's kubeadm lifecycle: init or join, refresh, update, drain and reset on delete. */
export class KubeadmNode extends pulumi.dynamic.Resource {
  static readonly secretOutputs = ["privateKey", "secretFiles", "etcdSnapshotKey", "kubeconfig"];
  declare readonly kubeconfig: pulumi.Output<string>;
  declare readonly observed: pulumi.Output<Record<string, unknown>>;

  constructor(name: string, args: Inputs<NodeInputs>, opts?: pulumi.CustomResourceOptions) {
    super(
      kubeadmNodeProvider,
      name,
      { ...args, kubeconfig: undefined, observed: undefined },
      { ...opts, additionalSecretOutputs: [...(opts?.additionalSecretOutputs ?? []), ...KubeadmNode.secretOutputs] },
      "clusterkit",
      "KubeadmNode",
    );
  }
}

/** Host preparation on one machine: OS detection and the rendered host steps. */
export class HostPreparation extends pulumi.dynamic.Resource {
  declare readonly os: pulumi.Output<string>;

  constructor(name: string, args: Inputs<HostPrepInputs>, opts?: pulumi.CustomResourceOptions) {
    super(
      hostPreparationProvider,
      name,
      { ...args, os: undefined, pending: undefined },
      { ...opts, additionalSecretOutputs: [...(opts?.additionalSecretOutputs ?? []), "privateKey"] },
      "clusterkit",
      "HostPreparation",
    );
  }
}
