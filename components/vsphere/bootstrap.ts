/**
 * The kubeadm step of vSphere: the running VMs go to the KubeadmCluster component shared with bare
 * metal, each with its address (static, or the lease it was bootstrapped at), the fingerprint of its
 * lasting host key (pinned before the VM first booted), a dependency on that key being installed,
 * and the VM's UUID as the machine's identity.
 */
import * as pulumi from "@pulumi/pulumi";
import type { ClusterSpec, VspherePlatformSpec } from "../../core/spec";
import { KubeadmCluster } from "../kubeadm/kubeadm-cluster";
import type { VmHost } from "./vsphere-cluster";

export function bootstrapKubeadm(
  spec: ClusterSpec,
  platform: VspherePlatformSpec,
  hosts: VmHost[],
  sshPrivateKey: pulumi.Output<string>,
  backupKey: pulumi.Output<string> | undefined,
  joinOnly: pulumi.Output<string[]>,
  parent: pulumi.Resource,
): KubeadmCluster {
  return new KubeadmCluster(
    spec.name,
    {
      spec,
      hosts: hosts.map((h) => ({
        name: h.node.name,
        role: h.node.role,
        address: h.address,
        ssh: { user: h.node.ssh.user, port: h.node.ssh.port, hostKey: h.hostKeyFingerprint },
        labels: h.node.labels,
        taints: h.node.taints,
        // The lasting host key must be in place before the first session it is pinned for.
        dependsOn: [h.vm, h.hostKeyRotation],
        // A new VM is a new machine: its host preparation and kubeadm node are replaced with it.
        machineId: h.vm.uuid,
      })),
      joinOnly,
      sshPrivateKey,
      backupKey,
      // Every host key is known before first contact: nothing is ever trusted on first use.
      trustOnFirstUse: false,
      bastion: null,
      concurrency: platform.concurrency,
    },
    { parent },
  );
}
