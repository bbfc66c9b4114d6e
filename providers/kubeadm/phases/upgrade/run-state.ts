/**
 * What the nodes of one `pulumi up` share about its upgrade: the worker batch's slots and the
 * control planes whose upgrade failed. Kept in this process because every node resource of a
 * stack is handled by the same dynamic-provider process during one `pulumi up`; a new run is a new
 * process, so nothing here outlives it.
 */
import pLimit from "p-limit";

const workerSlots = new Map<string, ReturnType<typeof pLimit>>();
const failedControlPlanes = new Map<string, string>();

/** At most `size` workers of `cluster` upgrade at once. */
export function workerSlot(cluster: string, size: number): ReturnType<typeof pLimit> {
  const key = `${cluster}/${size}`;
  if (!workerSlots.has(key)) workerSlots.set(key, pLimit(size));
  return workerSlots.get(key)!;
}

export function controlPlaneFailed(cluster: string, name: string): void {
  failedControlPlanes.set(cluster, name);
}

/** A control plane of `cluster` whose upgrade failed in this run: waiting workers stop at once rather than time out. */
export function failedControlPlane(cluster: string): string | null {
  return failedControlPlanes.get(cluster) ?? null;
}

/**
 * One node's part of a rolling change (an upgrade, an OS patch round): a worker waits for one of
 * the run's `batchSize` worker slots; a control plane's failure is noted, so the workers waiting
 * for the control planes stop at once rather than time out.
 */
export async function rollNode(node: { cluster: string; name: string; role: "control-plane" | "worker" }, batchSize: number, body: () => Promise<unknown>): Promise<void> {
  if (node.role === "worker") {
    await workerSlot(node.cluster, batchSize)(body);
    return;
  }
  try {
    await body();
  } catch (e) {
    controlPlaneFailed(node.cluster, node.name);
    throw e;
  }
}

/** Tests that run several `pulumi up`s in one process call this between them. */
export function forgetUpgradeRun(): void {
  failedControlPlanes.clear();
  workerSlots.clear();
}
