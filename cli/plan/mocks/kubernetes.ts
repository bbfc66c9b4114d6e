/**
 * Mock outputs for @pulumi/kubernetes resources. Objects echo their inputs (the SDK's default);
 * a Helm release also reports the status Helm would return after `helm install`.
 */
import { registerComputedOutputs } from "../mocks";

type State = Record<string, unknown>;

registerComputedOutputs("kubernetes:helm.sh/v3:Release", (name, inputs) => {
  const repo = (inputs.repositoryOpts as State | undefined)?.repo;
  return {
    status: {
      name: inputs.name ?? name,
      namespace: inputs.namespace ?? "default",
      chart: inputs.chart,
      version: inputs.version,
      appVersion: inputs.version,
      revision: 1,
      status: "deployed",
      ...(repo ? { repository: repo } : {}),
    },
    manifest: {},
    resourceNames: {},
  };
});
