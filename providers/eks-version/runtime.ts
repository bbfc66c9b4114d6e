/**
 * What the engine's calls do for the EKS version guard; tests call these as the engine would.
 *
 * Its state is the Kubernetes minor of the last `pulumi up`. Its diff runs in the preview, and
 * before the cluster (which depends on it) is updated, so a step EKS cannot take (two minors, or
 * back) stops the preview with the safe path instead of failing half way through `pulumi up`.
 */
import { checkVersionStep } from "../../core/eks/version-step";
import type { EksVersionGuardInputs } from "./types";
import { sameValue } from "../same-value";

const same = sameValue;

export const eksVersionGuard = {
  async create(inputs: EksVersionGuardInputs): Promise<{ id: string; outs: EksVersionGuardInputs }> {
    return { id: `${inputs.stack}/${inputs.clusterName}`, outs: inputs };
  },
  async read(id: string, props: EksVersionGuardInputs): Promise<{ id: string; props: EksVersionGuardInputs }> {
    return { id, props };
  },
  async diff(_id: string, olds: EksVersionGuardInputs, news: EksVersionGuardInputs): Promise<{ changes: boolean; replaces: string[]; deleteBeforeReplace: boolean }> {
    // A renamed cluster is a new cluster (EKS replaces it): any version goes, and the guard starts over.
    if (olds.clusterName !== news.clusterName) return { changes: true, replaces: ["clusterName"], deleteBeforeReplace: false };
    checkVersionStep(news, olds.version, news.version);
    return { changes: !same(olds, news), replaces: [], deleteBeforeReplace: false };
  },
  async update(_id: string, _olds: EksVersionGuardInputs, news: EksVersionGuardInputs): Promise<{ outs: EksVersionGuardInputs }> {
    return { outs: news };
  },
  async delete(): Promise<void> {},
};
