/**
 * One control plane's static pods, regenerated from the new configuration the way kubeadm
 * documents it (`kubeadm init phase control-plane <component>`, `kubeadm init phase etcd local`),
 * in kubeadm's upgrade order. The kubelet sees the new manifest and replaces the pod; the node
 * counts as done with a component only when a new container of it runs, this host's API server
 * answers /readyz and every etcd member is healthy: the same gates as an upgrade and an API server
 * restart. A component that does not come back fails this node, so the control planes after it
 * are not touched.
 */
import { kubeadmPaths } from "../../../../core/render/kubeadm";
import type { StaticPod } from "../../../../core/render/kubeadm/reconfigure";
import { shellQuote, type RemoteHost } from "../../../ssh";
import { log } from "../../context";
import { underLock } from "../../paths";
import { waitForControlPlane } from "../control-plane-gate";
import type { NodeContext } from "../node-context";
import { restartControlPlane } from "../restart-apiserver";
import { reconfigureConfigPath } from "./marker";
import { reconfigureWait } from "./wait";

const phaseOf: Record<StaticPod, string> = {
  etcd: "etcd local",
  "kube-apiserver": "control-plane apiserver",
  "kube-controller-manager": "control-plane controller-manager",
  "kube-scheduler": "control-plane scheduler",
};

const manifest = (c: StaticPod) => `${kubeadmPaths.staticPodDir}/${c}.yaml`;

/** The manifest's sha256 and the running container of the component, as one read. */
async function snapshot(host: RemoteHost, c: StaticPod, step: string): Promise<{ sha: string; container: string | null }> {
  const out = await host.read(`sha256sum ${manifest(c)} 2>/dev/null | cut -c1-64 || true\necho "id=$(crictl ps -q --name ${shellQuote(`^${c}$`)} --state running | head -n 1)"`, step, 30_000);
  const lines = out.split("\n");
  const id = lines.find((l) => l.startsWith("id="))?.slice(3).trim() || null;
  return { sha: lines[0]?.startsWith("id=") ? "" : (lines[0]?.trim() ?? ""), container: id };
}

export async function regenerateStaticPod(ctx: NodeContext, c: StaticPod, step: string): Promise<void> {
  const before = await snapshot(ctx.host, c, step);
  await ctx.host.run(underLock(`kubeadm init phase ${phaseOf[c]} --config ${reconfigureConfigPath}`), { step, mutating: true, timeoutMs: 5 * 60_000 });
  const after = await snapshot(ctx.host, c, step);
  const rewritten = after.sha !== before.sha;
  log(`${ctx.label}: ${c}: ${rewritten ? "new static pod manifest written; waiting for its new container" : "manifest unchanged; checking it runs"}`);
  await waitForComponent(ctx, c, rewritten ? before.container : null, step);
}

/** The API server's serving certificate reissued for new SANs (kubeadm keeps one that exists), then the server restarted onto it. */
export async function reissueApiServerCertificate(ctx: NodeContext, step: string): Promise<void> {
  const pki = kubeadmPaths.pkiDir;
  await ctx.host.run(
    underLock(`backup=/etc/kubernetes/tmp/clusterkit-apiserver-cert-$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$backup"
for f in apiserver.crt apiserver.key; do [ -e ${pki}/$f ] && mv ${pki}/$f "$backup/"; done
kubeadm init phase certs apiserver --config ${reconfigureConfigPath}`),
    { step, mutating: true, timeoutMs: 5 * 60_000 },
  );
  await restartControlPlane(ctx, step, "the reissue of its serving certificate for the new certSANs");
}

/**
 * Until a running container of `c` other than `old` (any, when null), then the control-plane gate
 * every restart passes (this host's API server on /readyz, every voting etcd member healthy); or
 * fails naming what it saw.
 */
export async function waitForComponent(ctx: NodeContext, c: StaticPod, old: string | null, step: string): Promise<void> {
  await waitForControlPlane(ctx, {
    step,
    timeoutMs: reconfigureWait.staticPodMs,
    intervalMs: reconfigureWait.intervalMs,
    async apiServer() {
      const now = (await snapshot(ctx.host, c, step)).container;
      return now && now !== old ? null : `no new ${c} container runs`;
    },
    timedOut: (state) => ({
      message: `${c} did not come back healthy within ${reconfigureWait.staticPodMs / 1000} s of regenerating its static pod (${state}); the control planes after this one were left as they are`,
      hint: `on this host, \`crictl ps -a --name ${c}\` and \`crictl logs <container>\` show why it fails; fix the setting in the stack and run pulumi up again (it resumes on this node)`,
    }),
  });
}
