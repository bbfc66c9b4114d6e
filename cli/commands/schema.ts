/** `clusterkit schema`: prints, writes or checks the editor JSON Schemas. */
import * as fs from "node:fs";
import * as path from "node:path";
import { ExitCode } from "../../core/errors";
import { findProjectRoot } from "../../core/load/project";
import { renderSchemas } from "../../core/schema/json-schema";
import type { Io } from "../output";

export interface Options {
  write?: boolean;
  check?: boolean;
}

export function runSchema(io: Io, opts: Options, cwd = process.cwd()): number {
  const root = findProjectRoot(cwd);
  const files = renderSchemas();
  let stale = 0;
  for (const [rel, content] of Object.entries(files)) {
    const abs = path.join(root, rel);
    const current = fs.existsSync(abs) ? fs.readFileSync(abs, "utf8") : null;
    if (opts.write) {
      if (current !== content) fs.writeFileSync(abs, content);
      io.out(`${current === content ? "unchanged" : "wrote"} ${rel}`);
    } else if (opts.check) {
      if (current !== content) {
        stale++;
        io.err(`${rel}: is stale; run npm run schema and commit the result`);
      }
    } else io.out(content);
  }
  return stale ? ExitCode.failure : ExitCode.ok;
}
