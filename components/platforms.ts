/** Which component builds each platform. Each platform lives in its own folder. */
import type { PlatformKind } from "../core/schema/platform";
import type { PlatformBuilder } from "./platform";

export const platformBuilders: Partial<Record<PlatformKind, PlatformBuilder>> = {};
