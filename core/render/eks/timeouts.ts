/**
 * How long `pulumi up` waits for EKS before it gives up on a resource. The provider's defaults (60
 * minutes for a control-plane or node-group update, 20 for an add-on) are shorter than an upgrade can
 * take: a control-plane upgrade alone can run past an hour, and a node group rolls its nodes in
 * batches of `maxUnavailable`, each batch booting new nodes and draining old ones, which EKS allows
 * up to 15 minutes of pod evictions per node. A timeout that fires leaves EKS working and the
 * stack's state behind it, so err long.
 */
import type { EksNodeGroupArgs } from "./args";

export interface Timeouts {
  create: string;
  update: string;
  delete: string;
}

const minutes = (n: number) => `${n}m`;

export const controlPlaneTimeouts: Timeouts = { create: minutes(45), update: minutes(120), delete: minutes(30) };

export const addonTimeouts: Timeouts = { create: minutes(30), update: minutes(40), delete: minutes(30) };

/** Minutes one batch of a rolling node-group update may take: new nodes Ready, old ones drained. */
export const nodeBatchMinutes = 20;

/** The update waits for every batch of the largest the group may be; never below the provider's 60 minutes. */
export function nodeGroupTimeouts(group: Pick<EksNodeGroupArgs, "maxSize" | "maxUnavailable">): Timeouts {
  const batches = Math.ceil(group.maxSize / group.maxUnavailable);
  return { create: minutes(60), update: minutes(Math.max(60, nodeBatchMinutes * batches)), delete: minutes(60) };
}
