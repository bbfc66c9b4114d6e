/** Reads a YAML file into a plain value, turning syntax errors into Issues with line and column. */
import * as fs from "node:fs";
import { parseDocument } from "yaml";
import { ClusterkitError, type Issue } from "../errors";

export function parseYaml(text: string, file: string): unknown {
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length) {
    const issues: Issue[] = doc.errors.map((e) => ({
      file,
      path: e.linePos ? `line ${e.linePos[0].line}, column ${e.linePos[0].col}` : "",
      message: `is not valid YAML: ${e.message.split("\n")[0]}`,
    }));
    throw new ClusterkitError(issues);
  }
  return doc.toJS({ maxAliasCount: 100 });
}

export function readYaml(absPath: string, file: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(absPath, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new ClusterkitError([{ file, path: "", message: code === "ENOENT" ? "does not exist" : `cannot be read (${code})` }]);
  }
  return parseYaml(text, file);
}
