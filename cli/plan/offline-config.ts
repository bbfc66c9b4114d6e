/** Stack config as the Pulumi runtime would hand it to the program, with placeholders for every secret. */
import * as path from "node:path";
import { stackFileName } from "../../core/load/stack-file";
import { readYaml } from "../../core/load/yaml-file";

export function offlineConfig(root: string, stack: string, secretKeysNeeded: string[]): { config: Record<string, string>; secretKeys: string[] } {
  const file = stackFileName(stack);
  const raw = (readYaml(path.join(root, file), file) as { config?: Record<string, unknown> }).config ?? {};
  const config: Record<string, string> = {};
  const secretKeys: string[] = [];
  for (const [key, value] of Object.entries(raw)) {
    if (value && typeof value === "object" && "secure" in value) {
      config[key] = `offline-plan-placeholder-for-${key}`;
      secretKeys.push(key);
    } else config[key] = typeof value === "string" ? value : JSON.stringify(value);
  }
  for (const key of secretKeysNeeded) {
    if (!(key in config)) {
      config[key] = `offline-plan-placeholder-for-${key}`;
      secretKeys.push(key);
    }
  }
  return { config, secretKeys };
}
