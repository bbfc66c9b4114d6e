/**
 * The Pulumi dynamic resources. The engine serialises each provider object with its closure and
 * runs it in a separate process, so the closures here capture nothing but two strings (where the
 * implementation lives) and `require()` it, with a TypeScript loader, inside each call.
 */
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import type { HostPrepInputs, NodeInputs } from "./types";

type Inputs<T> = { [K in keyof T]: pulumi.Input<T[K]> };

/** Where runtime.ts is: absolute for this checkout, and relative to the project for a moved one. */
const runtimeAbsolute = path.join(__dirname, "runtime");
const runtimeRelative = path.relative(path.resolve(__dirname, "..", ".."), runtimeAbsolute);

function dynamicProvider(kind: "kubeadmNode" | "hostPreparation", absolute: string, relative: string): pulumi.dynamic.ResourceProvider {
  const load = () => {
    // The provider process runs plain node: teach it TypeScript first (a no-op when already loaded).
    const fs = require("fs") as typeof import("fs");
    const candidates = [absolute, require("path").resolve(process.cwd(), relative)];
    const found = candidates.find((c) => fs.existsSync(`${c}.ts`) || fs.existsSync(`${c}.js`)) ?? absolute;
    require(require.resolve("tsx/cjs", { paths: [found, process.cwd()] }));
    return require(found)[kind];
  };
  return {
    create: (inputs) => load().create(inputs),
    read: (id, props) => load().read(id, props),
    diff: (id, olds, news) => load().diff(id, olds, news),
    update: (id, olds, news) => load().update(id, olds, news),
    delete: (id, props) => load().delete(id, props),
  };
}

export const kubeadmNodeProvider = dynamicProvider("kubeadmNode", runtimeAbsolute, runtimeRelative);
export const hostPreparationProvider = dynamicProvider("hostPreparation", runtimeAbsolute, runtimeRelative);

/** One node's kubeadm lifecycle: init or join, refresh, update, drain and reset on delete. */
export class KubeadmNode extends pulumi.dynamic.Resource {
  static readonly secretOutputs = ["privateKey", "secretFiles", "kubeconfig"];
  declare readonly kubeconfig: pulumi.Output<string>;
  declare readonly observed: pulumi.Output<Record<string, unknown>>;

  constructor(name: string, args: Inputs<NodeInputs>, opts?: pulumi.CustomResourceOptions) {
    super(
      kubeadmNodeProvider,
      name,
      { ...args, kubeconfig: undefined, observed: undefined },
      { ...opts, additionalSecretOutputs: [...(opts?.additionalSecretOutputs ?? []), ...KubeadmNode.secretOutputs] },
      "clusterkit",
      "KubeadmNode",
    );
  }
}

/** Host preparation on one machine: OS detection and the rendered host steps. */
export class HostPreparation extends pulumi.dynamic.Resource {
  declare readonly os: pulumi.Output<string>;

  constructor(name: string, args: Inputs<HostPrepInputs>, opts?: pulumi.CustomResourceOptions) {
    super(
      hostPreparationProvider,
      name,
      { ...args, os: undefined, pending: undefined },
      { ...opts, additionalSecretOutputs: [...(opts?.additionalSecretOutputs ?? []), "privateKey"] },
      "clusterkit",
      "HostPreparation",
    );
  }
}
