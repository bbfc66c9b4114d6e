/**
 * Reads a `pulumi stack export` document (apitype.UntypedDeployment holding a DeploymentV3) and
 * validates it once, here: a wrong file is a ClusterkitError naming it and the field, never a crash
 * deep inside the diff. Only what the diff reads is checked; other fields pass through unread.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { z } from "zod";
import { ClusterkitError, describeValue, type Issue } from "../../core/errors";
import { zodIssues } from "../../core/schema/issues";

/** apitype.ResourceV3, as far as the diff reads it. */
const resourceSchema = z.looseObject({
  urn: z.string().regex(/^urn:pulumi:[^:]*::[^:]*::.+::.*$/, "is not a Pulumi URN"),
  custom: z.boolean().default(false),
  delete: z.boolean().optional(),
  id: z.string().optional(),
  type: z.string().min(1),
  inputs: z.record(z.string(), z.unknown()).optional(),
  outputs: z.record(z.string(), z.unknown()).optional(),
  parent: z.string().optional(),
  dependencies: z.array(z.string()).nullish(),
  provider: z.string().optional(),
  pendingReplacement: z.boolean().optional(),
});

const exportSchema = z.looseObject({
  version: z.literal(3),
  deployment: z.looseObject({
    manifest: z.looseObject({ time: z.string().optional(), version: z.string().optional() }).optional(),
    resources: z.array(resourceSchema).nullish(),
  }),
});

export type StateResource = z.infer<typeof resourceSchema>;

export interface StateExport {
  /** How the file is named in messages: the path as given, or `<stdin>`. */
  file: string;
  /** When the state was written (the manifest's time), if it says. */
  time: string | null;
  resources: StateResource[];
}

const exportCommand = (stack: string) => `pulumi stack export --stack ${stack} > state.json`;

function read(source: string, cwd: string): { file: string; text: string } {
  if (source === "-") return { file: "<stdin>", text: fs.readFileSync(0, "utf8") };
  try {
    return { file: source, text: fs.readFileSync(path.resolve(cwd, source), "utf8") };
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? "unreadable";
    throw new ClusterkitError([{ file: source, path: "", message: `cannot read the state file (${code})`, hint: `write it with \`${exportCommand("S")}\`` }]);
  }
}

/** The stack a URN belongs to: `urn:pulumi:<stack>::<project>::…`. */
const stackOfUrn = (urn: string) => urn.split("::")[0].slice("urn:pulumi:".length);

export function loadStateExport(source: string, stack: string, cwd = process.cwd()): StateExport {
  const { file, text } = read(source, cwd);
  return parseStateExport(file, text, stack);
}

/** An export's text, checked; `file` names where it came from in messages. */
export function parseStateExport(file: string, text: string, stack: string): StateExport {
  const hint = `pass what \`${exportCommand(stack)}\` writes`;
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new ClusterkitError([{ file, path: "", message: `is not JSON (${(e as Error).message})`, expected: "the JSON document `pulumi stack export` prints", hint }]);
  }
  const parsed = exportSchema.safeParse(raw);
  if (!parsed.success) {
    const issues = zodIssues(parsed.error, file, [], raw, exportSchema);
    throw new ClusterkitError(issues.map((i) => ({ ...i, hint: i.hint ?? hint })));
  }
  const resources = parsed.data.deployment.resources ?? [];
  // A state of another stack would show every resource as deleted and created: refuse it instead.
  const foreign: Issue[] = [];
  resources.forEach((r, i) => {
    const of = stackOfUrn(r.urn);
    if (of !== stack && !foreign.length) {
      foreign.push({ file, path: `deployment.resources[${i}].urn`, message: `belongs to stack ${of}, not to ${stack}`, expected: `a URN of stack ${stack}`, found: describeValue(r.urn), hint: `export the state of this stack: \`${exportCommand(stack)}\`` });
    }
  });
  if (foreign.length) throw new ClusterkitError(foreign);
  return { file, time: parsed.data.deployment.manifest?.time ?? null, resources };
}
