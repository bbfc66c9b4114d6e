/**
 * What the engine's calls do for the cluster's destroy guard; tests call these as the engine would.
 *
 * The guard depends on everything the cluster is made of, so `pulumi destroy` deletes it first,
 * and nothing of the cluster is deleted until it is gone. Its delete refuses unless the destroy
 * is confirmed, so an unconfirmed destroy stops before the add-ons (the CNI among them), the
 * workers or the VMs are touched, not after, as a guard on the last control plane alone would.
 */
import { ClusterkitError } from "../../core/errors";
import { destroyConfirmation, destroyConfirmed } from "../kubeadm/teardown/context";
import type { ClusterDestroyGuardInputs } from "./types";

export const clusterDestroyGuard = {
  async create(inputs: ClusterDestroyGuardInputs): Promise<{ id: string; outs: ClusterDestroyGuardInputs }> {
    return { id: inputs.cluster, outs: inputs };
  },
  async read(id: string, props: ClusterDestroyGuardInputs): Promise<{ id: string; props: ClusterDestroyGuardInputs }> {
    return { id, props };
  },
  async diff(_id: string, olds: ClusterDestroyGuardInputs, news: ClusterDestroyGuardInputs): Promise<{ changes: boolean; replaces: string[]; deleteBeforeReplace: boolean }> {
    // Never a replacement: replacing would delete the old guard, which is a refusal.
    return { changes: olds.cluster !== news.cluster || olds.stack !== news.stack, replaces: [], deleteBeforeReplace: false };
  },
  async update(_id: string, _olds: ClusterDestroyGuardInputs, news: ClusterDestroyGuardInputs): Promise<{ outs: ClusterDestroyGuardInputs }> {
    return { outs: news };
  },
  async delete(_id: string, props: ClusterDestroyGuardInputs): Promise<void> {
    if (destroyConfirmed(props.cluster)) return;
    throw ClusterkitError.failure(
      `stack ${props.stack}`,
      "destroy",
      `refusing to destroy cluster ${props.cluster}: nothing was removed (its nodes, add-ons and data are as they were)`,
      `if you mean to destroy cluster ${props.cluster}, confirm it: ${destroyConfirmation}=${props.cluster} pulumi destroy`,
    );
  },
};
