/**
 * What the engine's calls do for the per-VM dynamic resources; tests call these as the engine would.
 *
 * VmSizeGuard: its state is the VM shape and template of the last `pulumi up`; its diff, which the
 * engine runs in preview and before the VM (which depends on it) is registered, refuses a size
 * change the running VM cannot take, and a new template (which would replace the VM).
 *
 * HostKeyRotation: replaces the VM's first-boot SSH host key (readable in vCenter) with a lasting
 * one, over SSH; see host-key.ts.
 *
 * NodeAddress: a DHCP node's bootstrap address, never a reason to replace anything. A new lease
 * only changes `reported`: an update that shows the drift in preview and leaves `address` as it was.
 */
import { checkResize, restartNodeVariable, type VmShape } from "../../core/vsphere/resize";
import { checkTemplate } from "../../core/vsphere/template";
import { rotateHostKey } from "./host-key";
import type { HostKeyRotationInputs, NodeAddressInputs, VmSizeGuardInputs } from "./types";
import { sameValue } from "../same-value";

const shapeOf = (s: VmSizeGuardInputs): VmShape => ({ cpus: s.cpus, memoryMiB: s.memoryMiB, cpuHotAdd: s.cpuHotAdd, memoryHotAdd: s.memoryHotAdd });
const same = sameValue;

export const vmSizeGuard = {
  async create(inputs: VmSizeGuardInputs): Promise<{ id: string; outs: VmSizeGuardInputs }> {
    return { id: `${inputs.stack}/${inputs.node}`, outs: inputs };
  },
  async read(id: string, props: VmSizeGuardInputs): Promise<{ id: string; props: VmSizeGuardInputs }> {
    return { id, props };
  },
  async diff(_id: string, olds: VmSizeGuardInputs, news: VmSizeGuardInputs): Promise<{ changes: boolean; replaces: string[]; deleteBeforeReplace: boolean }> {
    // Read per call, not at load: the variable names the node for this one `pulumi up`.
    const allowed = process.env[restartNodeVariable]?.trim() || null;
    checkResize(news, shapeOf(olds), shapeOf(news), allowed);
    checkTemplate(news, olds.template, news.template);
    return { changes: !same(olds, news), replaces: [], deleteBeforeReplace: false };
  },
  async update(_id: string, _olds: VmSizeGuardInputs, news: VmSizeGuardInputs): Promise<{ outs: VmSizeGuardInputs }> {
    return { outs: news };
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
