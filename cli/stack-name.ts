/**
 * `--stack` arguments. Users copy the stack file's path from their editor or shell completion as
 * often as they type the stack name, so both forms name the stack; anything else is refused here,
 * before it is turned into a file path.
 */
import * as path from "node:path";
import { ClusterkitError } from "../core/errors";

const stackFile = /^Pulumi\.(.+)\.ya?ml$/;
// Pulumi's own stack-name alphabet.
const stackName = /^[A-Za-z0-9_.-]+$/;

export function stackNameArg(arg: string, option = "--stack"): string {
  const base = path.basename(arg);
  const fromFile = stackFile.exec(base)?.[1];
  const name = fromFile ?? arg;
  if (!stackName.test(name) || name === "." || name === "..") {
    throw new ClusterkitError([
      {
        file: "(command line)",
        path: option,
        message: "is not a stack name",
        expected: "a stack name such as metal-ber1, or its file stacks/Pulumi.metal-ber1.yaml",
        found: JSON.stringify(arg),
      },
    ]);
  }
  return name;
}
