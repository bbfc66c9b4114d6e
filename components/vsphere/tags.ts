/**
 * vSphere tags on the cluster's folder and VMs: one category per tag key (the spec's cluster,
 * stack, blueprint and region tags, plus the node role), one tag per value.
 */
import * as pulumi from "@pulumi/pulumi";
import type { ClusterSpec } from "../../core/spec";
import { roleTagKey, tagCategoryName, tagKeys } from "../../core/vsphere/vm-plan";
import * as vsphere from "./sdk";

export interface ClusterTags {
  /** Tag ID for a [category key, value] pair of `vmTags`/the spec's tags. */
  id(key: string, value: string): pulumi.Output<string>;
  /** IDs of the spec's tags (what the folder carries). */
  clusterIds: pulumi.Output<string>[];
}

export function createTags(spec: ClusterSpec, opts: pulumi.CustomResourceOptions): ClusterTags {
  const tags = new Map<string, vsphere.Tag>();
  for (const key of tagKeys(spec)) {
    const category = new vsphere.TagCategory(
      `${spec.name}-${key}`,
      {
        name: tagCategoryName(spec, key),
        description: `clusterkit tag ${key} of cluster ${spec.name}`,
        cardinality: "SINGLE",
        associableTypes: ["VirtualMachine", "Folder"],
      },
      opts,
    );
    const values = key === roleTagKey ? [...new Set(spec.nodes.map((n) => n.role))] : [spec.tags[key]];
    for (const value of values) {
      tags.set(`${key}=${value}`, new vsphere.Tag(`${spec.name}-${key}-${value}`, { name: value, categoryId: category.id, description: `${key}=${value}` }, opts));
    }
  }
  const id = (key: string, value: string) => {
    const tag = tags.get(`${key}=${value}`);
    if (!tag) throw new Error(`no vSphere tag ${key}=${value} was created for cluster ${spec.name}`);
    return tag.id;
  };
  return { id, clusterIds: Object.entries(spec.tags).map(([k, v]) => id(k, v)) };
}
