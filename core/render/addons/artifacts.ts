/**
 * `clusterkit plan --out` files for the add-ons, under `addons/`: each Helm release's values,
 * each stage's manifests, a `releases.yaml` index of the pinned charts, and the OIDC kubeconfig.
 * Secret values are written as `[secret: <config key>]`; values only the live platform knows
 * (the EKS endpoint, the cluster CA) as `<…>` placeholders.
 */
import { stringify } from "yaml";
import type { ClusterSpec } from "../../spec";
import type { Artifact } from "../artifacts";
import { csiTrustPolicy, eksCsiAddons } from "./eks-storage";
import type { AddonInstall } from "./helm";
import { toYaml } from "./k8s";
import { eksIdentityProvider, kubeadmServerUrl, oidcKubeconfig } from "./oidc";
import { addonPlan } from "./plan";
import { storageSecrets } from "./storage";

const secret = (key: string) => `[secret: clusterkit:${key}]`;

function stageArtifacts(stage: string, installs: AddonInstall[]): { files: Artifact[]; index: Record<string, unknown>[] } {
  const files: Artifact[] = [];
  const index: Record<string, unknown>[] = [];
  for (const install of installs) {
    for (const r of install.releases) {
      const path = `addons/${stage}/${r.name}-values.yaml`;
      files.push({ path, content: stringify(r.values, { lineWidth: 0 }) });
      index.push({ stage, release: r.name, namespace: r.namespace, repo: r.chart.repo, chart: r.chart.chart, version: r.chart.version, values: path });
    }
  }
  const objects = installs.flatMap((i) => [...i.namespaces, ...(i.prerequisites ?? []), ...i.objects]);
  if (objects.length) files.push({ path: `addons/${stage}/manifests.yaml`, content: toYaml(objects) });
  return { files, index };
}

export function addonArtifacts(spec: ClusterSpec): Artifact[] {
  const plan = addonPlan(spec);
  const stages = [stageArtifacts("cni", [plan.cni]), stageArtifacts("storage", plan.storage), stageArtifacts("ingress", plan.ingress)];
  const out: Artifact[] = [
    { path: "addons/network-identity.yaml", content: toYaml([plan.networkIdentity]) },
    ...stages.flatMap((s) => s.files),
    { path: "addons/releases.yaml", content: stringify({ releases: stages.flatMap((s) => s.index) }) },
  ];

  const secrets = storageSecrets(spec, { vspherePassword: secret("vspherePassword"), cephUserKey: secret("cephUserKey") });
  if (secrets.length) out.push({ path: "addons/storage/secrets.yaml", content: toYaml(secrets) });
  const csiAddons = eksCsiAddons(spec).map((a) => ({
    ...a,
    trustPolicy: csiTrustPolicy(a, "<ARN of the cluster's IAM OIDC provider>", "https://<the cluster's OIDC issuer>"),
  }));
  if (csiAddons.length) out.push({ path: "addons/storage/eks-csi-addons.yaml", content: stringify(csiAddons) });

  if (spec.oidc) {
    out.push({ path: "addons/oidc/cluster-role-bindings.yaml", content: toYaml(plan.oidc) });
    const server = kubeadmServerUrl(spec) ?? "<EKS API endpoint, known once the cluster exists>";
    const hasClientSecret = spec.secrets.some((s) => s.key === "clusterkit:oidcClientSecret" && s.present);
    out.push({ path: "addons/oidc/kubeconfig.yaml", content: oidcKubeconfig(spec, server, { "certificate-authority-data": "<base64 cluster CA, known once the cluster exists>" }, hasClientSecret ? secret("oidcClientSecret") : null) });
    const idp = eksIdentityProvider(spec);
    if (idp) out.push({ path: "addons/oidc/eks-identity-provider.yaml", content: stringify(idp) });
  }
  return out;
}
