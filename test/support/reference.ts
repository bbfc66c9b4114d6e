/**
 * Upstream reference data (chart schemas, field lists, provider schemas) lives in the repository
 * at `test/reference/`, with its source, version and licence in the README there, so a plain
 * clone has everything its tests read. CLUSTERKIT_REFERENCE_DIR points the tests at another copy
 * (for example a refreshed one, before it is committed).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { repoRoot } from "./temp-project";

export const referenceDir = process.env.CLUSTERKIT_REFERENCE_DIR ?? path.join(repoRoot, "test", "reference");

export function referencePath(file: string): string {
  const p = path.join(referenceDir, file);
  if (!fs.existsSync(p)) throw new Error(`reference data ${p} is missing; see test/reference/README.md`);
  return p;
}
