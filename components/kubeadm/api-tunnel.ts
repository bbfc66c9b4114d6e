/**
 * The provider's kubeconfig at a bastion site: the admin kubeconfig rewritten to the loopback end
 * of the API tunnel (core/render/kubeadm/api-tunnel.ts), and, while this program runs, the tunnel
 * itself. `pulumi refresh`/`destroy` do not run the program, so there `clusterkit tunnel` holds it
 * (docs/baremetal.md). The admin kubeconfig users get as an output keeps the real endpoint.
 */
import * as pulumi from "@pulumi/pulumi";
import { ClusterkitError, formatIssue } from "../../core/errors";
import { apiTunnelPlan, tunnelledKubeconfig, type ApiTunnelPlan } from "../../core/render/kubeadm/api-tunnel";
import type { ClusterSpec } from "../../core/spec";
import { specWithHosts, type PlannedHost } from "../../providers/kubeadm/plan";
import { ApiTunnel } from "../../providers/ssh/tunnel";

/** One tunnel per port for the whole program, however many times the kubeconfig is computed. */
const open = new Map<number, Promise<ApiTunnel>>();

/** Under `pulumi.runtime.setMocks` (clusterkit plan, tests) nothing real is reached. */
function mocked(): boolean {
  const { getMonitor } = require("@pulumi/pulumi/runtime/settings") as { getMonitor(): unknown };
  const { MockMonitor } = require("@pulumi/pulumi/runtime/mocks") as { MockMonitor: new (...a: never[]) => unknown };
  return getMonitor() instanceof MockMonitor;
}

function openTunnel(plan: ApiTunnelPlan, privateKey: string): Promise<ApiTunnel> {
  let t = open.get(plan.localPort);
  if (!t) {
    const b = plan.bastion;
    t = ApiTunnel.open({
      bastion: { address: b.address, port: b.port, user: b.user, hostKey: b.hostKey ?? "" },
      privateKey,
      target: { host: plan.targetHost, port: plan.targetPort },
      localPort: plan.localPort,
      holdProcess: false,
      log: (line) => pulumi.log.warn(line),
    });
    open.set(plan.localPort, t);
  }
  return t;
}

export function providerKubeconfig(spec: ClusterSpec, planned: pulumi.Output<PlannedHost[]>, kubeconfig: pulumi.Output<string>, privateKey: pulumi.Output<string>): pulumi.Output<string> {
  if (spec.platform.kind !== "baremetal" || !spec.platform.bastion) return kubeconfig;
  return pulumi.secret(
    pulumi.all([planned, kubeconfig, privateKey]).apply(async ([ps, k, key]) => {
      const plan = apiTunnelPlan(specWithHosts(spec, ps))!;
      // Before the cluster exists there is nothing to reach yet; the tunnel opens once it does.
      if (k.trim() && !mocked()) {
        try {
          await openTunnel(plan, key);
        } catch (e) {
          if (e instanceof ClusterkitError) throw new pulumi.RunError(`clusterkit: the API tunnel through the bastion could not be opened\n${e.issues.map(formatIssue).join("\n")}`);
          throw e;
        }
      }
      return tunnelledKubeconfig(k, plan);
    }),
  );
}
