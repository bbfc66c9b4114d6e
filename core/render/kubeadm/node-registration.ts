/** `nodeRegistration` shared by InitConfiguration and JoinConfiguration. */
import type { ClusterSpec, NodeSpec } from "../../spec";
import { args } from "./args";
import { nodeAddress, nodeLabelsArg, nodeTaints } from "./node";
import { containerdSocket } from "./paths";

export function nodeRegistration(spec: ClusterSpec, node: NodeSpec): object {
  const labels = nodeLabelsArg(spec, node);
  return {
    name: node.name,
    criSocket: containerdSocket,
    // Always explicit: an absent list means "kubeadm's default" (the control-plane taint on control planes only).
    taints: nodeTaints(node),
    // The node's address on the node network, not whichever interface has the default route.
    // On vSphere the CPI sets each node's provider ID; kubelet must leave that to an external cloud provider.
    kubeletExtraArgs: args({
      ...(spec.platform.kind === "vsphere" && { "cloud-provider": "external" }),
      "node-ip": nodeAddress(node),
      ...(labels && { "node-labels": labels }),
    }),
  };
}
