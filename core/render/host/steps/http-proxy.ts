/**
 * HTTP proxy for sites that reach the internet only through one: systemd drop-ins so containerd
 * (image pulls) and kubelet see it, and the package manager's own proxy setting. NO_PROXY keeps
 * cluster traffic (nodes, pods, services, the API endpoint, cluster DNS names) off the proxy.
 */
import type { ClusterSpec } from "../../../spec";
import { heredoc, helpers, osCase, script } from "../shell";
import { osFamilies } from "../os";
import type { HostStep } from "../step";

export interface ProxySettings {
  httpProxy: string | null;
  httpsProxy: string | null;
  noProxy: string[];
}

export const proxyDropIns = ["containerd", "kubelet"].map((unit) => `/etc/systemd/system/${unit}.service.d/clusterkit-http-proxy.conf`);

/** The proxy settings, or null when none is configured. */
export function proxySettings(spec: ClusterSpec): ProxySettings | null {
  if (spec.platform.kind === "eks") return null;
  const { httpProxy, httpsProxy, noProxy } = spec.platform.packages;
  if (!httpProxy && !httpsProxy) return null;
  const ep = spec.controlPlane.endpoint;
  const dns = spec.networking.dnsDomain;
  const cluster = [
    "localhost",
    "127.0.0.1",
    "::1",
    spec.networking.nodeCidr,
    spec.networking.podCidr,
    spec.networking.serviceCidr,
    ep.kind !== "eks-managed" ? ep.host : null,
    ...spec.nodes.flatMap((n) => [n.name, n.address]),
    ".svc",
    `.${dns}`,
  ];
  return { httpProxy: httpProxy ?? null, httpsProxy: httpsProxy ?? null, noProxy: [...new Set([...cluster, ...noProxy].filter((x): x is string => !!x))] };
}

/** `export` lines for scripts that download (curl, apt, dnf read these). */
export function proxyEnv(p: ProxySettings | null): Record<string, string> {
  if (!p) return {};
  const env: Record<string, string> = {};
  if (p.httpProxy) Object.assign(env, { http_proxy: p.httpProxy, HTTP_PROXY: p.httpProxy });
  if (p.httpsProxy) Object.assign(env, { https_proxy: p.httpsProxy, HTTPS_PROXY: p.httpsProxy });
  const no = p.noProxy.join(",");
  return { ...env, no_proxy: no, NO_PROXY: no };
}

/** systemd treats % as a specifier and \ and " as quoting inside Environment="...". */
function systemdValue(value: string): string {
  return value.replace(/%/g, "%%").replace(/\\/g, "\\\\").replace(/"/g, '\\"');
}

function dropIn(p: ProxySettings): string {
  const lines = ["[Service]"];
  if (p.httpProxy) lines.push(`Environment="HTTP_PROXY=${systemdValue(p.httpProxy)}"`);
  if (p.httpsProxy) lines.push(`Environment="HTTPS_PROXY=${systemdValue(p.httpsProxy)}"`);
  lines.push(`Environment="NO_PROXY=${systemdValue(p.noProxy.join(","))}"`);
  return `${lines.join("\n")}\n`;
}

export function httpProxyStep(spec: ClusterSpec): HostStep | null {
  const p = proxySettings(spec);
  if (!p) return null;
  // Package repositories are https; dnf has a single proxy setting for both schemes.
  const pkgProxy = (p.httpsProxy ?? p.httpProxy)!;
  const content = dropIn(p);
  const summary = "Routes containerd, kubelet and the package manager through the configured HTTP proxy.";
  const branches = (part: "check" | "apply") => ({ debian: osFamilies.debian.packageProxy(pkgProxy)[part], rhel: osFamilies.rhel.packageProxy(pkgProxy)[part] });
  const check = script({
    step: "http-proxy",
    kind: "check",
    stack: spec.stack,
    summary,
    needsOs: true,
    helpers: [helpers.fileIs],
    body: `${proxyDropIns.map((f) => `if ! ${heredoc(`file_is ${f} 0644`, content)}\nthen\n  exit 1\nfi`).join("\n")}
for unit in containerd kubelet; do
  if [[ "$(systemctl show -p NeedDaemonReload --value "$unit" 2>/dev/null || true)" == yes ]]; then exit 1; fi
done
if ! {
${osCase({ debian: branches("check").debian, rhel: branches("check").rhel })}
}; then
  exit 1
fi
exit 0`,
  });
  const apply = script({
    step: "http-proxy",
    kind: "apply",
    stack: spec.stack,
    summary,
    needsOs: true,
    helpers: [helpers.writeFile],
    body: `${proxyDropIns.map((f) => heredoc(`write_file ${f} 0644`, content)).join("\n")}
${osCase(branches("apply"))}
systemctl daemon-reload
# A running containerd only reads its environment at start.
systemctl try-restart containerd`,
  });
  return { name: "http-proxy", description: "HTTP proxy for containerd, kubelet and the package manager", check, apply };
}
