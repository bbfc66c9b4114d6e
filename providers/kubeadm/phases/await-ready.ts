/**
 * After a join into a cluster that runs workloads, the node must be Ready before the step that
 * created it completes: in a rolling replacement (a vSphere template roll) the next node is
 * drained as soon as this one's step is done, so a node that joined but never became Ready would
 * take capacity down one node more with every step. A cluster with no other Ready node is being
 * bootstrapped (its CNI comes after the nodes): there is nothing to wait for.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { ClusterkitError } from "../../../core/errors";
import { log } from "../context";
import { getNode, listNodes } from "../cluster/kubectl";
import type { Phase } from "../phase";
import { anyAdmin, where, type NodeContext } from "./node-context";

export const awaitReadyTiming = { timeoutMs: 10 * 60_000, intervalMs: 2_000 };

export const awaitReady: Phase<NodeContext> = {
  name: "await-ready",
  async needed(ctx) {
    return ctx.joinedNow === true;
  },
  async run(ctx) {
    const step = this.name;
    const admin = await anyAdmin(ctx, step);
    if (!admin) return;
    const others = (await listNodes(admin, step)).filter((n) => n.name !== ctx.inputs.name);
    if (!others.some((n) => n.ready)) return;
    const started = Date.now();
    let last = "it has not registered";
    for (;;) {
      const node = await getNode(admin, ctx.inputs.name, step);
      if (node?.ready) {
        log(`${ctx.label}: Ready ${((Date.now() - started) / 1000).toFixed(1)} s after joining`);
        return;
      }
      if (node) last = `${node.reason ?? "not Ready"}${node.message ? `: ${node.message}` : ""}`;
      if (Date.now() - started >= awaitReadyTiming.timeoutMs) {
        throw ClusterkitError.failure(
          where(ctx),
          step,
          `node ${ctx.inputs.name} joined but is not Ready after ${awaitReadyTiming.timeoutMs / 60_000} minutes (${last}); the nodes after it were left as they are`,
          `see why on the host (journalctl -u kubelet, crictl ps -a) and in kubectl describe node ${ctx.inputs.name}, fix it, then run pulumi up again: it goes on from this node`,
        );
      }
      await sleep(awaitReadyTiming.intervalMs);
    }
  },
};
