/** `clusterkit drift` (being built in issue #7). */
import type { Command } from "commander";
import { ClusterkitError } from "../../core/errors";
import type { Runner } from "../main";
import type { Io } from "../output";

export function driftCommand(program: Command, _io: Io, run: Runner): void {
  program
    .command("drift")
    .description("(in progress)")
    .action(run(async () => { throw ClusterkitError.failure("", "", "not available yet"); }));
}
