/**
 * The one Pulumi program for every stack: config → resolved ClusterSpec → Cluster component.
 * All decisions are made in core/ (pure); this file only wires.
 */
import * as pulumi from "@pulumi/pulumi";
import { formatWarning } from "./core/errors";
import { Cluster } from "./components/cluster";
import { projectRoot, resolveProgram, runtimeConfigMap } from "./components/program-config";
import { readSecrets } from "./components/secrets";

const { spec, warnings } = resolveProgram(projectRoot(), pulumi.getStack(), runtimeConfigMap());
// pulumi.log.warn adds its own "warning:" prefix.
for (const w of warnings) pulumi.log.warn(formatWarning(w).replace(/^warning: /, ""));

const cluster = new Cluster(spec.name, { spec, secrets: readSecrets(spec) });

export const clusterName = cluster.clusterName;
export const platform = cluster.platform;
export const kubernetesVersion = cluster.kubernetesVersion;
export const apiServerUrl = cluster.apiServerUrl;
/** Admin kubeconfig (secret): `pulumi stack output kubeconfig --show-secrets`. */
export const kubeconfig = cluster.kubeconfig;
/**
 * Kubeconfig for OIDC users, using the kubectl oidc-login plugin (secret; absent without OIDC).
 * Exported only when there is one: Pulumi warns about every stack output that is undefined.
 */
if (cluster.oidcKubeconfig) module.exports.oidcKubeconfig = cluster.oidcKubeconfig;
