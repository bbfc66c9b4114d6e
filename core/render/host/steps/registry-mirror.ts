/**
 * containerd pulls from the image mirror: `config_path` points the CRI plugin (and containerd 2's
 * transfer service) at /etc/containerd/certs.d, where one hosts.toml per public registry sends
 * pulls to `https://<mirror>/v2/<mirror path>/<registry>/…` (`override_path`: the URL is the whole
 * API root). Images clusterkit renders already name the mirror; this catches every other pull:
 * images a chart adds that no values key reaches, the pause image, and workloads.
 *
 * The key is `config_path` in both formats: under `plugins."io.containerd.grpc.v1.cri".registry`
 * (containerd 1.7, config version 2) and `plugins.'io.containerd.cri.v1.images'.registry`
 * (containerd 2.x, version 3). Their default configs carry it empty, so it is set in place; a
 * config without it gets it under the registry table. hosts.toml files need no restart.
 */
import { publicRegistries } from "../../../mirrors";
import { heredoc } from "../shell";

const config = "/etc/containerd/config.toml";
export const certsDir = "/etc/containerd/certs.d";

const configPathSet = `grep -Eq "^[[:space:]]*config_path[[:space:]]*=[[:space:]]*[\\"']${certsDir}[\\"'][[:space:]]*$" ${config}`;

/** hosts.toml for one upstream registry; the mirror prefix may carry a path, which goes after /v2. */
export function hostsToml(mirror: string, registry: string): string {
  const slash = mirror.indexOf("/");
  const host = slash >= 0 ? mirror.slice(0, slash) : mirror;
  const path = slash >= 0 ? `${mirror.slice(slash + 1)}/` : "";
  return `# clusterkit: pulls of this registry's images go to the image mirror.\n[host."https://${host}/v2/${path}${registry}"]\n  capabilities = ["pull", "resolve"]\n  override_path = true\n`;
}

export function registryMirror(mirror: string | null): { check: string; apply: string } | null {
  if (!mirror) return null;
  const files = publicRegistries.map((r) => ({ path: `${certsDir}/${r}/hosts.toml`, content: hostsToml(mirror, r) }));
  const check = [
    `if ! ${configPathSet}; then exit 1; fi`,
    ...files.map((f) => `if ! ${heredoc(`file_is ${f.path} 0644`, f.content)}\nthen\n  exit 1\nfi`),
  ].join("\n");
  const apply = `if ! ${configPathSet}; then
  cp -p ${config} ${config}.clusterkit.bak
  sed -E "s|^([[:space:]]*config_path[[:space:]]*=).*$|\\1 '${certsDir}'|" ${config} >${config}.clusterkit.new
  if ! grep -Eq '^[[:space:]]*config_path[[:space:]]*=' ${config}.clusterkit.new; then
    sed -E -i "/^[[:space:]]*\\[plugins\\.(\\"io\\.containerd\\.grpc\\.v1\\.cri\\"|'io\\.containerd\\.cri\\.v1\\.images')\\.registry\\][[:space:]]*$/a config_path = '${certsDir}'" ${config}.clusterkit.new
  fi
  write_file ${config} 0644 <${config}.clusterkit.new
  rm -f ${config}.clusterkit.new
  if ! ${configPathSet}; then
    echo "clusterkit: could not set config_path = '${certsDir}' in ${config}; set it under the CRI registry table and re-run" >&2
    exit 1
  fi
  restart=1
fi
${files.map((f) => heredoc(`write_file ${f.path} 0644`, f.content)).join("\n")}`;
  return { check, apply };
}
