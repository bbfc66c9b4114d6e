/**
 * The control planes the stack names now, per cluster, as this `pulumi up` saw them in its diffs
 * and creates. A node's removal asks its own record of the control planes first; when every one of
 * those is gone (all of them replaced, after a restore onto new machines), it asks these. Kept in
 * this process: the engine diffs and creates every node before it deletes any, in the one
 * dynamic-provider process of a run.
 */
import type { HostAccess } from "./types";

const byCluster = new Map<string, Map<string, HostAccess>>();

export function noteControlPlanes(cluster: string, cps: readonly HostAccess[]): void {
  const m = byCluster.get(cluster) ?? new Map<string, HostAccess>();
  for (const cp of cps) m.set(cp.name, cp);
  byCluster.set(cluster, m);
}

export function notedControlPlanes(cluster: string): HostAccess[] {
  return [...(byCluster.get(cluster)?.values() ?? [])];
}

/** Tests that run several `pulumi up`s in one process call this between them. */
export function forgetControlPlanes(): void {
  byCluster.clear();
}
