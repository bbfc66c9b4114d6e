/** Reads a YAML file into a plain value, turning every parser failure into Issues with line and column. */
import * as fs from "node:fs";
import { isAlias, LineCounter, parseDocument, visit, type Document } from "yaml";
import { ClusterkitError, type Issue } from "../errors";

/** More aliases than any real config uses; a document that needs more is an alias bomb. */
const maxAliasCount = 100;

const at = (pos: { line: number; col: number }) => `line ${pos.line}, column ${pos.col}`;

/** Where a failure while building values (not while parsing) points: the first alias, if any. */
function firstAliasAt(doc: Document, lines: LineCounter): string {
  let where = "";
  visit(doc, {
    Alias(_, node) {
      if (isAlias(node) && node.range) where = at(lines.linePos(node.range[0]));
      return visit.BREAK;
    },
  });
  return where;
}

export function parseYaml(text: string, file: string): unknown {
  const lines = new LineCounter();
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true, lineCounter: lines });
  if (doc.errors.length) {
    const issues: Issue[] = doc.errors.map((e) => ({
      file,
      path: e.linePos ? at(e.linePos[0]) : "",
      message: `is not valid YAML: ${e.message.split("\n")[0]}`,
    }));
    throw new ClusterkitError(issues);
  }
  try {
    return doc.toJS({ maxAliasCount });
  } catch (e) {
    // The parser throws (rather than reports) what it finds while resolving aliases, such as its
    // alias-count limit. It is still a problem in the user's file, not a crash.
    const message = e instanceof Error ? e.message.split("\n")[0] : String(e);
    const why = /alias count/i.test(message) ? `its aliases expand too far (${message})` : message;
    throw new ClusterkitError([{ file, path: firstAliasAt(doc, lines), message: `is not valid YAML: ${why}` }]);
  }
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
