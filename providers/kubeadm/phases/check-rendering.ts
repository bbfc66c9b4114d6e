/**
 * A node that must bootstrap again (reset outside clusterkit, half-joined) needs the rendering of
 * what it does: kubeadm init on the node that initialised the cluster, join everywhere else. The
 * rendering follows the inventory's order while what the node did is fixed in its state (diff.ts),
 * so after a reorder they can disagree; this stops before kubeadm runs with the wrong config.
 */
import { ClusterkitError } from "../../../core/errors";
import type { Phase } from "../phase";
import { kubeadmDone } from "../probe";
import { facts, where, type NodeContext } from "./node-context";

export const checkRendering: Phase<NodeContext> = {
  name: "check-rendering",
  async needed(ctx) {
    const rendersInit = ctx.inputs.kubeadmCommand[1] === "init";
    return rendersInit !== ctx.inputs.init && !kubeadmDone(await facts(ctx, this.name), ctx.inputs.init);
  },
  async run(ctx) {
    const name = ctx.inputs.name;
    throw ClusterkitError.failure(
      where(ctx),
      this.name,
      ctx.inputs.init
        ? `${name} initialised this cluster and has not completed kubeadm here, but the inventory no longer lists it first, so clusterkit rendered a join for it`
        : `${name} joined this cluster and has to join again, but it is now the first control plane in the inventory, for which clusterkit renders kubeadm init`,
      ctx.inputs.init ? `list ${name} first among the control planes for this run` : `list a control plane that is in the cluster before ${name} for this run`,
    );
  },
};
