/** ClusterSpecs for the renderer tests: the example stacks, resolved, plus small variants of them. */
import { loadStackFile, resolveStackFile } from "../core/load/project";
import type { ClusterSpec } from "../core/spec";
import type { NodeSecrets } from "../core/render/kubeadm";
import { exampleRoot } from "./support/temp-project";

const cache = new Map<string, ClusterSpec>();

/** A fresh copy of the resolved spec of an example stack; mutate it freely. */
export function stackSpec(stack: string): ClusterSpec {
  if (!cache.has(stack)) cache.set(stack, resolveStackFile(exampleRoot(), loadStackFile(exampleRoot(), stack)).spec);
  return structuredClone(cache.get(stack)!);
}

export function withVersion(spec: ClusterSpec, version: string): ClusterSpec {
  return { ...spec, kubernetes: { version, minor: version.split(".").slice(0, 2).join(".") } };
}

export const oidc: NonNullable<ClusterSpec["oidc"]> = {
  issuerUrl: "https://login.example.com/realms/platform",
  clientId: "kubernetes",
  usernameClaim: "email",
  groupsClaim: "groups",
  usernamePrefix: "oidc:",
  groupsPrefix: "oidc:",
  extraScopes: ["email", "groups"],
  bindings: [{ group: "platform-admins", clusterRole: "cluster-admin" }],
};

export function withProxy(spec: ClusterSpec, mirror: string | null = "https://mirror.example.com/k8s/core:/stable:/"): ClusterSpec {
  if (spec.platform.kind === "eks") throw new Error("no proxy on EKS");
  const packages = { mirror, containerdMirror: null, httpProxy: "http://proxy.example.com:3128", httpsProxy: "http://proxy.example.com:3128", noProxy: ["corp.example.com"] };
  return { ...spec, platform: { ...spec.platform, packages } };
}

/** A proxy and mirror full of shell metacharacters (which config formats allow): they must stay literal. */
export function hostileSpec(): ClusterSpec {
  const spec = withProxy(stackSpec("metal-ber1"), "https://mirror.example.com/it's/$(id>/tmp/clusterkit-pwned)/`id>/tmp/clusterkit-pwned`");
  if (spec.platform.kind !== "baremetal") throw new Error("metal-ber1 is bare metal");
  spec.platform.packages.httpProxy = "http://proxy.example.com:3128/$(id>/tmp/clusterkit-pwned)";
  spec.platform.packages.containerdMirror = "https://mirror.example.com/it's/$(id>/tmp/clusterkit-pwned)/`id>/tmp/clusterkit-pwned`/docker";
  spec.platform.packages.noProxy = ["'quoted'", "$HOME", "`id>/tmp/clusterkit-pwned`", "100%"];
  return spec;
}

/** Secret values shaped like the real ones, so tests can grep rendered output for them. */
export const realSecrets: Required<NodeSecrets> = {
  init: { bootstrapToken: "abcdef.0123456789abcdef", certificateKey: "f".repeat(64) },
  join: { token: "ghijkl.0123456789ghijkl", caCertHash: `sha256:${"a".repeat(64)}`, certificateKey: "e".repeat(64) },
  encryption: { keys: [{ name: "key1", secret: "c2VjcmV0LWtleS0zMi1ieXRlcy1sb25nLXh4eHh4eHg=" }] },
};

/** Every example stack on a kubeadm platform. */
export const kubeadmStacks = ["metal-ber1", "metal-nyc1", "vsphere-fra1", "vsphere-ams1"];
