/** Inputs and outputs of the per-VM dynamic resources (each keeps its inputs as its outputs). */
import type { ResizeSubject, VmShape } from "../../core/vsphere/resize";
import type { TemplateSubject } from "../../core/vsphere/rollout";

/** The VM guard's inputs: the VM's shape and how it is cloned (older state: neither template nor linkedClone). */
export type VmSizeGuardInputs = ResizeSubject & VmShape & Omit<TemplateSubject, "node" | "stack" | "file"> & { template?: string; templateUuid?: string; linkedClone?: boolean };

/**
 * The guard's state. `rolledFrom`: what the VM was before its last roll (the template it was cloned
 * from, or its size), kept afterwards, so a roll interrupted half-way still goes one node at a time
 * when it is run again and a rolled control plane keeps joining; null when the VM was never rolled.
 */
export type VmSizeGuardOutputs = VmSizeGuardInputs & { rolledFrom?: string | null };

/**
 * A DHCP node's bootstrap address. `address` is registered with `ignoreChanges`, so it keeps the
 * lease the node was bootstrapped at; `reported` follows what VMware Tools reports now.
 */
export interface NodeAddressInputs {
  node: string;
  address: string;
  reported: string;
}

/**
 * Replacing a VM's first-boot host key (in guestinfo, readable in vCenter) with one that never
 * passes through vCenter. Secret: `privateKey`, `hostPrivateKey`.
 */
export interface HostKeyRotationInputs {
  name: string;
  /** The VM's UUID: a new VM boots with the first-boot key again, so it is rotated again. */
  vmId: string;
  address: string;
  port: number;
  user: string;
  /** `SHA256:…` of the key cloud-init installed from guestinfo. */
  bootstrapHostKey: string;
  /** `SHA256:…` of the key installed over SSH, which every later session pins. */
  hostKey: string;
  /** OpenSSH private key of `hostKey`. */
  hostPrivateKey: string;
  /** clusterkit's SSH client key. */
  privateKey: string;
}
