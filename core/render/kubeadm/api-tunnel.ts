/**
 * The API tunnel of a bare-metal site behind a bastion: the runner cannot route to the control-plane
 * endpoint, so the Kubernetes provider talks to a local port that SSH forwards through the bastion.
 * The port must be the same on every run, because `pulumi refresh`/`destroy` configure the provider
 * from the kubeconfig recorded in state; the certificate is still checked against the endpoint's
 * name (`tls-server-name`), which is in the API server certificate on every control plane.
 */
import { createHash } from "node:crypto";
import { parseDocument } from "yaml";
import { ClusterkitError } from "../../errors";
import type { BastionSpec, ClusterSpec } from "../../spec";
import { controlPlaneEndpoint } from "./node";

export interface ApiTunnelPlan {
  bastion: BastionSpec;
  /** Endpoint host (VIP or load balancer) and port, as the bastion reaches them. */
  targetHost: string;
  targetPort: number;
  /** Loopback port the provider's kubeconfig points at. */
  localPort: number;
  /** Name the API server certificate is checked against. */
  serverName: string;
}

/** Below Linux's ephemeral range (32768+), so an outgoing connection rarely holds it. */
export const TUNNEL_PORT_MIN = 16000;
export const TUNNEL_PORT_SPAN = 16000;

/** Stable per stack, so two stacks on one runner (e.g. under `clusterkit drift`) rarely collide. */
export function defaultApiTunnelPort(stack: string): number {
  return TUNNEL_PORT_MIN + (createHash("sha256").update(stack).digest().readUInt32BE(0) % TUNNEL_PORT_SPAN);
}

export function splitHostPort(hostPort: string): { host: string; port: number } {
  const m = /^\[?(.+?)\]?:(\d+)$/.exec(hostPort);
  if (!m) throw ClusterkitError.failure("(rendered kubeconfig)", "controlPlane.endpoint", `not a host:port: ${hostPort}`);
  return { host: m[1], port: Number(m[2]) };
}

/** Null where no tunnel is needed: no bastion, or not a kubeadm platform with one. */
export function apiTunnelPlan(spec: ClusterSpec): ApiTunnelPlan | null {
  if (spec.platform.kind !== "baremetal" || !spec.platform.bastion) return null;
  const { host, port } = splitHostPort(controlPlaneEndpoint(spec));
  return { bastion: spec.platform.bastion, targetHost: host, targetPort: port, localPort: spec.platform.apiTunnelPort, serverName: host };
}

/**
 * The provider's kubeconfig: every cluster's server becomes the loopback end of the tunnel and its
 * certificate is verified as `serverName` (client-go's `tls-server-name`). Credentials, CA and
 * contexts are kept as they are. An empty kubeconfig (a cluster not created yet) stays empty.
 */
export function tunnelledKubeconfig(kubeconfig: string, to: { localPort: number; serverName: string }): string {
  if (!kubeconfig.trim()) return kubeconfig;
  const doc = parseDocument(kubeconfig);
  const clusters = doc.errors.length ? null : (doc.toJS() as { clusters?: unknown })?.clusters;
  if (!Array.isArray(clusters) || !clusters.length) {
    // Never quote the text: it holds the admin credentials.
    throw ClusterkitError.failure("(admin kubeconfig)", "clusters", "the admin kubeconfig read from the control plane has no clusters list", "check /etc/kubernetes/admin.conf on the first control plane");
  }
  clusters.forEach((_, i) => {
    doc.setIn(["clusters", i, "cluster", "server"], `https://127.0.0.1:${to.localPort}`);
    doc.setIn(["clusters", i, "cluster", "tls-server-name"], to.serverName);
  });
  return doc.toString();
}
