/**
 * The node's rendered files: which to write when, and the secrets filled in at apply time. Files
 * arrive with placeholders where the bootstrap token, CA hash and certificate key go; those are
 * only known on the host, right before kubeadm runs, and never reach Pulumi state.
 */
import { placeholders } from "../../../core/render/kubeadm";
import type { RemoteFile } from "../../ssh";
import type { FileSpec, NodeInputs } from "../types";

export interface RuntimeSecrets {
  bootstrapToken?: string;
  caCertHash?: string;
  certificateKey?: string;
}

const slots: [keyof RuntimeSecrets, string][] = [
  ["bootstrapToken", placeholders.bootstrapToken],
  ["caCertHash", placeholders.caCertHash],
  ["certificateKey", placeholders.certificateKey],
];

export function fillSecrets(content: string, secrets: RuntimeSecrets): string {
  let out = content;
  for (const [k, ph] of slots) if (secrets[k] !== undefined) out = out.split(ph).join(secrets[k]!);
  return out;
}

export function unfilled(content: string): string[] {
  return slots.filter(([, ph]) => content.includes(ph)).map(([k]) => k);
}

const all = (inputs: NodeInputs): FileSpec[] => [...inputs.files, ...inputs.secretFiles];
const secretPaths = (inputs: NodeInputs) => new Set(inputs.secretFiles.map((f) => f.path));

const toRemote = (inputs: NodeInputs, f: FileSpec): RemoteFile => ({ path: f.path, content: f.content, mode: f.mode, secret: secretPaths(inputs).has(f.path) });

/** Files to place before kubeadm runs, without the one-use kubeadm config (written with its secrets). */
export function beforeKubeadm(inputs: NodeInputs): RemoteFile[] {
  return all(inputs)
    .filter((f) => f.when === "before-kubeadm" && !f.ephemeral)
    .map((f) => toRemote(inputs, f));
}

/** The steady state once kubeadm ran: the last entry per path wins, one-use files excluded. */
export function steadyFiles(inputs: NodeInputs): RemoteFile[] {
  const byPath = new Map<string, FileSpec>();
  for (const f of all(inputs)) if (!f.ephemeral) byPath.set(f.path, f);
  return [...byPath.values()].map((f) => toRemote(inputs, f));
}

export function ephemeralFiles(inputs: NodeInputs): FileSpec[] {
  return all(inputs).filter((f) => f.ephemeral);
}

/** The kubeadm config, with this apply's secrets in it. */
export function kubeadmConfig(inputs: NodeInputs, secrets: RuntimeSecrets): RemoteFile {
  const f = ephemeralFiles(inputs)[0];
  return { path: f.path, content: fillSecrets(f.content, secrets), mode: "0600", secret: true };
}
