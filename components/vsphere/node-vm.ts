/**
 * One node's VM: cloned from the template with the node's size, its disk grown, and cloud-init
 * (hostname, network, SSH user and pinned host key) handed over through guestinfo.
 */
import * as pulumi from "@pulumi/pulumi";
import { formatIssue, ClusterkitError } from "../../core/errors";
import { encodeGuestinfo, guestinfoEncoding, renderGuestinfoMetadata } from "../../core/render/cloud-init/meta-data";
import { renderNetworkConfig } from "../../core/render/cloud-init/network-config";
import { renderUserData } from "../../core/render/cloud-init/user-data";
import type { ClusterSpec, NodeSpec, VspherePlatformSpec } from "../../core/spec";
import { cloneDisks, vmAnnotation, vmSize } from "../../core/vsphere/vm-plan";
import * as vsphere from "./sdk";
import type { Inventory } from "./inventory";
import type { NodeHostKey } from "./ssh-keys";

/** Minutes `pulumi up` waits for VMware Tools to report a routable address: the VM is up. */
export const guestNetTimeoutMinutes = 10;

export interface NodeVmArgs {
  spec: ClusterSpec;
  platform: VspherePlatformSpec;
  node: NodeSpec;
  inventory: Inventory;
  folder: pulumi.Input<string>;
  tagIds: pulumi.Input<string>[];
  authorizedKey: pulumi.Output<string>;
  hostKey: NodeHostKey;
}

/** Template checks fail at deploy time, when the template is known; say so as clusterkit does. */
function disksFor(args: NodeVmArgs, template: vsphere.GetVirtualMachineResult) {
  try {
    return cloneDisks(args.spec, args.node, { name: args.platform.vcenter.template, disks: template.disks }, args.platform.linkedClone);
  } catch (e) {
    if (e instanceof ClusterkitError) throw new pulumi.RunError(`clusterkit: the template does not fit\n${e.issues.map(formatIssue).join("\n")}`);
    throw e;
  }
}

export function nodeVm(args: NodeVmArgs, opts: pulumi.CustomResourceOptions): vsphere.VirtualMachine {
  const { spec, platform, node, inventory, hostKey } = args;
  const size = vmSize(node);
  const metadata = renderGuestinfoMetadata(node, renderNetworkConfig(spec, node));
  const userData = pulumi
    .all([args.authorizedKey, hostKey.privateKeyOpenssh, hostKey.publicKeyOpenssh])
    .apply(([authorizedKey, privateKeyOpenssh, publicKeyOpenssh]) => renderUserData(node, { authorizedKey, hostKey: { privateKeyOpenssh, publicKeyOpenssh } }));
  const template = inventory.template;
  return new vsphere.VirtualMachine(
    node.name,
    {
      name: node.name,
      annotation: vmAnnotation(spec, node),
      resourcePoolId: inventory.resourcePoolId,
      datastoreId: inventory.datastoreId,
      datastoreClusterId: inventory.datastoreClusterId,
      folder: args.folder,
      numCpus: size.cpus,
      memory: size.memoryMiB,
      guestId: template.guestId,
      // The provider defaults to bios; a clone must boot the way its template does.
      firmware: template.apply((t) => t.firmware ?? "bios"),
      scsiType: template.scsiType,
      networkInterfaces: [{ networkId: inventory.networkId, adapterType: template.networkInterfaceTypes.apply((t) => t[0] ?? "vmxnet3") }],
      disks: template.apply((t) => disksFor(args, t)),
      clone: { templateUuid: template.uuid, linkedClone: platform.linkedClone },
      // The vSphere CSI driver identifies volumes by disk UUID.
      enableDiskUuid: true,
      extraConfig: {
        "guestinfo.metadata": encodeGuestinfo(metadata),
        "guestinfo.metadata.encoding": guestinfoEncoding,
        "guestinfo.userdata": pulumi.secret(userData.apply(encodeGuestinfo)),
        "guestinfo.userdata.encoding": guestinfoEncoding,
      },
      tags: args.tagIds,
      waitForGuestNetTimeout: guestNetTimeoutMinutes,
    },
    {
      ...opts,
      additionalSecretOutputs: ["extraConfig"],
      // cloud-init applies its data once, at first boot; a later change would only reboot the VM
      // (the provider restarts it for extraConfig changes) without cloud-init re-running.
      ignoreChanges: ["extraConfig"],
    },
  );
}
