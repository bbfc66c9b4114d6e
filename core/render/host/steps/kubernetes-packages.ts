/**
 * kubeadm, kubelet and kubectl at exactly `spec.kubernetes.version`, from pkgs.k8s.io or the
 * configured mirror (same `v1.NN/{deb,rpm}` layout), then held so no routine upgrade moves them.
 * A host that already has another version is refused: changing versions is an upgrade, which
 * kubeadm must drive (`kubeadm upgrade`), not the package manager. On a node that is in the
 * cluster (kubeadm wrote its kubelet.conf) the version is the upgrade's business: the node's
 * kubeadm resource moves it one node at a time, so here any installed, held version is done.
 */
import type { ClusterSpec } from "../../../spec";
import { kubernetesPackageNames, osFamilies, type KubernetesPackages } from "../os";
import { helpers, indent, osCase, script } from "../shell";
import type { HostStep } from "../step";
import { proxyEnv, proxySettings } from "./http-proxy";

export const pkgsK8sIo = "https://pkgs.k8s.io/core:/stable:";
/** Written by kubeadm init/join: the node is in the cluster. */
const bootstrapped = "/etc/kubernetes/kubelet.conf";

export function kubernetesPackages(spec: ClusterSpec): KubernetesPackages {
  const mirror = spec.platform.kind === "eks" ? null : spec.platform.packages.mirror;
  return { base: (mirror ?? pkgsK8sIo).replace(/\/+$/, ""), minor: spec.kubernetes.minor, version: spec.kubernetes.version };
}

export function kubernetesPackagesStep(spec: ClusterSpec): HostStep {
  const src = kubernetesPackages(spec);
  const names = kubernetesPackageNames.join(" ");
  const summary = `Installs ${kubernetesPackageNames.join(", ")} ${src.version} from ${src.base} and holds them.`;
  const installed = (os: "debian" | "rhel") => `installed_version() {\n  local pkg="$1"\n${indent(osFamilies[os].installedVersion)}\n}`;
  const check = script({
    step: "kubernetes-packages",
    kind: "check",
    stack: spec.stack,
    summary,
    vars: { K8S_VERSION: src.version },
    needsOs: true,
    body: `${osCase({ debian: installed("debian"), rhel: installed("rhel") })}
for pkg in ${names}; do
  have="$(installed_version "$pkg")"
  if [[ -z "$have" ]]; then exit 1; fi
  if [[ "$have" != "$K8S_VERSION" && ! -f ${bootstrapped} ]]; then exit 1; fi
done
if ! {
${osCase({ debian: osFamilies.debian.kubernetesHeld, rhel: osFamilies.rhel.kubernetesHeld })}
}; then
  exit 1
fi
if ! systemctl is-enabled --quiet kubelet; then exit 1; fi
exit 0`,
  });
  const apply = script({
    step: "kubernetes-packages",
    kind: "apply",
    stack: spec.stack,
    summary,
    vars: { K8S_VERSION: src.version },
    needsOs: true,
    env: proxyEnv(proxySettings(spec)),
    helpers: [helpers.writeFile],
    body: `${osCase({ debian: installed("debian"), rhel: installed("rhel") })}
missing=0
for pkg in ${names}; do
  have="$(installed_version "$pkg")"
  if [[ -z "$have" ]]; then
    missing=1
  elif [[ "$have" != "$K8S_VERSION" && ! -f ${bootstrapped} ]]; then
    echo "clusterkit: $pkg $have is installed, the cluster needs $K8S_VERSION; changing versions is an upgrade (kubeadm upgrade), not host preparation" >&2
    exit 1
  fi
done
${osCase({ debian: osFamilies.debian.kubernetesRepo(src), rhel: osFamilies.rhel.kubernetesRepo(src) })}
if [[ "$missing" -eq 1 ]]; then
${indent(osCase({ debian: osFamilies.debian.installKubernetes(src), rhel: osFamilies.rhel.installKubernetes(src) }))}
fi
${osCase({ debian: osFamilies.debian.holdKubernetes, rhel: osFamilies.rhel.holdKubernetes })}
# kubelet restarts in a loop until kubeadm writes its config; that is expected.
systemctl enable kubelet >/dev/null 2>&1`,
  });
  return { name: "kubernetes-packages", description: `kubeadm, kubelet and kubectl ${src.version}, held`, check, apply };
}
