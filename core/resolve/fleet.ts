/**
 * Fleet-wide rules: no stack's pod, service or node range may overlap another stack's, so clusters
 * can be peered, meshed or routed to from one network without renumbering.
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
