/** `clusterkit fleet`: every stack in one table, with overlaps, version skew and blueprint changes flagged. */
import * as fs from "node:fs";
import * as path from "node:path";
import type { Command } from "commander";
import { ClusterkitError, ExitCode } from "../../core/errors";
import { ADDRESS_PLAN_FILE, loadAddressPlan } from "../../core/fleet/address-plan";
import { loadFleetState } from "../../core/fleet/fleet-state";
import { fleetReport, renderFleetTable } from "../../core/fleet/fleet-table";
import { findProjectRoot } from "../../core/load/project";
import type { Runner } from "../main";
import { printIssues, type Io } from "../output";

interface Options {
  json?: boolean;
}

export function runFleet(io: Io, opts: Options, cwd = process.cwd()): number {
  const root = findProjectRoot(cwd);
  // The plan is optional here: without one there is just no "outside the plan" flag.
  const plan = fs.existsSync(path.join(root, ADDRESS_PLAN_FILE)) ? loadAddressPlan(root) : null;
  const report = fleetReport(loadFleetState(root), plan);
  io.out(opts.json ? JSON.stringify(report, null, 2) : renderFleetTable(report));
  return ExitCode.ok;
}

export function fleetCommand(program: Command, io: Io, run: Runner): void {
  program
    .command("fleet")
    .description("List every stack (platform, region, Kubernetes version, CNI, ranges, node counts, blueprint) and flag overlaps, version skew and blueprints changed since cloning.")
    .option("--json", "print the report as JSON (apiVersion clusterkit.dev/fleet/v1, see docs/fleet.md)")
    .action(
      run(async (opts: Options) => {
        try {
          return runFleet(io, opts);
        } catch (e) {
          if (e instanceof ClusterkitError) {
            printIssues(io, e.issues);
            return e.exitCode;
          }
          throw e;
        }
      }),
    );
}
