/**
 * The one health gate a control plane passes after anything restarted its static pods (an API
 * server restart, a certificate renewal, `kubeadm upgrade`, a reconfiguration): its own
 * kube-apiserver is the one wanted (a new container, the target version, ...), answers /readyz,
 * and every voting etcd member is healthy. Control planes change one after another and each waits
 * for the one before, so a node that fails this gate stops the run there and the others keep
 * serving.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { ClusterkitError } from "../../../core/errors";
import { apiServerReady } from "../cluster/apiserver";
import { isVotingMember, listMembers, memberHealth } from "../cluster/etcd";
import { where, type NodeContext } from "./node-context";

export interface ControlPlaneGate {
  step: string;
  timeoutMs: number;
  intervalMs: number;
  /** null once this host runs the kube-apiserver wanted, else what it runs instead (for the error). */
  apiServer: () => Promise<string | null>;
  /** The error once time is up, from the last thing seen (`state`). */
  timedOut: (state: string) => { message: string; hint: string };
}

/** Waits until the control plane passes the gate, or throws the gate's error (a failure, exit 1). */
export async function waitForControlPlane(ctx: NodeContext, gate: ControlPlaneGate): Promise<void> {
  const deadline = Date.now() + gate.timeoutMs;
  for (;;) {
    let state = await gate.apiServer();
    if (state === null) {
      state = "kube-apiserver does not answer /readyz";
      if (await apiServerReady(ctx.host, gate.step)) {
        state = "etcd is not healthy";
        const members = (await listMembers(ctx.host, gate.step)).filter(isVotingMember);
        const health = await memberHealth(ctx.host, members, gate.step);
        if (members.length > 0 && members.every((m) => health.get(m.id))) return;
      }
    }
    if (Date.now() >= deadline) {
      const e = gate.timedOut(state);
      throw ClusterkitError.failure(where(ctx), gate.step, e.message, e.hint);
    }
    await sleep(gate.intervalMs);
  }
}
