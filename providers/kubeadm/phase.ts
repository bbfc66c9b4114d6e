/**
 * Small idempotent phases, k0sctl style: each one first asks the host whether it has anything to
 * do (read-only commands only) and runs its mutating part only when it has. A re-run on a
 * converged host therefore changes nothing.
 */
import { log } from "./context";

export interface Phase<C> {
  /** Shown in progress lines and errors, e.g. `kubeadm-join`. */
  name: string;
  /** Read-only: whether run() has anything to do. */
  needed(ctx: C): Promise<boolean>;
  run(ctx: C): Promise<void>;
}

/** Runs the phases in order; returns the names of those that did something. */
export async function runPhases<C extends { label: string }>(phases: Phase<C>[], ctx: C): Promise<string[]> {
  const ran: string[] = [];
  for (const p of phases) {
    if (!(await p.needed(ctx))) continue;
    const started = Date.now();
    log(`${ctx.label}: ${p.name}`);
    await p.run(ctx);
    log(`${ctx.label}: ${p.name} done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    ran.push(p.name);
  }
  return ran;
}
