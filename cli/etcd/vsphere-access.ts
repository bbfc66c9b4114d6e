/**
 * How the etcd commands reach a vSphere stack's VMs: each VM's lasting SSH host key is generated
 * by Pulumi (pinned before the VM first booted) and a DHCP VM's address is the lease it got, so
 * both live in the stack's state, as outputs of the VsphereCluster component, not in the stack
 * file. They are read from a `pulumi stack export` (given with --state, or run here).
 */
import { ClusterkitError } from "../../core/errors";
import type { ClusterSpec } from "../../core/spec";
import { loadStateExport, parseStateExport, type StateExport } from "../plan/state-file";
import { pulumiOutput } from "../stack-secret";

/** Not imported from components/: that would load the Pulumi SDK into every etcd command. */
export const vsphereClusterType = "clusterkit:vsphere:VsphereCluster";

export interface VmAccess {
  address: string;
  hostKey: string;
}

/** The state from `--state FILE|-`, or from the Pulumi CLI. */
export function stackState(root: string, stack: string, source: string | undefined, cwd = process.cwd()): StateExport {
  if (source) return loadStateExport(source, stack, cwd);
  let text: string;
  try {
    text = pulumiOutput(root, ["stack", "export", "--stack", stack]);
  } catch {
    throw new ClusterkitError([
      {
        file: "(command line)",
        path: "--state",
        message: `the state of stack ${stack} could not be read with the Pulumi CLI; a vSphere VM's host key and address are kept there`,
        hint: `log in to the stack's backend (pulumi login), or pass an export: pulumi stack export --stack ${stack} > state.json, then --state state.json`,
      },
    ]);
  }
  return parseStateExport(`pulumi stack export --stack ${stack}`, text, stack);
}

/** Each node's address and pinned host key, from the VsphereCluster component's outputs. */
export function vsphereAccess(state: StateExport, spec: ClusterSpec): Map<string, VmAccess> {
  const cluster = state.resources.find((r) => r.type === vsphereClusterType && !r.delete);
  const out = (cluster?.outputs ?? {}) as { hostKeyFingerprints?: unknown; nodeAddresses?: unknown };
  const keys = (out.hostKeyFingerprints ?? {}) as Record<string, unknown>;
  const addresses = (out.nodeAddresses ?? {}) as Record<string, unknown>;
  const access = new Map<string, VmAccess>();
  const missing: string[] = [];
  for (const n of spec.nodes) {
    const hostKey = keys[n.name];
    const address = addresses[n.name] ?? n.address;
    if (typeof hostKey === "string" && /^SHA256:/.test(hostKey) && typeof address === "string" && address) access.set(n.name, { address, hostKey });
    else missing.push(n.name);
  }
  if (missing.length) {
    throw new ClusterkitError([
      {
        file: state.file,
        path: cluster ? `${cluster.urn}.outputs` : "deployment.resources",
        message: cluster
          ? `the state holds no host key or address for ${missing.join(", ")}`
          : `the state holds no ${vsphereClusterType}, whose outputs name each VM's host key and address`,
        hint: "run pulumi up for the stack first (the VMs are created and their keys pinned there), then export its state again",
      },
    ]);
  }
  return access;
}
