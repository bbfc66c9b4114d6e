/**
 * VsphereCluster: the VMs of one cluster on vCenter. It looks up where they go, creates the
 * cluster's folder and tags, clones one VM per node with cloud-init and a pinned SSH host key, and
 * keeps control planes and each worker pool apart with DRS anti-affinity rules. It then hands the
 * running VMs to the kubeadm bootstrap shared with bare metal.
 */
import type * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { ClusterSpec, NodeSpec, VspherePlatformSpec } from "../../core/spec";
import { antiAffinityGroups, vmTags } from "../../core/vsphere/vm-plan";
import * as vsphere from "./sdk";
import type { KubeadmCluster } from "../kubeadm/kubeadm-cluster";
import type { PlatformResult } from "../platform";
import type { ClusterSecrets } from "../secrets";
import { HostKeyRotation, NodeAddress } from "../../providers/vsphere-node/resources";
import { bootstrapKubeadm } from "./bootstrap";
import { lookupInventory } from "./inventory";
import { nodeVm, vmGuard } from "./node-vm";
import { VmRollout } from "./rollout";
import { authorizedKey, nodeHostKeys } from "./ssh-keys";
import { createTags } from "./tags";

export interface VsphereClusterArgs {
  spec: ClusterSpec;
  secrets: ClusterSecrets;
}

/** A VM as the kubeadm bootstrap reaches it. */
export interface VmHost {
  node: NodeSpec;
  vm: vsphere.VirtualMachine;
  /** The static address, or the DHCP lease VMware Tools reports. */
  address: pulumi.Output<string>;
  /** SHA256 fingerprint of the lasting host key (installed by `hostKeyRotation`). */
  hostKeyFingerprint: pulumi.Output<string>;
  /** Replaces the first-boot host key; nothing else connects before it is done. */
  hostKeyRotation: HostKeyRotation;
}

/**
 * A DHCP node's address: the lease it was bootstrapped at, kept for its life. The kubeadm steps
 * treat a new address as a new machine (replace, which resets the node); a renewed lease is not
 * one, so it only shows as drift (`reported` in preview, the VM's `defaultIpAddress` on refresh).
 */
function dhcpAddress(node: NodeSpec, vm: vsphere.VirtualMachine, parent: pulumi.Resource): pulumi.Output<string> {
  return new NodeAddress(`${node.name}-address`, { node: node.name, address: vm.defaultIpAddress, reported: vm.defaultIpAddress }, { parent }).address;
}

/** The type of the `Cluster` component every platform sits under (components/cluster.ts). */
const clusterType = "clusterkit:index:Cluster";

function required<T>(value: T | undefined, key: string, stack: string): T {
  if (value === undefined) throw new pulumi.RunError(`clusterkit: stack ${stack} needs the secret ${key}: pulumi config set --secret ${key} --stack ${stack}`);
  return value;
}

export class VsphereCluster extends pulumi.ComponentResource {
  static readonly type = "clusterkit:vsphere:VsphereCluster";
  readonly hosts: VmHost[];
  readonly provider: vsphere.Provider;
  /** VM name → vSphere UUID. */
  readonly vmIds: pulumi.Output<Record<string, string>>;
  /** VM name → address clusterkit connects to. */
  readonly nodeAddresses: pulumi.Output<Record<string, string>>;
  /** VM name → pinned SSH host-key fingerprint. */
  readonly hostKeyFingerprints: pulumi.Output<Record<string, string>>;
  readonly folderPath: pulumi.Output<string>;
  readonly kubeadm: KubeadmCluster;
  /** Admin kubeconfig. Secret. */
  readonly kubeconfig: pulumi.Output<string>;
  readonly apiServerUrl: pulumi.Output<string>;
  private readonly addonInputs: PlatformResult["addonInputs"];

  constructor(name: string, args: VsphereClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    super(VsphereCluster.type, name, {}, opts);
    const { spec, secrets } = args;
    if (spec.platform.kind !== "vsphere") throw new Error(`VsphereCluster needs a vSphere spec, not ${spec.platform.kind}`);
    const platform: VspherePlatformSpec = spec.platform;
    const vc = platform.vcenter;

    const password = pulumi.secret(required(secrets.vspherePassword, "clusterkit:vspherePassword", spec.stack));
    this.provider = new vsphere.Provider(`${spec.name}-vcenter`, { vsphereServer: vc.server, user: vc.user, password, allowUnverifiedSsl: false }, { parent: this });
    // The CPI and CSI driver talk to the same vCenter with the same account.
    this.addonInputs = { vsphere: { server: vc.server, user: vc.user, password, datacenter: vc.datacenter } };
    const res = { parent: this, provider: this.provider };
    const inventory = lookupInventory(vc, res);
    const tags = createTags(spec, res);
    const folder = new vsphere.Folder(`${spec.name}-folder`, { path: vc.folder, type: "vm", datacenterId: inventory.datacenterId, tags: tags.clusterIds }, res);
    const sshPrivateKey = required(secrets.sshPrivateKey, "clusterkit:sshPrivateKey", spec.stack);
    const sshKey = authorizedKey(sshPrivateKey, { parent: this });

    const parentTypes = [clusterType, VsphereCluster.type];
    const guards = new Map(spec.nodes.map((node) => [node.name, vmGuard({ spec, platform, node, parentTypes, templateUuid: inventory.template.uuid }, res)]));
    const rollout = new VmRollout(spec, guards);
    this.hosts = spec.nodes.map((node) => {
      const keys = nodeHostKeys(node, { parent: this });
      const vm = nodeVm(
        {
          spec,
          platform,
          node,
          inventory,
          folder: folder.path,
          tagIds: vmTags(spec, node).map(([k, v]) => tags.id(k, v)),
          authorizedKey: sshKey,
          hostKey: keys.firstBoot,
          parentTypes,
          after: rollout.after(node.name),
        },
        res,
      );
      const address = node.address ? pulumi.output(node.address) : dhcpAddress(node, vm, this);
      const hostKeyRotation = new HostKeyRotation(
        `${node.name}-host-key`,
        {
          name: node.name,
          vmId: vm.uuid,
          address,
          port: node.ssh.port,
          user: node.ssh.user,
          bootstrapHostKey: keys.firstBoot.fingerprint,
          hostKey: keys.lasting.fingerprint,
          hostPrivateKey: keys.lasting.privateKeyOpenssh,
          privateKey: pulumi.secret(sshPrivateKey),
        },
        { parent: this, dependsOn: [vm] },
      );
      return { node, vm, address, hostKeyFingerprint: keys.lasting.fingerprint, hostKeyRotation };
    });

    const vmOf = new Map(this.hosts.map((h) => [h.node.name, h.vm]));
    for (const group of antiAffinityGroups(spec)) {
      new vsphere.ComputeClusterVmAntiAffinityRule(
        group.name,
        {
          name: group.name,
          computeClusterId: inventory.computeClusterId,
          virtualMachineIds: group.nodes.map((n) => vmOf.get(n)!.uuid),
          enabled: true,
          // Not mandatory: with fewer ESXi hosts than VMs, DRS still separates what it can instead
          // of refusing to power the rest on.
          mandatory: false,
        },
        res,
      );
    }

    const byName = (pick: (h: VmHost) => pulumi.Output<string>) =>
      pulumi.all(this.hosts.map((h) => pick(h).apply((v) => [h.node.name, v] as const))).apply((pairs) => Object.fromEntries(pairs));
    this.vmIds = byName((h) => h.vm.uuid);
    this.nodeAddresses = byName((h) => h.address);
    this.hostKeyFingerprints = byName((h) => h.hostKeyFingerprint);
    this.folderPath = folder.path;

    this.kubeadm = bootstrapKubeadm(spec, platform, this.hosts, sshPrivateKey, secrets.backupKey, rollout.joinOnly(), this);
    rollout.nodesRegistered(this.kubeadm.nodesByName);
    this.kubeconfig = this.kubeadm.kubeconfig;
    this.apiServerUrl = this.kubeadm.apiServerUrl;
    this.registerOutputs({
      vmIds: this.vmIds,
      nodeAddresses: this.nodeAddresses,
      hostKeyFingerprints: this.hostKeyFingerprints,
      folderPath: this.folderPath,
      kubeconfig: this.kubeconfig,
      apiServerUrl: this.apiServerUrl,
    });
  }

  platformResult(): PlatformResult {
    const provider: k8s.Provider = this.kubeadm.provider;
    return { kubeconfig: this.kubeconfig, provider, apiServerUrl: this.apiServerUrl, ready: [this.kubeadm], component: this, addonInputs: this.addonInputs };
  }
}
