// The cluster's nodes as kubectl on a control plane reports them, read by the tests independently
// of the code under test (providers/kubeadm/cluster/kubectl.ts parses the same JSON for the product).
import assert from "node:assert/strict";
import { parseMemberList } from "../../providers/kubeadm/cluster/etcd";
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

/** `cmd` on the host as root, which must exit 0; its standard output. */
export async function run(host: TestHost, cmd: string): Promise<string> {
  const r = await host.exec(cmd);
  assert.equal(r.code, 0, `${host.name}: ${cmd}: ${r.stderr}`);
  return r.stdout;
}

/** Each etcd member as the host's etcdctl lists it, by name: voting, learner or unstarted. */
export async function etcdMembers(host: TestHost): Promise<Record<string, "voting" | "learner" | "unstarted">> {
  const out = await run(host, "etcdctl member list -w simple");
  return Object.fromEntries(parseMemberList(out).map((m) => [m.name, m.learner ? "learner" : m.started ? "voting" : "unstarted"]));
}
