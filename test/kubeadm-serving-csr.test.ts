// Which CSRs the node provider approves: only the node's own kubelet-serving requests, still pending.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { isPending, parseCsr, servingCsrsOf } from "../providers/kubeadm/cluster/csr";

const csr = (name: string, signerName: string, username: string, conditions: { type: string; status: string }[] = []) =>
  parseCsr({ metadata: { name }, spec: { signerName, username }, status: { conditions } });

describe("kubelet serving CSRs", () => {
  const all = [
    csr("a", "kubernetes.io/kubelet-serving", "system:node:w-1"),
    csr("b", "kubernetes.io/kubelet-serving", "system:node:w-10"),
    csr("c", "kubernetes.io/kube-apiserver-client-kubelet", "system:node:w-1"),
    csr("d", "kubernetes.io/kubelet-serving", "system:bootstrap:abcdef"),
    csr("e", "kubernetes.io/kubelet-serving", "system:node:w-1", [{ type: "Approved", status: "True" }]),
    csr("f", "kubernetes.io/kubelet-serving", "system:node:w-1", [{ type: "Denied", status: "True" }]),
  ];

  it("selects the node's own kubelet-serving requests only", () => {
    assert.deepEqual(servingCsrsOf(all, "w-1").map((c) => c.name), ["a", "e", "f"]);
  });

  it("approves only those neither approved nor denied", () => {
    assert.deepEqual(servingCsrsOf(all, "w-1").filter(isPending).map((c) => c.name), ["a"]);
  });
});
