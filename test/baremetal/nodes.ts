// The cluster's nodes as kubectl on a control plane reports them, read by the tests independently
// of the code under test (providers/kubeadm/cluster/kubectl.ts parses the same JSON for the product).
import assert from "node:assert/strict";
import type { TestHost } from "../hosts/harness";

export interface NodeState {
  version: string;
  cordoned: boolean;
}

/** Each node's kubelet version and whether it is cordoned, by node name. */
export async function nodeStates(controlPlane: TestHost): Promise<Record<string, NodeState>> {
  const out = await controlPlane.exec("kubectl --kubeconfig /etc/kubernetes/admin.conf get nodes -o json");
  assert.equal(out.code, 0, out.stderr);
  const items = (JSON.parse(out.stdout) as { items: { metadata: { name: string }; spec: { unschedulable?: boolean }; status: { nodeInfo: { kubeletVersion: string } } }[] }).items;
  return Object.fromEntries(items.map((n) => [n.metadata.name, { version: n.status.nodeInfo.kubeletVersion, cordoned: n.spec.unschedulable === true }]));
}

/** Each node's kubelet version, by node name. */
export async function kubeletVersions(controlPlane: TestHost): Promise<Record<string, string>> {
  return Object.fromEntries(Object.entries(await nodeStates(controlPlane)).map(([n, s]) => [n, s.version]));
}
