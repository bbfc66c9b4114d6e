/** What the host-preparation phases work with: one host and its rendered step scripts. */
import type { RemoteHost } from "../../ssh";
import type { HostPrepInputs } from "../types";

export interface HostContext {
  label: string;
  inputs: HostPrepInputs;
  host: RemoteHost;
  /** Filled by detect-os. */
  os: string | null;
}
