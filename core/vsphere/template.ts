/**
 * A new template for VMs that exist. vSphere clones a VM from its template only when it creates it,
 * so the provider replaces every VM whose template changed, in one `pulumi up`, control planes
 * included and without a drain. clusterkit does not roll VMs onto a new template yet, so a change
 * is refused before any VM is touched; the images' OS patches have their own safe path
 * (osPatches: rolling, in place, one node at a time).
 */
import { ClusterkitError } from "../errors";

export interface TemplateSubject {
  node: string;
  stack: string;
}

/** Throws when the node's VM would be cloned again from another template; `prev` undefined: state from before the guard recorded it. */
export function checkTemplate(subject: TemplateSubject, prev: string | undefined, next: string | undefined): void {
  if (prev === undefined || next === undefined || prev === next) return;
  throw new ClusterkitError([
    {
      file: `stacks/Pulumi.${subject.stack}.yaml`,
      path: "config.clusterkit:variables.template",
      message: `a new template replaces VM ${subject.node} (vSphere clones a VM from its template only when it creates it), and pulumi up would replace every VM at once, control planes included, without a drain; clusterkit does not roll VMs onto a new template yet, so nothing was changed`,
      expected: JSON.stringify(prev),
      found: JSON.stringify(next),
      hint: `keep the template the VMs were cloned from; to bring OS updates onto them, patch them in place one node at a time: osPatches: { kind: rolling, round: <name> } (README, "OS patches")`,
    },
  ]);
}
