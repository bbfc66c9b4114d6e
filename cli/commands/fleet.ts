/** `clusterkit fleet`: every stack in one table, with overlaps, version skew and blueprint changes flagged. */
import * as fs from "node:fs";
import * as path from "node:path";
import { ClusterkitError, ExitCode } from "../../core/errors";
import { ADDRESS_PLAN_FILE, loadAddressPlan } from "../../core/fleet/address-plan";
import { affectedStacks } from "../../core/fleet/affected";
import { loadFleetState } from "../../core/fleet/fleet-state";
import { fleetReport, renderFleetTable } from "../../core/fleet/fleet-table";
import { findProjectRoot } from "../../core/load/project";
import type { Io } from "../output";

export interface Options {
  json?: boolean;
  affected?: string;
}

export function runFleet(io: Io, opts: Options, cwd = process.cwd()): number {
  const root = findProjectRoot(cwd);
  if (opts.affected) {
    const file = path.resolve(cwd, opts.affected);
    if (!fs.existsSync(file)) throw new ClusterkitError([{ file: opts.affected, path: "", message: "does not exist", hint: "write the changed paths into it, e.g. git diff --name-only origin/main...HEAD > changed.txt" }]);
    const state = loadFleetState(root);
    const stacks = affectedStacks(fs.readFileSync(file, "utf8").split("\n"), state.stacks);
    // One line of JSON, so CI can put it in $GITHUB_OUTPUT as it is.
    io.out(opts.json ? JSON.stringify(stacks) : stacks.join("\n"));
    return ExitCode.ok;
  }
  // The plan is optional here: without one there is just no "outside the plan" flag.
  const plan = fs.existsSync(path.join(root, ADDRESS_PLAN_FILE)) ? loadAddressPlan(root) : null;
  const report = fleetReport(loadFleetState(root), plan);
  io.out(opts.json ? JSON.stringify(report, null, 2) : renderFleetTable(report));
  return ExitCode.ok;
}
