/** EKS access entries: one per principal, each in the cluster's own AWS partition. */
import type { EksAccessEntry } from "../../schema/eks-access";
import { partitionOf } from "../../render/eks/partition";
import { fail, fieldAt, type RuleContext } from "../context";

export function checkEksAccess(ctx: RuleContext, entries: EksAccessEntry[]): boolean {
  const partition = partitionOf(ctx.region);
  const seen = new Map<string, number>();
  let ok = true;
  entries.forEach((e, i) => {
    const at = fieldAt(ctx, ["platform", "access", i, "principalArn"]);
    const own = e.principalArn.split(":")[1];
    if (own !== partition) {
      fail(ctx, at, `the cluster is in partition ${partition} (region ${ctx.region}); an IAM principal of ${own} cannot use it`, { expected: `arn:${partition}:iam::…`, found: e.principalArn });
      ok = false;
    }
    const first = seen.get(e.principalArn);
    if (first !== undefined) {
      fail(ctx, at, `EKS keeps one access entry per principal, and platform.access[${first}] already lists it`, { found: e.principalArn, hint: "merge the two into one entry with the broader policy" });
      ok = false;
    } else seen.set(e.principalArn, i);
  });
  return ok;
}
