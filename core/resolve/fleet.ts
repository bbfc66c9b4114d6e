/**
 * Fleet-wide rules: no stack's pod, service or node range may overlap another stack's, so clusters
 * can be peered, meshed or routed to from one network without renumbering; no machine address or
 * control-plane VIP is claimed by two stacks; and no two stacks build a cluster of the same name
 * (it names the cluster's VMs, folders, tags and cloud resources).
 *
 * Who pays for a clash depends on the command (docs/fleet.md): `clusterkit validate`, the CI gate,
 * reports every clash as an error naming both files (fleetIssues); a command on one stack (plan,
 * the program under `pulumi up`) checks that stack on its own and only warns, against the other
 * stack's file (fleetWarnings), so a draft or an untouched copy never blocks another stack's deploy.
 */
import type { Issue, Warning } from "../errors";
import { overlaps } from "./cidr";
import type { Resolved } from "./resolve";

type RangeName = "node" | "pod" | "service";

/** Something a stack claims that no other stack may claim, with the stack-file field that sets it. */
interface Claim {
  kind: "range" | "address" | "name";
  stack: string;
  file: string;
  path: string;
  /** What the claim is, as a sentence subject: "the pod range", "node fra1-cp-1". */
  what: string;
  value: string;
  /** The value is a default (a cluster name taken from the stack name), not written in the file. */
  defaulted?: boolean;
}

export interface Clash {
  /** The stack that sorts first by name, and the one after it. */
  a: Claim;
  b: Claim;
}

function rangeClaims(r: Resolved): Claim[] {
  const n = r.spec.networking;
  const out: [RangeName, string][] = [["node", n.nodeCidr], ["service", n.serviceCidr]];
  if (n.podCidr) out.push(["pod", n.podCidr]);
  return out.map(([rn, cidr]) => ({ kind: "range", stack: r.spec.stack, ...r.rangeOrigins[rn], what: `the ${rn} range`, value: cidr }));
}

/** Static node addresses and the kube-vip VIP of a stack. */
function addressClaims(r: Resolved): Claim[] {
  const v = r.spec.variables;
  const file = r.rangeOrigins.node.file;
  const out: Claim[] = [];
  const hosts = (v.hosts as { name: string }[] | undefined) ?? [];
  for (const n of r.spec.nodes) {
    if (!n.address) continue;
    const hostIndex = hosts.findIndex((h) => h.name === n.name);
    const ipIndex = ((v.nodeIps as string[] | undefined) ?? []).indexOf(n.address);
    const path = hostIndex >= 0 ? `config.clusterkit:variables.hosts[${hostIndex}].address` : `config.clusterkit:variables.nodeIps[${ipIndex}]`;
    out.push({ kind: "address", stack: r.spec.stack, file, path, what: `node ${n.name}`, value: n.address });
  }
  const ep = r.spec.controlPlane.endpoint;
  if (ep.kind === "kube-vip") out.push({ kind: "address", stack: r.spec.stack, file, path: "config.clusterkit:variables.controlPlaneVip", what: "the control-plane VIP", value: ep.host });
  return out;
}

function nameClaim(r: Resolved): Claim {
  const defaulted = r.spec.name === r.spec.stack;
  return { kind: "name", stack: r.spec.stack, file: r.rangeOrigins.node.file, path: "config.clusterkit:clusterName", what: "the cluster name", value: r.spec.name, defaulted };
}

function clashes(x: Claim, y: Claim): boolean {
  if (x.kind !== y.kind) return false;
  return x.kind === "range" ? overlaps(x.value, y.value) : x.value === y.value;
}

/** Every clash between two stacks, each pair of stacks once, in name order. */
export function fleetClashes(stacks: Resolved[]): Clash[] {
  const sorted = [...stacks].sort((a, b) => a.spec.stack.localeCompare(b.spec.stack));
  const claims = sorted.map((r) => [...addressClaims(r), ...rangeClaims(r), nameClaim(r)]);
  const out: Clash[] = [];
  for (let i = 0; i < sorted.length; i++) {
    for (let j = i + 1; j < sorted.length; j++) {
      for (const b of claims[j]) for (const a of claims[i]) if (clashes(a, b)) out.push({ a, b });
    }
  }
  return out;
}

const where = (c: Claim) => `${c.file}: ${c.path}`;

/** The clash told from `subject`'s side, naming where `other` set its value. */
function describe(subject: Claim, other: Claim, ownValue: boolean): string {
  const own = ownValue ? ` ${subject.value}` : "";
  switch (subject.kind) {
    case "range":
      return `${subject.what}${own} overlaps ${other.what} of stack ${other.stack} (${other.value}, in ${where(other)})`;
    case "address":
      return `${subject.what}${ownValue ? ` (${subject.value})` : ""} has the address of ${other.what} in stack ${other.stack} (in ${where(other)})`;
    case "name":
      return `the cluster name${own} is also the cluster name of stack ${other.stack} (in ${where(other)})`;
  }
}

const hints: Record<Claim["kind"], string> = {
  range: "every stack needs its own ranges; change one of the two files (`clusterkit fleet` lists every range)",
  address: "every machine and VIP address must be unique across the fleet; change one of the two files",
  name: "set clusterkit:clusterName in one of the two files (it defaults to the stack name)",
};

/**
 * For `clusterkit validate`: every clash involving a stack in `focus` (every clash without it), as
 * an error naming both files. It is filed on the focused stack, else on the one that wrote its
 * value rather than defaulting it, else on the later one by name.
 */
export function fleetIssues(stacks: Resolved[], focus?: ReadonlySet<string>): Issue[] {
  const issues: Issue[] = [];
  for (const { a, b } of fleetClashes(stacks)) {
    if (focus && !focus.has(a.stack) && !focus.has(b.stack)) continue;
    const onA = focus && focus.has(a.stack) !== focus.has(b.stack) ? focus.has(a.stack) : !a.defaulted && !!b.defaulted;
    const [on, other] = onA ? [a, b] : [b, a];
    issues.push({ file: on.file, path: on.path, message: describe(on, other, false), found: on.value, hint: hints[on.kind] });
  }
  return issues;
}

/**
 * For a command on one stack (plan, the program under `pulumi up`): its clashes with the other
 * stacks as warnings filed against the other stack's file, since that stack may be a draft or a
 * copy the user is still editing; `validate` turns them into errors.
 */
export function fleetWarnings(self: Resolved, others: Resolved[]): Warning[] {
  const name = self.spec.stack;
  const warnings: Warning[] = [];
  for (const { a, b } of others.filter((o) => o.spec.stack !== name).flatMap((o) => fleetClashes([self, o]))) {
    const [mine, theirs] = a.stack === name ? [a, b] : [b, a];
    warnings.push({
      file: theirs.file,
      path: theirs.path,
      message: `${describe(theirs, mine, true)}; only a warning for a command on ${name} alone, but deploying both clashes, and clusterkit validate fails until one of the two files changes`,
    });
  }
  return warnings;
}
