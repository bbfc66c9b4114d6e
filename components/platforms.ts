/**
 * Which component builds each platform. Each platform lives in its own folder and is loaded only
 * for a stack of its kind: EKS's pulls in @pulumi/aws (about 300 modules, a second of start-up)
 * that a bare-metal or vSphere stack never uses.
 */
import type { PlatformKind } from "../core/schema/platform";
import type { PlatformBuilder } from "./platform";

export const platformBuilders: Partial<Record<PlatformKind, () => PlatformBuilder>> = {
  eks: () => (require("./eks") as typeof import("./eks")).buildEks,
  baremetal: () => (require("./baremetal") as typeof import("./baremetal")).buildBaremetal,
  vsphere: () => (require("./vsphere/platform") as typeof import("./vsphere/platform")).buildVspherePlatform,
};
