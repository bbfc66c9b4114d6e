/** Golden files of everything the kubeadm renderers write for the example stacks (`UPDATE_GOLDEN=1` to refresh). */
import { describe, it } from "node:test";
import { kubeadmArtifacts, nodeFiles, placeholderSecrets } from "../core/render/kubeadm";
import { expectGolden } from "./golden/golden";
import { stackSpec } from "./render-kubeadm-specs";

describe("kubeadm golden files", () => {
  for (const stack of ["metal-ber1", "vsphere-fra1"]) {
    it(`plan artifacts of ${stack}`, () => expectGolden(`kubeadm/${stack}/plan`, kubeadmArtifacts(stackSpec(stack))));

    it(`node files of ${stack} (first and second control plane, first worker)`, () => {
      const spec = stackSpec(stack);
      const cps = spec.nodes.filter((n) => n.role === "control-plane");
      const nodes = [cps[0], cps[1], spec.nodes.find((n) => n.role === "worker")!];
      const files = nodes.flatMap((n) =>
        nodeFiles(spec, n, placeholderSecrets).map((f, i) => ({
          path: `${n.name}/${String(i).padStart(2, "0")}-${f.when}${f.path.replace(/\//g, "_")}`,
          content: `# mode ${f.mode}${f.sensitive ? ", sensitive" : ""}${f.ephemeral ? ", ephemeral" : ""}\n${f.content}`,
        })),
      );
      expectGolden(`kubeadm/${stack}/nodes`, files);
    });
  }
});
