/**
 * One node's VM: cloned from the template with the node's size (behind its size guard), its disk
 * grown, and cloud-init (hostname, network, SSH user and first-boot host key) handed over through
 * guestinfo.
 */
import * as pulumi from "@pulumi/pulumi";
import { formatIssue, ClusterkitError } from "../../core/errors";
import { encodeGuestinfo, guestinfoEncoding, renderGuestinfoMetadata } from "../../core/render/cloud-init/meta-data";
import { renderNetworkConfig } from "../../core/render/cloud-init/network-config";
import { renderUserData } from "../../core/render/cloud-init/user-data";
import type { ClusterSpec, NodeSpec, VspherePlatformSpec } from "../../core/spec";
import { rollBlocker } from "../../core/vsphere/rollout";
import { cloneDisks, vmAnnotation, vmSize } from "../../core/vsphere/vm-plan";
import { VmSizeGuard } from "../../providers/vsphere-node/resources";
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
  /** The first-boot host key cloud-init installs (replaced over SSH right after boot). */
  hostKey: NodeHostKey;
  /** Types of the VM's parent components, outermost first (for URNs in messages). */
  parentTypes: string[];
  /** What the VM waits for: its guard (vmGuard) and, during a template roll, the nodes before it. */
  after: pulumi.Input<pulumi.Resource[]>;
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

/** Hot-add stays off: it disables vNUMA, and a resize rolls through the VMs (or is refused) anyway. */
const hotAdd = { cpu: false, memory: false };

/**
 * A child's URN as the engine forms it, for the `--target` of a refusal: `urn:pulumi:<stack>::<project>::`,
 * the parents' types and the child's joined by `$`, then `::<name>`. (Built from names, not from the
 * parent's URN output, which is not resolved while the component is still being constructed.)
 */
function childUrn(parentTypes: string[], type: string, name: string): string {
  return `urn:pulumi:${pulumi.getStack()}::${pulumi.getProject()}::${[...parentTypes, type].join("$")}::${name}`;
}

export interface VmGuardArgs {
  spec: ClusterSpec;
  platform: VspherePlatformSpec;
  node: NodeSpec;
  parentTypes: string[];
  /** The template's UUID, as vCenter reports it: a template rebuilt under its old name has a new one. */
  templateUuid: pulumi.Input<string>;
}

/**
 * The VM's guard: it remembers the VM's CPUs, memory and template (its name and UUID), and its diff refuses a change
 * that would power the VM off (core/vsphere/resize.ts) or replace it when that cannot be done one
 * node at a time (core/vsphere/rollout.ts), before the VM, which depends on it, changes.
 */
export function vmGuard(args: VmGuardArgs, opts: pulumi.CustomResourceOptions): VmSizeGuard {
  const { spec, node } = args;
  const size = vmSize(node);
  const name = `${node.name}-size`;
  const targets = [childUrn(args.parentTypes, "pulumi-nodejs:dynamic/clusterkit:VmSizeGuard", name), childUrn(args.parentTypes, vsphere.VirtualMachine.__pulumiType, node.name)];
  return new VmSizeGuard(
    name,
    {
      node: node.name,
      stack: spec.stack,
      file: `blueprints/${spec.blueprint}.yaml`,
      path: node.pool ? `nodePools.${node.pool}.size` : "controlPlane.size",
      targets,
      cpus: size.cpus,
      memoryMiB: size.memoryMiB,
      cpuHotAdd: hotAdd.cpu,
      memoryHotAdd: hotAdd.memory,
      template: args.platform.vcenter.template,
      // Only where the VM can roll: elsewhere the VM keeps its clone source (ignoreChanges, below).
      templateUuid: canRoll(spec, node) ? args.templateUuid : undefined,
      linkedClone: args.platform.linkedClone,
      ...rollSubject(spec, node),
    },
    // The guard is clusterkit's own resource: no vSphere provider.
    { parent: opts.parent },
  );
}

/** What decides whether the node's VM can be replaced one node at a time: the guard and the VM use the same. */
function rollSubject(spec: ClusterSpec, node: NodeSpec) {
  return { role: node.role, controlPlanes: spec.nodes.filter((n) => n.role === "control-plane").length, dhcp: !node.address };
}

const canRoll = (spec: ClusterSpec, node: NodeSpec) => !rollBlocker(rollSubject(spec, node));

export function nodeVm(args: NodeVmArgs, opts: pulumi.CustomResourceOptions): vsphere.VirtualMachine {
  const { spec, platform, node, inventory, hostKey } = args;
  const size = vmSize(node);
  const metadata = renderGuestinfoMetadata(node, renderNetworkConfig(spec, node));
  const userData = pulumi
    .all([args.authorizedKey, hostKey.privateKeyOpenssh, hostKey.publicKeyOpenssh])
    .apply(([authorizedKey, privateKeyOpenssh, publicKeyOpenssh]) => renderUserData(node, { authorizedKey, hostKey: { privateKeyOpenssh, publicKeyOpenssh } }));
  const template = inventory.template;
  const rollable = canRoll(spec, node);
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
      cpuHotAddEnabled: hotAdd.cpu,
      memoryHotAddEnabled: hotAdd.memory,
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
      dependsOn: args.after,
      // The name (unique in its folder) and the static address are the node's: the old VM goes
      // first, after its node was drained and left the cluster (its kubeadm resources depend on
      // the VM's UUID, so the engine deletes them before it).
      deleteBeforeReplace: true,
      // Without hot-add a new size powers the VM off, and a new clone source needs a new VM.
      // Where the VM can be rolled, it is cloned again after the nodes before it (the guard
      // records the roll); where it cannot, the guard refuses a new size or template before this
      // VM is reached.
      replaceOnChanges: rollable ? ["numCpus", "memory", "cpuHotAddEnabled", "memoryHotAddEnabled", "clone"] : [],
      additionalSecretOutputs: ["extraConfig"],
      // cloud-init applies its data once, at first boot; a later change would only reboot the VM
      // (the provider restarts it for extraConfig changes) without cloud-init re-running. A VM that
      // cannot roll keeps running from the template it was cloned from when that template is
      // rebuilt under its name (a full clone no longer needs it); a new name is refused instead.
      ignoreChanges: rollable ? ["extraConfig"] : ["extraConfig", "clone.templateUuid"],
    },
  );
}
