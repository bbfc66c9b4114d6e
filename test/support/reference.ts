/**
 * Upstream reference data (chart schemas, field lists) lives in `shared/reference/` beside the
 * repository, on developer machines and in CI alike. CLUSTERKIT_REFERENCE_DIR overrides it.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { repoRoot } from "./temp-project";

export const referenceDir = process.env.CLUSTERKIT_REFERENCE_DIR ?? path.resolve(repoRoot, "..", "shared", "reference");

export function referencePath(file: string): string {
  const p = path.join(referenceDir, file);
  if (!fs.existsSync(p)) throw new Error(`reference data ${p} is missing; set CLUSTERKIT_REFERENCE_DIR to the shared/reference folder`);
  return p;
}
