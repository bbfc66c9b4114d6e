/**
 * containerd with the systemd cgroup driver, matching kubelet's `cgroupDriver: systemd`. An
 * existing install (say, baked into the image) is kept; only its config is replaced, from
 * `containerd config default` with SystemdCgroup switched on. containerd 2.0/2.1 omit the key from
 * their default config, so it is inserted under the runc options table when absent. With an image
 * mirror, containerd also resolves every public registry through it (registry-mirror.ts).
 */
import type { ClusterSpec } from "../../../spec";
import { osFamilies } from "../os";
import { helpers, indent, osCase, script } from "../shell";
import type { HostStep } from "../step";
import { proxyEnv, proxySettings } from "./http-proxy";
import { registryMirror } from "./registry-mirror";

const config = "/etc/containerd/config.toml";
/** Docker's package repositories, where RHEL-family hosts get containerd.io unless a mirror is set. */
export const dockerLinux = "https://download.docker.com/linux";
const systemdOn = `grep -Eq '^[[:space:]]*SystemdCgroup[[:space:]]*=[[:space:]]*true' ${config}`;

export function containerdStep(spec: ClusterSpec): HostStep {
  const mirror = registryMirror(spec.mirrors.images);
  const dockerBase = (spec.platform.kind === "eks" ? null : spec.platform.packages.containerdMirror)?.replace(/\/+$/, "") ?? dockerLinux;
  const summary = `Installs containerd if missing and configures it with SystemdCgroup = true${mirror ? `, pulling every image from ${spec.mirrors.images}` : ""}.`;
  const check = script({
    step: "containerd",
    kind: "check",
    stack: spec.stack,
    summary,
    helpers: mirror ? [helpers.fileIs] : [],
    body: `if ! command -v containerd >/dev/null; then exit 1; fi
if [[ ! -f ${config} ]] || ! ${systemdOn}; then exit 1; fi${mirror ? `
${mirror.check}` : ""}
if ! systemctl is-enabled --quiet containerd; then exit 1; fi
if ! systemctl is-active --quiet containerd; then exit 1; fi
exit 0`,
  });
  const apply = script({
    step: "containerd",
    kind: "apply",
    stack: spec.stack,
    summary,
    needsOs: true,
    env: proxyEnv(proxySettings(spec)),
    helpers: [helpers.writeFile],
    body: `if ! command -v containerd >/dev/null; then
${indent(osCase({ debian: osFamilies.debian.installContainerd(dockerBase), rhel: osFamilies.rhel.installContainerd(dockerBase) }))}
fi
restart=0
if [[ ! -f ${config} ]] || ! ${systemdOn}; then
  if [[ -f ${config} ]]; then cp -p ${config} ${config}.clusterkit.bak; fi
  install -d -m 0755 /etc/containerd
  containerd config default | sed -E 's/^([[:space:]]*SystemdCgroup[[:space:]]*=[[:space:]]*)false/\\1true/' >${config}.clusterkit.default
  if ! grep -Eq '^[[:space:]]*SystemdCgroup[[:space:]]*=' ${config}.clusterkit.default; then
    sed -E -i '/io\\.containerd\\.(cri\\.v1\\.runtime|grpc\\.v1\\.cri).\\.containerd\\.runtimes\\.runc\\.options\\]/a SystemdCgroup = true' ${config}.clusterkit.default
  fi
  write_file ${config} 0644 <${config}.clusterkit.default
  rm -f ${config}.clusterkit.default
  if ! ${systemdOn}; then
    echo "clusterkit: could not switch ${config} to SystemdCgroup = true; set it under the runc options and re-run" >&2
    exit 1
  fi
  restart=1
fi${mirror ? `
${mirror.apply}` : ""}
systemctl enable containerd >/dev/null 2>&1
if [[ "$restart" -eq 1 ]] || ! systemctl is-active --quiet containerd; then
  systemctl restart containerd
fi`,
  });
  return { name: "containerd", description: "containerd with the systemd cgroup driver", check, apply };
}
