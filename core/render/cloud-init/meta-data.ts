/**
 * cloud-init meta-data for one node, and the combined document the VMware datasource reads from
 * `guestinfo.metadata`, which carries the network config inside it (`network` + `network.encoding`).
 */
import { stringify } from "yaml";
import type { NodeSpec } from "../../spec";

/**
 * The instance ID is the node name: stable for the VM's life, so cloud-init's per-instance steps
 * (users, host keys, network) run exactly once, at first boot.
 */
export function renderMetaData(node: NodeSpec): string {
  return stringify({ "instance-id": node.name, "local-hostname": node.name }, { lineWidth: 0 });
}

/**
 * The `guestinfo.metadata` document. `redact` makes the datasource blank `guestinfo.userdata`
 * once read: any process in the guest can query guestinfo, and the user-data holds the host key.
 */
export function renderGuestinfoMetadata(node: NodeSpec, networkConfig: string): string {
  return stringify(
    {
      "instance-id": node.name,
      "local-hostname": node.name,
      network: Buffer.from(networkConfig, "utf8").toString("base64"),
      "network.encoding": "base64",
      redact: ["userdata"],
    },
    { lineWidth: 0 },
  );
}

/** The VM extraConfig keys cloud-init's VMware datasource reads, base64-encoded. */
export function guestinfoExtraConfig(userData: string, guestinfoMetadata: string): Record<string, string> {
  const b64 = (s: string) => Buffer.from(s, "utf8").toString("base64");
  return {
    "guestinfo.metadata": b64(guestinfoMetadata),
    "guestinfo.metadata.encoding": "base64",
    "guestinfo.userdata": b64(userData),
    "guestinfo.userdata.encoding": "base64",
  };
}
