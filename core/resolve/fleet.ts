/**
 * Fleet-wide rules: no stack's pod, service or node range may overlap another stack's, so clusters
 * can be peered, meshed or routed to from one network without renumbering; and no machine address
 * or control-plane VIP is claimed by two stacks.
 */
import type { Issue } from "../errors";
import { overlaps } from "./cidr";
import type { Resolved } from "./resolve";

type RangeName = "node" | "pod" | "service";

function ranges(r: Resolved): [RangeName, string][] {
  const n = r.spec.networking;
  const out: [RangeName, string][] = [["node", n.nodeCidr], ["service", n.serviceCidr]];
  if (n.podCidr) out.push(["pod", n.podCidr]);
  return out;
}

/** Static node addresses and the kube-vip VIP of a stack, each with the stack-file field that set it. */
function addresses(r: Resolved): { ip: string; owner: string; path: string }[] {
  const v = r.spec.variables;
  const out: { ip: string; owner: string; path: string }[] = [];
  const hosts = (v.hosts as { name: string }[] | undefined) ?? [];
  for (const n of r.spec.nodes) {
    if (!n.address) continue;
    const hostIndex = hosts.findIndex((h) => h.name === n.name);
    const ipIndex = ((v.nodeIps as string[] | undefined) ?? []).indexOf(n.address);
    const path = hostIndex >= 0 ? `config.clusterkit:variables.hosts[${hostIndex}].address` : `config.clusterkit:variables.nodeIps[${ipIndex}]`;
    out.push({ ip: n.address, owner: `node ${n.name}`, path });
  }
  const ep = r.spec.controlPlane.endpoint;
  if (ep.kind === "kube-vip") out.push({ ip: ep.host, owner: "the control-plane VIP", path: "config.clusterkit:variables.controlPlaneVip" });
  return out;
}

/**
 * Checks every pair of stacks. `focus` limits the report to pairs involving those stacks (the
 * others are still compared against them); each clash is reported once, on the later stack.
 */
export function fleetIssues(stacks: Resolved[], focus?: ReadonlySet<string>): Issue[] {
  const issues: Issue[] = [];
  const sorted = [...stacks].sort((a, b) => a.spec.stack.localeCompare(b.spec.stack));
  for (let i = 0; i < sorted.length; i++) {
    for (let j = i + 1; j < sorted.length; j++) {
      const [a, b] = [sorted[i], sorted[j]];
      const [reportOn, other] = focus && focus.has(a.spec.stack) && !focus.has(b.spec.stack) ? [a, b] : [b, a];
      if (focus && !focus.has(reportOn.spec.stack)) continue;
      const taken = new Map(addresses(other).map((x) => [x.ip, x.owner]));
      for (const addr of addresses(reportOn)) {
        const owner = taken.get(addr.ip);
        if (owner === undefined) continue;
        issues.push({
          file: reportOn.rangeOrigins.node.file,
          path: addr.path,
          message: `${addr.owner} has the address of ${owner} in stack ${other.spec.stack}`,
          found: addr.ip,
          hint: "every machine and VIP address must be unique across the fleet",
        });
      }
      for (const [rn, rc] of ranges(reportOn)) {
        for (const [on, oc] of ranges(other)) {
          if (!overlaps(rc, oc)) continue;
          issues.push({
            ...reportOn.rangeOrigins[rn],
            message: `the ${rn} range overlaps the ${on} range of stack ${other.spec.stack} (${oc})`,
            found: rc,
            hint: "every stack needs its own ranges; `clusterkit fleet` lists them all",
          });
        }
      }
    }
  }
  return issues;
}
