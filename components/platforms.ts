/** Which component builds each platform. Each platform lives in its own folder. */
import type { PlatformKind } from "../core/schema/platform";
import { buildEks } from "./eks";
import type { PlatformBuilder } from "./platform";
import { buildVspherePlatform } from "./vsphere/platform";

export const platformBuilders: Partial<Record<PlatformKind, PlatformBuilder>> = {
  eks: buildEks,
  baremetal: (spec, secrets, parent) => (require("./baremetal") as typeof import("./baremetal")).buildBaremetal(spec, secrets, parent),
  vsphere: buildVspherePlatform,
};
