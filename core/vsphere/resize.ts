/**
 * What a change of a VM's CPUs or memory means on vSphere, decided from the previous and the new
 * shape alone. The vSphere provider powers a VM off for any change the running VM cannot take, and
 * Pulumi updates every VM of a pool (or of the control plane) at once: a size change would stop
 * them all together, with no drain. So a change a running VM takes (an increase with hot-add on)
 * goes ahead; a VM that can be rolled (core/vsphere/rollout.ts) is replaced one node at a time
 * with the new size; anything else is refused before a VM is touched, with the procedure that
 * restarts one drained node at a time, unless the user has named that very node as the one to
 * restart.
 */
import { ClusterkitError } from "../errors";
import { rollBlocker, type RollSubject } from "./rollout";

export interface VmShape {
  cpus: number;
  memoryMiB: number;
  /** `cpuHotAddEnabled` / `memoryHotAddEnabled` of the VM. */
  cpuHotAdd: boolean;
  memoryHotAdd: boolean;
}

export type ResizeDecision =
  | { kind: "unchanged" }
  /** The running VM takes the change: no restart. */
  | { kind: "hot-add" }
  /** The provider would power the VM off; each reason says why. */
  | { kind: "restart"; reasons: string[] };

export function decideResize(prev: VmShape, next: VmShape): ResizeDecision {
  const reasons: string[] = [];
  if (prev.cpuHotAdd !== next.cpuHotAdd || prev.memoryHotAdd !== next.memoryHotAdd) reasons.push("hot-add settings only change while the VM is off");
  if (next.cpus < prev.cpus) reasons.push("vSphere cannot remove CPUs from a running VM");
  else if (next.cpus > prev.cpus && !prev.cpuHotAdd) reasons.push("CPU hot-add is off on this VM");
  if (next.memoryMiB < prev.memoryMiB) reasons.push("vSphere cannot remove memory from a running VM");
  else if (next.memoryMiB > prev.memoryMiB && !prev.memoryHotAdd) reasons.push("memory hot-add is off on this VM");
  if (reasons.length) return { kind: "restart", reasons };
  const changed = next.cpus !== prev.cpus || next.memoryMiB !== prev.memoryMiB;
  return changed ? { kind: "hot-add" } : { kind: "unchanged" };
}

/** Names the one node the user has drained and lets clusterkit restart: `CLUSTERKIT_RESTART_NODE=<node>`. */
export const restartNodeVariable = "CLUSTERKIT_RESTART_NODE";

export interface ResizeSubject extends RollSubject {
  node: string;
  stack: string;
  /** Where the size is set, e.g. `blueprints/vsphere-ha.yaml` and `nodePools.workers.size`. */
  file: string;
  path: string;
  /** URNs to target so that only this node's VM changes. */
  targets: string[];
}

export const shape = (s: VmShape) => `${s.cpus} CPUs / ${s.memoryMiB} MiB`;

/** A restart the roll turns into a replacement: the VM is cloned again with the new size. */
export type ResizeCheck = ResizeDecision | { kind: "roll"; reasons: string[] };

/**
 * A change that needs a restart is a roll when the node's VM can be replaced one node at a time;
 * otherwise it throws unless `allowedNode` is this node. The refusal names the field, why no roll
 * is possible, and the safe procedure: drain, restart only this VM, wait for Ready, uncordon.
 */
export function checkResize(subject: ResizeSubject, prev: VmShape, next: VmShape, allowedNode: string | null): ResizeCheck {
  const decision = decideResize(prev, next);
  if (decision.kind !== "restart") return decision;
  const blocker = rollBlocker(subject);
  if (!blocker) return { kind: "roll", reasons: decision.reasons };
  if (allowedNode === subject.node) return decision;
  const n = subject.node;
  const targets = subject.targets.map((u) => `--target '${u}'`).join(" ");
  throw new ClusterkitError([
    {
      file: subject.file,
      path: subject.path,
      message:
        `resizing VM ${n} needs it powered off (${decision.reasons.join("; ")}); its VM cannot be replaced one node at a time instead, because ${blocker.why}; ` +
        "and pulumi up would power off every resized VM at once, control planes included, without a drain; nothing was changed",
      expected: shape(prev),
      found: shape(next),
      hint:
        `restart one node at a time: kubectl drain ${n} --ignore-daemonsets --delete-emptydir-data && ` +
        `${restartNodeVariable}=${n} pulumi up --stack ${subject.stack} ${targets} && ` +
        `kubectl wait --for=condition=Ready node/${n} --timeout=10m && kubectl uncordon ${n}; then the next node. ` +
        `Or ${blocker.hint}, and the change rolls by itself; or keep the size as it was`,
    },
  ]);
}
