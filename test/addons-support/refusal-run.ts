/**
 * Child process for the replace-only test: runs Addons under mocks as if the live cluster had
 * recorded another network, and prints what reached the (mock) engine and how the run failed.
 * Usage: node --import tsx refusal-run.ts <recorded cni> <recorded pod CIDR>
 */
import { captureAddons, outputOverrides } from "./program";
import { specFor } from "./specs";

async function main(): Promise<void> {
  const [cni, podCidr] = process.argv.slice(2);
  const spec = specFor("baremetal", undefined, "live");
  outputOverrides.set("live-network-identity", () => ({ data: { cni, podCidr } }));
  const run = await captureAddons(spec);
  const message = run.error instanceof Error ? run.error.message : run.error === undefined ? null : String(run.error);
  process.stdout.write(`${JSON.stringify({ error: message, registered: run.registered, created: run.resources.map((r) => r.name) })}\n`);
  process.exit(0);
}

void main();
