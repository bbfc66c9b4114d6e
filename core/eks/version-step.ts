/**
 * Whether a running EKS control plane can go from the Kubernetes minor of the last `pulumi up` to
 * the one the blueprint asks for now. EKS upgrades one minor per UpdateClusterVersion call and never
 * downgrades; asking for more fails half way through a `pulumi up`, after other resources changed.
 * The version guard (providers/eks-version) runs this in the preview instead, before anything moves.
 */
import { ClusterkitError } from "../errors";
import { compareMinor } from "../versions";

export type VersionStep =
  | { kind: "unchanged" }
  /** One minor up: the control plane upgrades, then add-ons and node groups follow. */
  | { kind: "upgrade" }
  | { kind: "too-far"; next: string }
  | { kind: "downgrade" };

/** The minor after `minor` ("1.33" → "1.34"). */
export function nextMinor(minor: string): string {
  const [major, n] = minor.split(".").map(Number);
  return `${major}.${n + 1}`;
}

export function decideVersionStep(deployed: string, wanted: string): VersionStep {
  const cmp = compareMinor(wanted, deployed);
  if (cmp === 0) return { kind: "unchanged" };
  if (cmp < 0) return { kind: "downgrade" };
  const next = nextMinor(deployed);
  return wanted === next ? { kind: "upgrade" } : { kind: "too-far", next };
}

export interface VersionSubject {
  stack: string;
  /** Where kubernetesVersion is set: the blueprint, or the stack file when it overrides it. */
  file: string;
  path: string;
}

/** Throws, naming the field, both versions and the safe path, unless the step is one EKS takes. */
export function checkVersionStep(subject: VersionSubject, deployed: string, wanted: string): VersionStep {
  const step = decideVersionStep(deployed, wanted);
  if (step.kind === "unchanged" || step.kind === "upgrade") return step;
  const at = { file: subject.file, path: subject.path };
  if (step.kind === "too-far") {
    throw new ClusterkitError([
      {
        ...at,
        message: `EKS upgrades a control plane one minor version at a time; the cluster runs ${deployed} (since the last pulumi up), so ${wanted} skips ${step.next}; nothing was changed`,
        expected: `"${deployed}" or "${step.next}"`,
        found: `"${wanted}"`,
        hint: `one minor per pulumi up: set kubernetesVersion to "${step.next}", pulumi up --stack ${subject.stack}, then raise it again to the next minor until it reads "${wanted}"`,
      },
    ]);
  }
  throw new ClusterkitError([
    {
      ...at,
      message: `EKS cannot downgrade a control plane; the cluster runs ${deployed} (since the last pulumi up); nothing was changed`,
      expected: `"${deployed}" or "${nextMinor(deployed)}"`,
      found: `"${wanted}"`,
      hint: `keep kubernetesVersion "${deployed}"; to run ${wanted}, build a new stack (clusterkit clone-region) and move the workloads`,
    },
  ]);
}
