/**
 * A bare-metal stack at a test fleet's site whose hosts are reached through a bastion: the
 * example metal-ber1 stack with the fleet's network, its first host at `cp1`, and the bastion's
 * key as given (tests pin a wrong one to see it refused). Written into `project` as `stack`.
 */
import { parse, stringify } from "yaml";
import type { TestHost } from "../hosts/harness";
import type { TempProject } from "./temp-project";

export interface BastionSite {
  slot: number;
  vip: string;
  cp1: TestHost;
  bastion: TestHost;
}

export function writeBastionStack(project: TempProject, stack: string, site: BastionSite, opts: { hostKey: string; apiTunnelPort: number }): void {
  const net3 = `10.77.${site.slot}`;
  const config = parse(project.read("stacks/Pulumi.metal-ber1.yaml")).config;
  const v = config["clusterkit:variables"];
  v.nodeCidr = `${net3}.0/24`;
  v.controlPlaneVip = site.vip;
  v.ingressAddressPool = `${net3}.240-${net3}.250`;
  v.hosts = v.hosts.map((h: { address: string }, i: number) => ({ ...h, address: i === 0 ? site.cp1.address : `${net3}.${30 + i}` }));
  v.bastion = { address: site.bastion.address, user: "root", hostKey: opts.hostKey };
  v.apiTunnelPort = opts.apiTunnelPort;
  project.write(`stacks/Pulumi.${stack}.yaml`, stringify({ config }));
}
