// The stack file of a bare-metal test cluster, shared by the provider-driven cluster (cluster.ts)
// and the real engine's project (test/upstream/engine-project.ts), so both resolve the same stack.

/** A bare-metal inventory entry of a stack file. */
export interface StackHost {
  name: string;
  address: string;
  role?: string;
  sshUser: string;
  /** null where a test leaves the host key out, as a stack may. */
  hostKey: string | null;
}

/** The config of a baremetal-ha stack over a fleet slot's network (10.77.<slot>.0/24) and these hosts. */
export function fleetStackConfig(slot: number, hosts: StackHost[]): Record<string, unknown> {
  return {
    "clusterkit:blueprint": "baremetal-ha",
    "clusterkit:region": `lab${slot}`,
    "clusterkit:variables": {
      nodeCidr: `10.77.${slot}.0/24`,
      podCidr: "10.240.0.0/16",
      serviceCidr: "10.241.0.0/20",
      controlPlaneVip: `10.77.${slot}.250`,
      ingressAddressPool: `10.77.${slot}.240-10.77.${slot}.249`,
      hosts,
    },
  };
}
