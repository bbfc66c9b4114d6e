/**
 * clusterkit's command line. This is the only place that decides exit codes: commands return
 * them or throw; ClusterkitError prints as `<file>: <path>: <message>` with no stack trace.
 */
import { Command, CommanderError } from "commander";
import { ClusterkitError, ExitCode } from "../core/errors";
import { cloneRegionCommand, driftCommand, etcdCommand, fleetCommand, planCommand, schemaCommand, tunnelCommand, validateCommand } from "./definitions";
import { printIssues, processIo, quietOnClosedStdout, type Io } from "./output";

export type CommandResult = Promise<number>;
/** Wraps a command's action so its exit code reaches main(). */
export type Runner = <O>(fn: (opts: O) => CommandResult) => (opts: O) => Promise<void>;

export function buildProgram(io: Io, setCode: (code: number) => void): Command {
  const program = new Command("clusterkit")
    .description("Provision production Kubernetes clusters on bare metal, vSphere and EKS from blueprints, with Pulumi.")
    .version(require("../package.json").version as string)
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s.trimEnd()), writeErr: (s) => io.err(s.trimEnd()) })
    .showHelpAfterError();
  const run: Runner = (fn) => async (opts) => setCode(await fn(opts));
  validateCommand(program, io, run);
  planCommand(program, io, run);
  schemaCommand(program, io, run);
  cloneRegionCommand(program, io, run);
  driftCommand(program, io, run);
  fleetCommand(program, io, run);
  tunnelCommand(program, io, run);
  etcdCommand(program, io, run);
  return program;
}

export async function main(argv: string[], io: Io = processIo): Promise<number> {
  let code: number = ExitCode.ok;
  // For every command: `clusterkit … | head` ends quietly when head has read enough.
  if (io === processIo) quietOnClosedStdout();
  try {
    await buildProgram(io, (c) => (code = c)).parseAsync(argv);
  } catch (e) {
    if (e instanceof CommanderError) {
      // --help and --version exit 0; usage mistakes are invalid input.
      return e.exitCode === 0 ? ExitCode.ok : ExitCode.invalidInput;
    }
    if (e instanceof ClusterkitError) {
      printIssues(io, e.issues);
      return e.exitCode;
    }
    io.err(`clusterkit: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    return ExitCode.failure;
  }
  return code;
}
