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

/** How the guestinfo documents are encoded (cloud-init also reads gzip+base64 and plain text). */
export const guestinfoEncoding = "base64";

/** A document as the VMware datasource reads it from a `guestinfo.*` key with `guestinfoEncoding`. */
export function encodeGuestinfo(doc: string): string {
  return Buffer.from(doc, "utf8").toString("base64");
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
      network: encodeGuestinfo(networkConfig),
      "network.encoding": guestinfoEncoding,
      redact: ["userdata"],
    },
    { lineWidth: 0 },
  );
}
