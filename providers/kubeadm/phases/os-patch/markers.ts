/**
 * Where a node's OS patch round stands, on the node, so a run that stopped anywhere resumes: the
 * round it started (`os-patch-round`, written once preflight passed), its packages updated for
 * that round (`os-patch-packages`), the boot it asked to reboot from (`os-patch-boot`: round and
 * boot id; a new boot id says the reboot happened), that clusterkit cordoned it
 * (`os-patch-cordoned`), and the round it finished last (`os-patch-done`). The markers of a round
 * go when it finishes; the done marker stays. A reset removes them all.
 */
import type { RemoteHost } from "../../../ssh";
import { keyValues, orNull } from "../../probe";
import { osPatchBootPath, osPatchCordonedPath, osPatchDonePath, osPatchPackagesPath, osPatchRoundPath } from "../../paths";
import type { OsPatchInputs } from "../../types";
import { kubeadmDone } from "../../probe";
import { facts, type NodeContext } from "../node-context";

export { osPatchBootPath, osPatchCordonedPath, osPatchDonePath, osPatchPackagesPath, osPatchRoundPath };

/** The kernel's id of the running boot: a new one after every boot. */
export const bootIdPath = "/proc/sys/kernel/random/boot_id";

export interface PatchState {
  done: string | null;
  round: string | null;
  packages: string | null;
  cordoned: boolean;
  boot: { round: string; bootId: string } | null;
  bootId: string;
}

const line = (key: string, path: string) => `echo "${key}=$(tr '\\n' ' ' <${path} 2>/dev/null || true)"`;

export const patchStateScript = [
  line("done", osPatchDonePath),
  line("round", osPatchRoundPath),
  line("packages", osPatchPackagesPath),
  `if [ -f ${osPatchCordonedPath} ]; then echo cordoned=1; else echo cordoned=0; fi`,
  line("boot", osPatchBootPath),
  `echo "boot_id=$(cat ${bootIdPath})"`,
].join("\n");

export function parsePatchState(out: string): PatchState {
  const kv = keyValues(out);
  const opt = orNull;
  const [bootRound, bootId] = (kv.boot ?? "").split(/\s+/);
  return {
    done: opt(kv.done),
    round: opt(kv.round),
    packages: opt(kv.packages),
    cordoned: kv.cordoned === "1",
    boot: bootRound && bootId ? { round: bootRound, bootId } : null,
    bootId: kv.boot_id ?? "",
  };
}

export async function patchState(host: RemoteHost, step: string): Promise<PatchState> {
  return parsePatchState(await host.read(patchStateScript, step, 30_000));
}

export const patchOf = (ctx: NodeContext): OsPatchInputs => ctx.inputs.osPatches!;

/**
 * Whether kubeadm has joined the node (or initialised the cluster on it). A machine that has not
 * runs nothing of the cluster yet: its round needs no drain and no health gate, and it goes before
 * kubeadm, so a cluster is created on patched machines (its nodes are not Ready before the CNI
 * runs, so a gate there could never pass).
 */
export const joined = async (ctx: NodeContext, step: string) => kubeadmDone(await facts(ctx, step), ctx.inputs.init);

/** The reboot this round asked for happened: the node runs another boot than the one it asked from. */
export const rebootedFor = (s: PatchState, round: string) => s.boot?.round === round && s.boot.bootId !== s.bootId;

export const osPatchWait = {
  /** A worker waits for every control plane to finish the round (they go first). */
  controlPlanesMs: 2 * 60 * 60_000,
  /** Node Ready, and on a control plane etcd and the API server healthy, after the update or the reboot. */
  healthyMs: 10 * 60_000,
  intervalMs: 2_000,
};
