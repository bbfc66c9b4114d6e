/**
 * `clusterkit plan --out` files for vSphere: `cloud-init/<node>/{user-data,meta-data,network-config}`.
 * Keys are unknown offline (the host keys are generated at deploy time, the SSH key is a secret),
 * so the plan writes labelled placeholders where they go.
 */
import type { ClusterSpec, NodeSpec } from "../../spec";
import type { Artifact } from "../artifacts";
import { renderMetaData } from "./meta-data";
import { renderNetworkConfig } from "./network-config";
import { renderUserData, type NodeSshKeys } from "./user-data";

export function placeholderKeys(node: NodeSpec): NodeSshKeys {
  return {
    authorizedKey: "<public half of clusterkit:sshPrivateKey, derived at deploy time>",
    hostKey: {
      privateKeyOpenssh: `[secret: first-boot ed25519 host key of ${node.name}, generated at deploy time; replaced over SSH right after boot]`,
      publicKeyOpenssh: `<first-boot ed25519 host public key of ${node.name}, generated at deploy time>`,
    },
  };
}

export function cloudInitArtifacts(spec: ClusterSpec): Artifact[] {
  if (spec.platform.kind !== "vsphere") return [];
  return spec.nodes.flatMap((node) => [
    { path: `cloud-init/${node.name}/user-data`, content: renderUserData(node, placeholderKeys(node)) },
    { path: `cloud-init/${node.name}/meta-data`, content: renderMetaData(node) },
    { path: `cloud-init/${node.name}/network-config`, content: renderNetworkConfig(spec, node) },
  ]);
}
