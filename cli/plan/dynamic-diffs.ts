/**
 * clusterkit's own dynamic resources, by type token, with the provider objects the engine
 * serialises for them: the plan calls their `diff` as the engine does (id, old outputs, new
 * inputs), so a replace or a refusal in the plan is the one `pulumi up` meets.
 */
import type * as pulumi from "@pulumi/pulumi";
import { eksVersionGuardProvider } from "../../providers/eks-version/resources";
import { hostPreparationProvider, kubeadmNodeProvider } from "../../providers/kubeadm/resources";
import { hostKeyRotationProvider, nodeAddressProvider, vmSizeGuardProvider } from "../../providers/vsphere-node/resources";

const dynamicType = (name: string) => `pulumi-nodejs:dynamic/clusterkit:${name}`;

export const KUBEADM_NODE = dynamicType("KubeadmNode");

export const dynamicProviders: Record<string, pulumi.dynamic.ResourceProvider> = {
  [KUBEADM_NODE]: kubeadmNodeProvider,
  [dynamicType("HostPreparation")]: hostPreparationProvider,
  [dynamicType("VmSizeGuard")]: vmSizeGuardProvider,
  [dynamicType("NodeAddress")]: nodeAddressProvider,
  [dynamicType("HostKeyRotation")]: hostKeyRotationProvider,
  [dynamicType("EksVersionGuard")]: eksVersionGuardProvider,
};
