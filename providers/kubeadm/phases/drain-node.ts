/**
 * Cordon and drain before work that disrupts a node (an upgrade, an OS patch round). The eviction
 * API keeps PodDisruptionBudgets; a drain that does not finish in time uncordons what clusterkit
 * cordoned and stops the run at this node, naming the pods that could not be evicted. A marker
 * says that clusterkit cordoned the node, so only such a node is ever uncordoned.
 */
import { ClusterkitError } from "../../../core/errors";
import { isSshError, type RemoteHost } from "../../ssh";
import { cordon, drain, getNode, uncordon } from "../cluster/kubectl";
import { invalidate, where, type NodeContext } from "./node-context";
import { writeMarker } from "./upgrade/markers";

/** The pods kubectl drain names as not evictable, from its output. */
export function blockingPods(output: string): string[] {
  const pods = [...output.matchAll(/error when evicting pods\/"([^"]+)" -n "([^"]+)"/g)].map((m) => `${m[2]}/${m[1]}`);
  return [...new Set(pods)];
}

export interface DrainFor {
  /** Written before the cordon, holding `marker`. */
  cordonedPath: string;
  marker: string;
  /** For the message: "its upgrade to v1.34.1". */
  purpose: string;
  /** What stops at this node: "the upgrade". */
  work: string;
  timeoutSec: number;
}

export async function cordonAndDrain(ctx: NodeContext, admin: RemoteHost, step: string, o: DrainFor): Promise<void> {
  const name = ctx.inputs.name;
  const node = await getNode(admin, name, step);
  if (node && !node.unschedulable) {
    await writeMarker(ctx.host, o.cordonedPath, o.marker, step);
    invalidate(ctx);
    await cordon(admin, name, step);
  }
  try {
    await drain(admin, name, step, { timeoutSec: o.timeoutSec });
  } catch (e) {
    if (!isSshError(e, "command")) throw e;
    if (await ctx.host.test(`[ -f ${o.cordonedPath} ]`, step)) await uncordon(admin, name, step);
    await ctx.host.run(`rm -f ${o.cordonedPath}`, { step, mutating: true });
    invalidate(ctx);
    const pods = blockingPods(e.failure.stderr ?? "");
    throw ClusterkitError.failure(
      where(ctx),
      step,
      `draining ${name} for ${o.purpose} did not finish within ${o.timeoutSec} s${pods.length ? `: ${pods.join(", ")} could not be evicted (a PodDisruptionBudget allows no disruption now)` : ""}; the node was uncordoned and ${o.work} stops here`,
      pods.length ? `see \`kubectl get pdb -A\`: scale those workloads up or relax their PodDisruptionBudget, then run pulumi up again (it resumes on this node)` : "see why the pods did not leave (`kubectl get pods -A -o wide`), then run pulumi up again (it resumes on this node)",
    );
  }
}
