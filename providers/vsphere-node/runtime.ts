/**
 * What the engine's calls do for the per-VM dynamic resources; tests call these as the engine would.
 *
 * VmSizeGuard: its state is the VM shape and template of the last `pulumi up`; its diff, which the
 * engine runs in preview and before the VM (which depends on it) is registered, refuses a size
 * change or a new template that needs a new or powered-off VM when that VM cannot be replaced one
 * node at a time (core/vsphere/resize.ts, core/vsphere/rollout.ts). One that can is recorded as
 * `rolledFrom`, which makes the program order the VM's replacement after the nodes before it
 * (components/vsphere/rollout.ts).
 *
 * HostKeyRotation: replaces the VM's first-boot SSH host key (readable in vCenter) with a lasting
 * one, over SSH; see host-key.ts.
 *
 * NodeAddress: a DHCP node's bootstrap address, never a reason to replace anything. A new lease
 * only changes `reported`: an update that shows the drift in preview and leaves `address` as it was.
 */
import { checkResize, restartNodeVariable, shape, type VmShape } from "../../core/vsphere/resize";
import { checkTemplate } from "../../core/vsphere/rollout";
import { rotateHostKey } from "./host-key";
import type { HostKeyRotationInputs, NodeAddressInputs, VmSizeGuardInputs, VmSizeGuardOutputs } from "./types";
import { sameValue } from "../same-value";

const shapeOf = (s: VmSizeGuardInputs): VmShape => ({ cpus: s.cpus, memoryMiB: s.memoryMiB, cpuHotAdd: s.cpuHotAdd, memoryHotAdd: s.memoryHotAdd });
const same = sameValue;

/** The node the user named to restart in place, read per call: the variable is for one `pulumi up`. */
const restartAllowed = () => process.env[restartNodeVariable]?.trim() || null;

/** The guard's inputs in its state: what the program gave, without what the guard derived. */
const inputsOf = ({ rolledFrom: _r, ...inputs }: VmSizeGuardOutputs): VmSizeGuardInputs => inputs;

export const vmSizeGuard = {
  async create(inputs: VmSizeGuardInputs): Promise<{ id: string; outs: VmSizeGuardOutputs }> {
    return { id: `${inputs.stack}/${inputs.node}`, outs: { ...inputs, rolledFrom: null } };
  },
  async read(id: string, props: VmSizeGuardOutputs): Promise<{ id: string; props: VmSizeGuardOutputs }> {
    return { id, props };
  },
  async diff(_id: string, olds: VmSizeGuardOutputs, news: VmSizeGuardInputs): Promise<{ changes: boolean; replaces: string[]; deleteBeforeReplace: boolean }> {
    checkResize(news, shapeOf(olds), shapeOf(news), restartAllowed());
    checkTemplate(news, olds, news);
    return { changes: !same(inputsOf(olds), news), replaces: [], deleteBeforeReplace: false };
  },
  async update(_id: string, olds: VmSizeGuardOutputs, news: VmSizeGuardInputs): Promise<{ outs: VmSizeGuardOutputs }> {
    // The diff passed, so neither check refuses here; a node named to restart is not a roll.
    const template = checkTemplate(news, olds, news);
    const resize = checkResize(news, shapeOf(olds), shapeOf(news), restartAllowed());
    // Kept after the roll: a control plane rolled once joins from then on (KubeadmCluster's joinOnly).
    const rolledFrom = template.kind === "roll" ? template.from : resize.kind === "roll" ? shape(shapeOf(olds)) : (olds.rolledFrom ?? null);
    return { outs: { ...news, rolledFrom } };
  },
  async delete(): Promise<void> {},
};

export const nodeAddress = {
  async create(inputs: NodeAddressInputs): Promise<{ id: string; outs: NodeAddressInputs }> {
    return { id: inputs.node, outs: inputs };
  },
  async read(id: string, props: NodeAddressInputs): Promise<{ id: string; props: NodeAddressInputs }> {
    return { id, props };
  },
  async diff(_id: string, olds: NodeAddressInputs, news: NodeAddressInputs): Promise<{ changes: boolean; replaces: string[]; deleteBeforeReplace: boolean }> {
    return { changes: !same(olds, news), replaces: [], deleteBeforeReplace: false };
  },
  async update(_id: string, olds: NodeAddressInputs, news: NodeAddressInputs): Promise<{ outs: NodeAddressInputs }> {
    // The engine already passes the old address (ignoreChanges); keep it even if it did not.
    return { outs: { ...news, address: olds.address } };
  },
  async delete(): Promise<void> {},
};

export const hostKeyRotation = {
  async create(inputs: HostKeyRotationInputs): Promise<{ id: string; outs: HostKeyRotationInputs }> {
    await rotateHostKey(inputs, [inputs.bootstrapHostKey]);
    return { id: `${inputs.name}@${inputs.vmId}`, outs: inputs };
  },
  async read(id: string, props: HostKeyRotationInputs): Promise<{ id: string; props: HostKeyRotationInputs }> {
    return { id, props };
  },
  async diff(_id: string, olds: HostKeyRotationInputs, news: HostKeyRotationInputs): Promise<{ changes: boolean; replaces: string[]; deleteBeforeReplace: boolean }> {
    // Another VM, or another first-boot key: that VM boots with it again and needs its own rotation.
    const replaces = (["name", "vmId", "bootstrapHostKey"] as const).filter((k) => olds[k] !== news[k]);
    return { changes: replaces.length > 0 || !same(olds, news), replaces: [...replaces], deleteBeforeReplace: false };
  },
  async update(_id: string, olds: HostKeyRotationInputs, news: HostKeyRotationInputs): Promise<{ outs: HostKeyRotationInputs }> {
    if (olds.hostKey !== news.hostKey || olds.address !== news.address) await rotateHostKey(news, [olds.hostKey, news.bootstrapHostKey]);
    return { outs: news };
  },
  async delete(): Promise<void> {},
};
