/**
 * `kubeadm init` on the first control plane, from the rendered v1beta4 config with a bootstrap
 * token and certificate key made for this run. Never twice: it is skipped once init completed
 * (probe.ts: kubeadmDone), refused when another control plane already holds an admin kubeconfig,
 * and the command itself re-checks under the host's kubeadm lock, so a run orphaned by a dropped
 * connection cannot race a retry. The same remote command records that init started and, only
 * when kubeadm exits 0, that it completed, so the record survives a dropped connection.
 */
import { deleteJoinToken, rememberCertificateKey, randomBootstrapToken, randomCertificateKey } from "../cluster/tokens";
import { restoreSeedPath } from "../cluster/etcd-restore";
import { initCompletePath, initStartedPath, underLock } from "../paths";
import type { Phase } from "../phase";
import { kubeadmDone } from "../probe";
import { log } from "../context";
import { kubeadmConfig } from "./files";
import { refuseIfClusterExists } from "./clean-partial-init";
import { facts, invalidate, type NodeContext } from "./node-context";

const INIT_TIMEOUT_MS = 15 * 60_000;

export const kubeadmInit: Phase<NodeContext> = {
  name: "kubeadm-init",
  async needed(ctx) {
    return ctx.inputs.init && !kubeadmDone(await facts(ctx, this.name), true);
  },
  async run(ctx) {
    await refuseIfClusterExists(ctx, this.name);
    const bootstrapToken = randomBootstrapToken();
    const certificateKey = randomCertificateKey();
    const config = kubeadmConfig(ctx.inputs, { bootstrapToken, certificateKey });
    await ctx.host.writeFile(config, this.name);
    // Over a restore's seed (every control plane was new): kubeadm uses the CAs it finds, and its
    // preflight must accept the restored etcd data dir, which its etcd then serves.
    const seeded = (await facts(ctx, this.name)).restoreSeeded;
    if (seeded) log(`${ctx.label}: kubeadm init over the etcd data and CAs restored here by clusterkit etcd restore`);
    const cmd = [...ctx.inputs.kubeadmCommand, ...(seeded ? ["--ignore-preflight-errors=DirAvailable--var-lib-etcd"] : [])].join(" ");
    const stamp = `date -u +%Y-%m-%dT%H:%M:%SZ`;
    const script = [
      `if [ -f ${initCompletePath} ]; then echo "clusterkit: already initialised"; exit 0; fi`,
      `mkdir -p "$(dirname ${initStartedPath})" && ${stamp} > ${initStartedPath}`,
      `${cmd} && ${stamp} > ${initCompletePath} && rm -f ${restoreSeedPath}`,
    ].join("\n");
    await ctx.host.run(underLock(script), {
      step: this.name,
      mutating: true,
      timeoutMs: INIT_TIMEOUT_MS,
      secrets: [bootstrapToken, certificateKey],
    });
    // Joins in this run reuse the key; it was uploaded with `--upload-certs`.
    rememberCertificateKey(ctx.inputs.cluster, certificateKey);
    // kubeadm insists on registering a token at init; nothing joins with it, so it goes at once.
    await deleteJoinToken(ctx.host, bootstrapToken, this.name);
    invalidate(ctx);
  },
};
