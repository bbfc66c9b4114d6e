/**
 * Dynamic resources beside each vSphere VM. VmSizeGuard holds the VM's last CPU/memory shape and
 * template; the VM depends on it, so a refused resize or template change fails before the VM is
 * registered, in preview and in up, and a template roll is ordered from what it records.
 * NodeAddress holds a DHCP node's bootstrap address. HostKeyRotation installs the VM's lasting SSH
 * host key. Their providers load runtime.ts lazily in the engine's provider process (see
 * ../lazy-dynamic-provider.ts for why).
 */
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { lazyDynamicProvider, type Inputs } from "../lazy-dynamic-provider";
import type { HostKeyRotationInputs, NodeAddressInputs, VmSizeGuardInputs } from "./types";

const runtime = path.join(__dirname, "runtime");

export const vmSizeGuardProvider = lazyDynamicProvider("vmSizeGuard", runtime);
export const nodeAddressProvider = lazyDynamicProvider("nodeAddress", runtime);
export const hostKeyRotationProvider = lazyDynamicProvider("hostKeyRotation", runtime);

export class VmSizeGuard extends pulumi.dynamic.Resource {
  /** The template the VM was cloned from before a template change (types.ts); absent in preview. */
  declare readonly rolledFrom: pulumi.Output<string | null | undefined>;

  constructor(name: string, args: Inputs<VmSizeGuardInputs>, opts?: pulumi.CustomResourceOptions) {
    // An output the provider sets: named here (undefined) so the SDK makes it an Output.
    super(vmSizeGuardProvider, name, { ...args, rolledFrom: undefined }, opts, "clusterkit", "VmSizeGuard");
  }
}

export class NodeAddress extends pulumi.dynamic.Resource {
  declare readonly address: pulumi.Output<string>;
  declare readonly reported: pulumi.Output<string>;

  constructor(name: string, args: Inputs<NodeAddressInputs>, opts?: pulumi.CustomResourceOptions) {
    // The lease the node was bootstrapped at stays its address: kubeadm replaces a node whose
    // address changes, and a renewed lease is no new machine.
    super(nodeAddressProvider, name, args, { ...opts, ignoreChanges: [...(opts?.ignoreChanges ?? []), "address"] }, "clusterkit", "NodeAddress");
  }
}

export class HostKeyRotation extends pulumi.dynamic.Resource {
  static readonly secretOutputs = ["privateKey", "hostPrivateKey"];
  declare readonly hostKey: pulumi.Output<string>;

  constructor(name: string, args: Inputs<HostKeyRotationInputs>, opts?: pulumi.CustomResourceOptions) {
    super(
      hostKeyRotationProvider,
      name,
      args,
      { ...opts, additionalSecretOutputs: [...(opts?.additionalSecretOutputs ?? []), ...HostKeyRotation.secretOutputs] },
      "clusterkit",
      "HostKeyRotation",
    );
  }
}
