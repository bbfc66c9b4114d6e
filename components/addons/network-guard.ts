/**
 * Refuses a change of CNI or pod CIDR on a live cluster, before anything is sent to it.
 *
 * How: the first deployment records the CNI and pod CIDR in the ConfigMap kube-system/
 * clusterkit-network-identity. The resource ignores changes to its data, so on every later
 * preview or update Pulumi keeps the recorded values and its `data` output still holds what the
 * cluster was built with. `verified` compares that with the spec (replaceOnlyChanges, a pure rule)
 * and fails with an explanation when they differ. Every CNI resource takes `verified` as an input,
 * so on a refusal no CNI object is created, updated or deleted, and since the program fails, Pulumi
 * deletes nothing either. The old CNI is never silently replaced; the cure is a new cluster.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { networkIdentity, networkIdentityConfigMap } from "../../core/render/addons/network-identity";
import { replaceOnlyChanges } from "../../core/resolve/rules/cni";
import type { ClusterSpec } from "../../core/spec";
import type { AddonContext } from "./resources";

export interface NetworkGuard {
  record: k8s.core.v1.ConfigMap;
  /** Resolves to the recorded identity once it matches the spec; fails otherwise. */
  verified: pulumi.Output<Record<string, string>>;
}

export function networkGuard(ctx: AddonContext, spec: ClusterSpec, dependsOn: pulumi.Input<pulumi.Resource>[]): NetworkGuard {
  const cm = networkIdentityConfigMap(spec);
  const record = new k8s.core.v1.ConfigMap(`${ctx.prefix}-network-identity`, { metadata: cm.metadata, data: cm.data as Record<string, string> }, {
    parent: ctx.parent,
    provider: ctx.provider,
    dependsOn,
    ignoreChanges: ["data"],
  });
  const desired = networkIdentity(spec);
  const verified = record.data.apply((recorded) => {
    const problems = replaceOnlyChanges(recorded, desired);
    if (problems.length) {
      throw new pulumi.RunError(`clusterkit: refusing to change the pod network of live cluster ${spec.name}:\n  ${problems.join("\n  ")}`);
    }
    return recorded ?? { ...desired };
  });
  return { record, verified };
}
