/** What the engine's calls do for MachineStandIn (machine-standin.ts says what it stands in for). */
import { randomUUID } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { installMachine, machineRunning, powerOffMachine } from "../hosts/machine";
import type { MachineInputs, MachineOutputs } from "./machine-standin";

const record = (i: MachineInputs, op: string) => fs.appendFileSync(path.join(i.ref.fleetDir, "machine-ops.log"), `${op} ${i.ref.name} ${i.template}\n`);

export const machineStandIn = {
  async create(inputs: MachineInputs): Promise<{ id: string; outs: MachineOutputs }> {
    if (machineRunning(inputs.ref)) throw new Error(`the name '${inputs.ref.name}' already exists`);
    const failOnce = path.join(inputs.ref.fleetDir, "machine-fail-once", inputs.ref.name);
    if (fs.existsSync(failOnce)) {
      fs.rmSync(failOnce);
      record(inputs, "create-failed");
      throw new Error(`clone of ${inputs.ref.name} from ${inputs.template} failed`);
    }
    await installMachine(inputs.ref);
    record(inputs, "create");
    const uuid = randomUUID();
    return { id: uuid, outs: { ...inputs, uuid } };
  },
  async read(id: string, props: MachineOutputs): Promise<{ id: string; props: MachineOutputs }> {
    return { id, props };
  },
  async diff(_id: string, olds: MachineOutputs, news: MachineInputs): Promise<{ changes?: boolean; replaces: string[]; deleteBeforeReplace: boolean }> {
    if (olds.template !== news.template) return { changes: true, replaces: ["template"], deleteBeforeReplace: false };
    // A new size is an update, as the vSphere provider's: only the program's replaceOnChanges makes
    // it a new VM. That provider names the changed key in its detailed diff, which a dynamic
    // provider cannot; with the changes left unknown the engine works the keys out from the inputs,
    // and applies replaceOnChanges to them the same way.
    if (olds.cpus !== news.cpus) return { replaces: [], deleteBeforeReplace: false };
    return { changes: false, replaces: [], deleteBeforeReplace: false };
  },
  async update(_id: string, olds: MachineOutputs, news: MachineInputs): Promise<{ outs: MachineOutputs }> {
    // The provider powers the VM off and on for a size it cannot hot-add: no drain, every VM at once.
    if (olds.cpus !== news.cpus) record(news, "restart");
    return { outs: { ...news, uuid: olds.uuid } };
  },
  async delete(_id: string, props: MachineOutputs): Promise<void> {
    await powerOffMachine(props.ref);
    record(props, "delete");
  },
};
