/**
 * JoinConfiguration (kubeadm.k8s.io/v1beta4) for one node, from a token made for this join. Control
 * planes also get `controlPlane` (where their API server listens, and the certificate key).
 */
import { ClusterkitError } from "../../errors";
import type { ClusterSpec, NodeSpec } from "../../spec";
import { kubeadmApiVersion } from "./cluster-configuration";
import { apiServerBindPort, controlPlaneEndpoint, nodeAddress } from "./node";
import { nodeRegistration } from "./node-registration";
import type { JoinSecrets } from "./secrets";

export function joinConfiguration(spec: ClusterSpec, node: NodeSpec, secrets: JoinSecrets): object {
  if (node.role === "control-plane" && !secrets.certificateKey) {
    throw ClusterkitError.failure("(rendered kubeadm config)", `nodes.${node.name}`, "a control plane joins with the certificate key the certificates were uploaded with", "pass JoinSecrets.certificateKey");
  }
  return {
    apiVersion: kubeadmApiVersion,
    kind: "JoinConfiguration",
    discovery: {
      bootstrapToken: { apiServerEndpoint: controlPlaneEndpoint(spec), token: secrets.token, caCertHashes: [secrets.caCertHash] },
    },
    nodeRegistration: nodeRegistration(spec, node),
    ...(node.role === "control-plane" && {
      controlPlane: { localAPIEndpoint: { advertiseAddress: nodeAddress(node), bindPort: apiServerBindPort(spec) }, certificateKey: secrets.certificateKey },
    }),
  };
}
