/** Mock outputs of the kubeadm dynamic resources (bare metal, vSphere) for the offline plan. */
import { registerComputedOutputs } from "../mocks";

const observed = {
  reachable: true,
  kubeletVersion: null,
  kubeadmVersion: null,
  kubeletActive: true,
  registered: true,
  ready: true,
  readyReason: null,
  appliedConfigHash: null,
  etcdMember: null,
  drift: [],
};

registerComputedOutputs("pulumi-nodejs:dynamic/clusterkit:KubeadmNode", (name, inputs) => ({
  kubeconfig: inputs.init
    ? `apiVersion: v1\nkind: Config\nclusters:\n- name: ${name}\n  cluster:\n    server: https://mock-endpoint:6443\ncontexts: []\nusers: []\n`
    : "",
  observed: { ...observed, appliedConfigHash: inputs.configHash ?? null, etcdMember: inputs.role === "control-plane" ? true : null },
}));

registerComputedOutputs("pulumi-nodejs:dynamic/clusterkit:HostPreparation", () => ({ os: "debian", pending: [] }));
