/** What the node phases work with: the node, the other control planes, runtime-only secrets. */
import type { RemoteFile, RemoteHost } from "../../ssh";
import { findAdminHost } from "../cluster/admin-host";
import { hostFacts, type HostFacts } from "../probe";
import type { NodeInputs } from "../types";

export interface NodeContext {
  label: string;
  inputs: NodeInputs;
  host: RemoteHost;
  /** The control planes other than this node, in join order. */
  peers: RemoteHost[];
  /** Where the host stands; refreshed after every phase that changes it. */
  facts: HostFacts | null;
  /** Why clean-half-joined judged the node half-joined. */
  halfJoined?: string;
  /** finish: record the init completion proven by the kubeadm-config ConfigMap. */
  adoptInit?: boolean;
  /** Files a phase's check found stale, for its run to write. */
  staleFiles?: RemoteFile[];
  /** kubeadm join ran in this call: await-ready waits for the node. */
  joinedNow?: boolean;
}

export async function facts(ctx: NodeContext, step: string): Promise<HostFacts> {
  if (!ctx.facts) ctx.facts = await hostFacts(ctx.host, step, ctx.inputs.init);
  return ctx.facts;
}

/** Call after changing the host: the next phase looks again. */
export function invalidate(ctx: NodeContext): void {
  ctx.facts = null;
}

/** A control plane other than this node holding the admin kubeconfig, or null. */
export function peerAdmin(ctx: NodeContext, step: string): Promise<RemoteHost | null> {
  return findAdminHost(ctx.peers, step);
}

/** Any control plane holding the admin kubeconfig, this one included (it is tried first when it is one). */
export function anyAdmin(ctx: NodeContext, step: string): Promise<RemoteHost | null> {
  return findAdminHost(ctx.inputs.role === "control-plane" ? [ctx.host, ...ctx.peers] : ctx.peers, step);
}

export function where(ctx: NodeContext): string {
  return `host ${ctx.host.name} (${ctx.host.address})`;
}
